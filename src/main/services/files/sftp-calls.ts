import type { FileEntryWithStats, SFTPWrapper, Stats } from 'ssh2';

/** Promise forms of the few SFTP requests the browser makes; errors stay raw for `mapSftpError`. */
export interface SftpCalls {
  realpath(path: string): Promise<string>;
  readdir(path: string): Promise<FileEntryWithStats[]>;
  stat(path: string): Promise<Stats>;
  lstat(path: string): Promise<Stats>;
  mkdir(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  rmdir(path: string): Promise<void>;
}

function call<T>(start: (cb: (error: Error | undefined | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    try {
      start((error, value) => (error ? reject(error) : resolve(value)));
    } catch (error) {
      // ssh2 throws synchronously when the channel is already closed.
      reject(error);
    }
  });
}

export function sftpCalls(sftp: SFTPWrapper): SftpCalls {
  return {
    realpath: (path) => call((cb) => sftp.realpath(path, cb)),
    readdir: (path) => call((cb) => sftp.readdir(path, cb)),
    stat: (path) => call((cb) => sftp.stat(path, cb)),
    lstat: (path) => call((cb) => sftp.lstat(path, cb)),
    mkdir: (path) => call<void>((cb) => sftp.mkdir(path, (error) => cb(error, undefined))),
    rename: (from, to) =>
      call<void>((cb) => {
        // posix-rename is a plain rename(2): the classic SFTP rename hard-links then unlinks, which fails on
        // filesystems without hard links. The caller has checked that the target does not exist.
        const extensions = (sftp as unknown as { _extensions?: Record<string, string> })._extensions;
        if (extensions?.['posix-rename@openssh.com'] === '1') sftp.ext_openssh_rename(from, to, (error) => cb(error, undefined));
        else sftp.rename(from, to, (error) => cb(error, undefined));
      }),
    unlink: (path) => call<void>((cb) => sftp.unlink(path, (error) => cb(error, undefined))),
    rmdir: (path) => call<void>((cb) => sftp.rmdir(path, (error) => cb(error, undefined))),
  };
}
