import type { FileEntryWithStats, InputAttributes, SFTPWrapper, Stats } from 'ssh2';

/** SFTP status codes (draft-ietf-secsh-filexfer-02) that decide what the engine does next. */
export const SFTP_NO_SUCH_FILE = 2;
export const SFTP_PERMISSION_DENIED = 3;
export const SFTP_FAILURE = 4;

const OPEN_READ = 0x01;
const OPEN_WRITE = 0x02;
const OPEN_CREAT = 0x08;
const OPEN_TRUNC = 0x10;

export interface FsStats {
  readonly f_bavail: number;
  readonly f_frsize: number;
  readonly f_flag: number;
}

/** The numeric SFTP status of a failed request, if it is one. */
export function sftpStatus(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * Promise face of the callbacks ssh2 offers, for the transfer engine and the file browser alike; one
 * instance per use of the connection's shared SFTP session (`detach()` when done). Errors stay raw:
 * each caller maps them in its own words (`mapSftpError`, the transfer's failures).
 */
export class SftpCalls {
  private readonly pending = new Set<(error: Error) => void>();
  private dead: Error | undefined;
  private fastest = Number.POSITIVE_INFINITY;

  /** The quickest answer seen so far, in ms: about the link's round trip (Infinity before the first). */
  get fastestMs(): number {
    return this.fastest;
  }

  private readonly onClosed = (): void => this.fail(new Error('SFTP channel closed'));

  constructor(readonly raw: SFTPWrapper) {
    raw.once('close', this.onClosed);
    raw.once('end', this.onClosed);
  }

  /** Stops watching the shared session (it outlives this attempt: the file browser and other jobs use it). */
  detach(): void {
    this.raw.off('close', this.onClosed);
    this.raw.off('end', this.onClosed);
  }

  /**
   * Fails every request still waiting, and all later ones. ssh2 does not answer requests issued around the
   * moment a connection dies, so without this a transfer could wait forever on a dead link.
   */
  fail(error: Error): void {
    this.dead ??= error;
    for (const reject of [...this.pending]) reject(error);
    this.pending.clear();
  }

  private call<T>(start: (done: (error: Error | undefined | null, value?: T) => void) => void): Promise<T> {
    return new Promise((resolve, reject) => {
      if (this.dead !== undefined) {
        reject(this.dead);
        return;
      }
      let settled = false;
      const fail = (error: Error): void => {
        if (settled) return;
        settled = true;
        this.pending.delete(fail);
        reject(error);
      };
      this.pending.add(fail);
      const sent = performance.now();
      try {
        start((error, value) => {
          if (settled) return;
          settled = true;
          this.fastest = Math.min(this.fastest, performance.now() - sent);
          this.pending.delete(fail);
          if (error) reject(error);
          else resolve(value as T);
        });
      } catch (error) {
        // ssh2 throws synchronously when the channel is already closed.
        fail(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Opens for writing; `truncate` false keeps what a previous attempt wrote (resume). */
  openWrite(path: string, truncate: boolean, mode = 0o600): Promise<Buffer> {
    const flags = OPEN_WRITE | OPEN_CREAT | (truncate ? OPEN_TRUNC : 0);
    return this.call((done) => this.raw.open(path, flags, { mode }, done));
  }

  openRead(path: string): Promise<Buffer> {
    return this.call((done) => this.raw.open(path, OPEN_READ, done));
  }

  write(handle: Buffer, data: Buffer, length: number, position: number): Promise<void> {
    return this.call((done) => this.raw.write(handle, data, 0, length, position, (error) => done(error)));
  }

  /** Resolves with the bytes read (0 at end of file). */
  async read(handle: Buffer, into: Buffer, length: number, position: number): Promise<number> {
    try {
      return await this.call<number>((done) => this.raw.read(handle, into, 0, length, position, (error, bytesRead) => done(error, bytesRead)));
    } catch (error) {
      // ssh2 reports end of file as an error with code EOF (1).
      if (sftpStatus(error) === 1) return 0;
      throw error;
    }
  }

  close(handle: Buffer): Promise<void> {
    return this.call((done) => this.raw.close(handle, (error) => done(error)));
  }

  fstat(handle: Buffer): Promise<Stats> {
    return this.call((done) => this.raw.fstat(handle, done));
  }

  fsetstat(handle: Buffer, attrs: InputAttributes): Promise<void> {
    return this.call((done) => this.raw.fsetstat(handle, attrs, (error) => done(error)));
  }

  setstat(path: string, attrs: InputAttributes): Promise<void> {
    return this.call((done) => this.raw.setstat(path, attrs, (error) => done(error)));
  }

  stat(path: string): Promise<Stats> {
    return this.call((done) => this.raw.stat(path, done));
  }

  lstat(path: string): Promise<Stats> {
    return this.call((done) => this.raw.lstat(path, done));
  }

  /** undefined when nothing is there; other failures throw. */
  async statOrNothing(path: string): Promise<Stats | undefined> {
    try {
      return await this.stat(path);
    } catch (error) {
      if (sftpStatus(error) === SFTP_NO_SUCH_FILE) return undefined;
      throw error;
    }
  }

  /** Without a mode the server's default applies (the file browser's "New folder"). */
  mkdir(path: string, mode?: number): Promise<void> {
    if (mode === undefined) return this.call((done) => this.raw.mkdir(path, (error) => done(error)));
    return this.call((done) => this.raw.mkdir(path, { mode }, (error) => done(error)));
  }

  rmdir(path: string): Promise<void> {
    return this.call((done) => this.raw.rmdir(path, (error) => done(error)));
  }

  readdir(path: string): Promise<FileEntryWithStats[]> {
    return this.call((done) => this.raw.readdir(path, done));
  }

  unlink(path: string): Promise<void> {
    return this.call((done) => this.raw.unlink(path, (error) => done(error)));
  }

  realpath(path: string): Promise<string> {
    return this.call((done) => this.raw.realpath(path, done));
  }

  /**
   * Renames to a name the caller has checked is free. posix-rename is a plain rename(2): the classic SFTP
   * rename hard-links then unlinks, which fails on filesystems without hard links.
   */
  rename(from: string, to: string): Promise<void> {
    const extensions = (this.raw as unknown as { _extensions?: Record<string, string> })._extensions;
    if (extensions?.['posix-rename@openssh.com'] === '1') {
      return this.call((done) => this.raw.ext_openssh_rename(from, to, (error) => done(error)));
    }
    return this.call((done) => this.raw.rename(from, to, (error) => done(error)));
  }

  /** Replaces `to` atomically where the server has posix-rename@openssh.com; else removes it first. */
  async replace(from: string, to: string): Promise<void> {
    try {
      await this.call<void>((done) => this.raw.ext_openssh_rename(from, to, (error) => done(error)));
      return;
    } catch (error) {
      if (!/not support/i.test(error instanceof Error ? error.message : '')) throw error;
    }
    await this.unlink(to).catch(() => undefined);
    await this.call<void>((done) => this.raw.rename(from, to, (error) => done(error)));
  }

  /** Free space where the server reports it (statvfs@openssh.com); undefined otherwise. */
  async statvfs(path: string): Promise<FsStats | undefined> {
    try {
      const info = await this.call<Record<string, unknown>>((done) => this.raw.ext_openssh_statvfs(path, done));
      return { f_bavail: Number(info.f_bavail), f_frsize: Number(info.f_frsize), f_flag: Number(info.f_flag) };
    } catch {
      return undefined;
    }
  }
}
