/** Every file the watcher puts on an instance is named for Hangar, so it is recognisable and removable. */
export const WATCHER_NAME = 'hangar-idle-watcher';
export const WATCHER_SERVICE = `${WATCHER_NAME}.service`;
export const WATCHER_TIMER = `${WATCHER_NAME}.timer`;

export const DEFAULT_UNIT_DIR = '/etc/systemd/system';
export const DEFAULT_BIN_DIR = '/usr/local/bin';

const HEADER = '# Installed by Hangar (idle auto-stop); turning "Stop when idle" off in Hangar removes it.';

/** One check, run by the timer; a oneshot, so runs never overlap. */
export function watcherService(scriptPath: string): string {
  return `${HEADER}
[Unit]
Description=Hangar idle watcher: one check (stops this machine after the idle time set in Hangar)

[Service]
Type=oneshot
ExecStart=/bin/sh ${scriptPath}
TimeoutStartSec=2min
Nice=10
`;
}

/** Every minute, from two minutes after boot (a machine just started gets its idle time from then). */
export function watcherTimer(): string {
  return `${HEADER}
[Unit]
Description=Hangar idle watcher: check once a minute whether this machine is idle

[Timer]
OnBootSec=2min
OnUnitActiveSec=1min
AccuracySec=10s

[Install]
WantedBy=timers.target
`;
}
