import type { SshConnection } from '../ssh/ssh-connection';

const checks = new WeakMap<SshConnection, Map<string, Promise<boolean>>>();

/**
 * Whether the instance runs our scripts in a real shell and has `command` on its PATH; asked once per
 * connection. An account limited to SFTP (`ForceCommand internal-sftp`) answers every exec with an SFTP
 * server, so the probe prints nothing there and streams into `tar` or `cat` are never tried: their bytes
 * would otherwise be read as SFTP requests.
 */
export function remoteHas(connection: SshConnection, command: string): Promise<boolean> {
  let known = checks.get(connection);
  if (known === undefined) {
    known = new Map();
    checks.set(connection, known);
  }
  let check = known.get(command);
  if (check === undefined) {
    check = connection.run({ script: 'command -v "$1" >/dev/null 2>&1 && echo hangar-has', args: [command] }).then(
      ({ stdout, code }) => code === 0 && stdout.trim().endsWith('hangar-has'),
      () => false,
    );
    known.set(command, check);
  }
  return check;
}
