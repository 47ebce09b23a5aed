import type { SshConnection } from '../ssh/ssh-connection';
import { argvCommand } from '../ssh/remote-command';
import { WATCHER_NAME, WATCHER_SERVICE, WATCHER_TIMER } from './watcher-units';

/**
 * The remote half of install / uninstall / status: fixed /bin/sh scripts that get every value as a
 * positional parameter (ARCHITECTURE habit 6), run as the login user or under `sudo -n`. Each merges its
 * stderr into stdout so a failure can be shown as the instance said it.
 */
export interface RemoteRun {
  readonly stdout: string;
  readonly code: number | undefined;
}

export async function runSh(
  connection: SshConnection,
  script: string,
  args: readonly string[],
  options: { sudo?: boolean; timeoutMs?: number } = {},
): Promise<RemoteRun> {
  const argv = [...(options.sudo === true ? ['sudo', '-n'] : []), '/bin/sh', '-c', `exec 2>&1\n${script}`, 'hangar', ...args];
  return connection.run(argvCommand(argv), options.timeoutMs ?? 30_000);
}

export interface RemoteFacts {
  readonly uid: number;
  readonly home: string;
  /** systemd is PID 1 (its runtime dir exists: what sd_booted() checks) and systemctl is there. */
  readonly systemd: boolean;
  /** `sudo -n true` exit status: 0 works, 127 no sudo, anything else needs a password or is refused. */
  readonly sudo: number | undefined;
}

const PROBE = `
printf 'uid=%s\\nhome=%s\\n' "$(id -u)" "$HOME"
if [ -d "$1" ] && command -v "$2" >/dev/null 2>&1; then echo systemd=1; fi
if [ "$3" = 1 ]; then
  if command -v "$4" >/dev/null 2>&1; then "$4" -n true >/dev/null 2>&1; echo "sudo=$?"; else echo sudo=127; fi
fi
exit 0
`;

/** Who we are on the instance, whether it runs systemd, and (when asked) whether sudo works without a password. */
export async function probe(connection: SshConnection, systemdMarker: string, systemctl: string, trySudo: boolean, sudoCommand = 'sudo'): Promise<RemoteFacts> {
  const { stdout } = await runSh(connection, PROBE, [systemdMarker, systemctl, trySudo ? '1' : '0', sudoCommand]);
  const values = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) values.set(line.slice(0, at), line.slice(at + 1));
  }
  const sudo = values.get('sudo');
  return {
    uid: Number(values.get('uid') ?? '-1'),
    home: values.get('home') ?? '',
    systemd: values.get('systemd') === '1',
    sudo: sudo === undefined ? undefined : Number(sudo),
  };
}

/** The files, under their final names, in the order they are written. */
export interface WatcherFiles {
  readonly script: string;
  readonly service: string;
  readonly timer: string;
}

// Each file is written beside its final name and renamed over it, so a half-written script never runs.
const INSTALL = `
set -e
unit_dir=$1 bin_dir=$2 systemctl=$3
mkdir -p "$unit_dir" "$bin_dir"
put() {
  printf '%s' "$3" > "$1.hangar-new"
  chmod "$2" "$1.hangar-new"
  mv -f "$1.hangar-new" "$1"
}
put "$bin_dir/${WATCHER_NAME}" 755 "$4"
put "$unit_dir/${WATCHER_SERVICE}" 644 "$5"
put "$unit_dir/${WATCHER_TIMER}" 644 "$6"
"$systemctl" daemon-reload
"$systemctl" enable --now ${WATCHER_TIMER}
`;

export function installFiles(
  connection: SshConnection,
  dirs: { unitDir: string; binDir: string },
  systemctl: string,
  files: WatcherFiles,
  sudo: boolean,
): Promise<RemoteRun> {
  return runSh(connection, INSTALL, [dirs.unitDir, dirs.binDir, systemctl, files.script, files.service, files.timer], { sudo, timeoutMs: 60_000 });
}

/** Every path install can leave behind (leftover temp files of an interrupted install too). */
export function installedPaths(dirs: { unitDir: string; binDir: string }): string[] {
  const finals = [`${dirs.binDir}/${WATCHER_NAME}`, `${dirs.unitDir}/${WATCHER_SERVICE}`, `${dirs.unitDir}/${WATCHER_TIMER}`];
  return [...finals, ...finals.map((f) => `${f}.hangar-new`)];
}

const UNINSTALL = `
systemctl=$1 has_systemd=$2 state_dir=$3
shift 3
if [ "$has_systemd" = 1 ]; then
  "$systemctl" disable --now ${WATCHER_TIMER} || echo "(the timer was not enabled)"
  "$systemctl" stop ${WATCHER_SERVICE} || true
fi
rm -f -- "$@" || exit 1
rm -rf -- "$state_dir" || exit 1
if [ "$has_systemd" = 1 ]; then
  "$systemctl" daemon-reload
  "$systemctl" reset-failed ${WATCHER_SERVICE} ${WATCHER_TIMER} >/dev/null 2>&1 || true
fi
for f in "$@" "$state_dir"; do
  if [ -e "$f" ]; then echo "still there: $f"; exit 1; fi
done
exit 0
`;

export function removeFiles(
  connection: SshConnection,
  paths: readonly string[],
  stateDir: string,
  systemd: { systemctl: string; present: boolean },
  sudo: boolean,
): Promise<RemoteRun> {
  return runSh(connection, UNINSTALL, [systemd.systemctl, systemd.present ? '1' : '0', stateDir, ...paths], { sudo, timeoutMs: 60_000 });
}

const STAGE = `
set -e
dir=$1
mkdir -p "$dir"
printf '%s' "$2" > "$dir/${WATCHER_NAME}"
printf '%s' "$3" > "$dir/${WATCHER_SERVICE}"
printf '%s' "$4" > "$dir/${WATCHER_TIMER}"
`;

/** Without sudo: the files go into the user's home, from where an administrator can put them in place. */
export function stageFiles(connection: SshConnection, dir: string, files: WatcherFiles): Promise<RemoteRun> {
  return runSh(connection, STAGE, [dir, files.script, files.service, files.timer]);
}

export function removeStaged(connection: SshConnection, dir: string): Promise<RemoteRun> {
  return runSh(connection, 'rm -rf -- "$1"', [dir]);
}

const STATUS = `
bin_dir=$1 unit_dir=$2 state_dir=$3 systemctl=$4
for f in "$bin_dir/${WATCHER_NAME}" "$unit_dir/${WATCHER_SERVICE}" "$unit_dir/${WATCHER_TIMER}"; do
  [ -f "$f" ] && echo "@@file $f"
done
echo '@@script'
[ -f "$bin_dir/${WATCHER_NAME}" ] && sed -n '1,40p' "$bin_dir/${WATCHER_NAME}"
echo '@@timer'
command -v "$systemctl" >/dev/null 2>&1 && "$systemctl" is-active ${WATCHER_TIMER}
echo '@@state'
cat "$state_dir/state" 2>/dev/null
exit 0
`;

/** Raw status text (files present, the script's head, the timer, the state file): parsed by idle-status. */
export async function readStatus(
  connection: SshConnection,
  dirs: { unitDir: string; binDir: string; stateDir: string },
  systemctl: string,
): Promise<string> {
  const { stdout } = await runSh(connection, STATUS, [dirs.binDir, dirs.unitDir, dirs.stateDir, systemctl]);
  return stdout;
}
