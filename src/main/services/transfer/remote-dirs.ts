import { posix } from 'node:path';
import { SFTP_NO_SUCH_FILE, sftpStatus, type SftpCalls } from '../ssh/sftp-calls';

/** An absolute remote path for what the user typed: absolute, `~`, `~/x`, or relative to the login home. */
export async function absoluteRemote(sftp: SftpCalls, path: string): Promise<string> {
  if (path.startsWith('/')) return posix.normalize(path);
  const home = await sftp.realpath('.');
  if (path === '~') return home;
  const rest = path.startsWith('~/') ? path.slice(2) : path;
  return posix.normalize(posix.join(home, rest));
}

/** `mkdir -p` over SFTP. */
export async function ensureRemoteDir(sftp: SftpCalls, dir: string): Promise<void> {
  const existing = await sftp.statOrNothing(dir);
  if (existing?.isDirectory()) return;
  if (existing !== undefined) throw Object.assign(new Error(`${dir} exists and is not a folder`), { code: 4 });
  const parent = posix.dirname(dir);
  if (parent !== dir) await ensureRemoteDir(sftp, parent);
  try {
    await sftp.mkdir(dir, 0o755);
  } catch (error) {
    // Another worker may have created it in the meantime.
    const now = await sftp.statOrNothing(dir).catch(() => undefined);
    if (now?.isDirectory() !== true) throw error;
  }
}

/** true when the folder did not exist and was made; false when it was there already. */
export async function makeRemoteDir(sftp: SftpCalls, dir: string, mode: number): Promise<boolean> {
  try {
    await sftp.mkdir(dir, mode);
  } catch (error) {
    const status = sftpStatus(error);
    const there = await sftp.statOrNothing(dir);
    if (there?.isDirectory() === true) return false;
    if (status === SFTP_NO_SUCH_FILE) await ensureRemoteDir(sftp, posix.dirname(dir));
    else throw error;
    await sftp.mkdir(dir, mode);
  }
  // mkdir's mode passes through the server's umask; the source's bits are wanted.
  await sftp.setstat(dir, { mode }).catch(() => undefined);
  return true;
}
