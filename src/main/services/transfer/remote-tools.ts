import { channelExit, type SshConnection } from '../ssh/ssh-connection';

const PROBE_TIMEOUT_MS = 10_000;
const checks = new WeakMap<SshConnection, Map<string, Promise<boolean>>>();

/**
 * Whether the instance runs our scripts in a real shell and has `command` on its PATH; asked once per
 * connection. An account limited to SFTP (`ForceCommand internal-sftp`) answers every exec with an SFTP
 * server, so the probe reads nothing back there and streams into `tar` or `cat` are never tried: their
 * bytes would otherwise be read as SFTP requests. The probe's stdin is closed at once, so such a server
 * ends instead of waiting for requests.
 */
export function remoteHas(connection: SshConnection, command: string): Promise<boolean> {
  let known = checks.get(connection);
  if (known === undefined) {
    known = new Map();
    checks.set(connection, known);
  }
  let check = known.get(command);
  if (check === undefined) {
    check = probe(connection, command).catch(() => false);
    known.set(command, check);
  }
  return check;
}

async function probe(connection: SshConnection, command: string): Promise<boolean> {
  const channel = await connection.exec({ script: 'command -v "$1" >/dev/null 2>&1 && echo hangar-has', args: [command] });
  return new Promise((resolve) => {
    let stdout = '';
    const timer = setTimeout(() => {
      channel.close();
      resolve(false);
    }, PROBE_TIMEOUT_MS);
    timer.unref();
    channel.on('data', (chunk: Buffer) => {
      if (stdout.length < 10_000) stdout += chunk.toString('utf8');
    });
    channel.stderr.resume();
    channel.once('close', () => {
      clearTimeout(timer);
      resolve(channelExit(channel)?.code === 0 && stdout.trim().endsWith('hangar-has'));
    });
    channel.end();
  });
}
