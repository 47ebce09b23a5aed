/**
 * Every variable the watcher script reads, and what it replaces. All unset on a real instance; Hangar's
 * tests point them at stand-ins (a fake nvidia-smi, a shutdown that records its call, temp files).
 */
export const WATCHER_ENVIRONMENT = {
  HANGAR_IDLE_MINUTE_SECONDS: 'length of a "minute" in seconds (default 60): scales idle and Jupyter windows',
  HANGAR_IDLE_STATE_DIR: 'state directory (default: the one written into the script, /var/lib/hangar-idle)',
  HANGAR_IDLE_NVIDIA_SMI: 'nvidia-smi command',
  HANGAR_IDLE_JUPYTER: 'jupyter command (asked for `server list` / `notebook list` when no runtime files are found)',
  HANGAR_IDLE_JUPYTER_RUNTIME_DIRS: 'colon-separated Jupyter runtime dirs (default: ~/.local/share/jupyter/runtime of root and every uid ≥ 1000, /run/user/*/jupyter)',
  HANGAR_IDLE_CURL: 'curl command',
  HANGAR_IDLE_WGET: 'wget command (used when there is no curl)',
  HANGAR_IDLE_WHO: 'who command',
  HANGAR_IDLE_PROC: '/proc (searched for sshd "user@pts/N" sessions)',
  HANGAR_IDLE_TMUX: 'tmux command',
  HANGAR_IDLE_TMUX_TMPDIR: 'where tmux-UID/ socket dirs are (default $TMUX_TMPDIR or /tmp)',
  HANGAR_IDLE_SCREEN_DIR: 'screen socket dir (default /run/screen)',
  HANGAR_IDLE_LOADAVG: 'load average file (default /proc/loadavg)',
  HANGAR_IDLE_BOOT_ID: 'boot id file (default /proc/sys/kernel/random/boot_id)',
  HANGAR_IDLE_LOGGER: 'logger command (the journal)',
  HANGAR_IDLE_CONSOLE: 'console device (default /dev/console)',
  HANGAR_IDLE_KMSG: 'kernel log device, used when the console cannot be written (default /dev/kmsg)',
  HANGAR_IDLE_SHUTDOWN: 'shutdown command (called as `shutdown -h now`)',
} as const;
