import { STOPPED_STATES } from '../../../shared/models/ec2';
import { posix } from 'node:path';
import type { FileEntryWithStats } from 'ssh2';
import { HangarError } from '../../../shared/errors/hangar-error';
import type { InstanceRef, RemoteEntry, RemoteListing } from '../../../shared/models/transfers';
import { throwIfAborted } from '../common/throw-if-aborted';
import type { ConnectionManager } from '../ssh/create-connection-manager';
import { SftpCalls } from '../ssh/sftp-calls';
import type { SshConnection } from '../ssh/ssh-connection';
import { createConnectionLeases } from './connection-leases';
import { kindOfMode, permissionsString } from './file-mode';
import { createLimiter } from './limiter';
import { mapSftpError } from './map-sftp-error';
import type { RemoteFilesService } from './remote-files-service';

export interface RemoteFilesServiceDeps {
  connections: ConnectionManager;
  /** How long the connection is kept after the browser's last call; default 60 s. */
  idleMs?: number;
  /** SFTP requests in flight for symlink stats and recursive deletes; default 16. */
  concurrency?: number;
}

/** What one call works with: the SFTP requests, the home folder and the error context. */
interface Session {
  readonly sftp: SftpCalls;
  readonly connection: SshConnection;
  home(): Promise<string>;
  fail(error: unknown, verb: string, path: string): HangarError;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function isFolderLike(entry: RemoteEntry): boolean {
  return entry.kind === 'directory' || (entry.kind === 'symlink' && entry.targetKind === 'directory');
}

/** Folders (and links to folders) first, then by name as people read it ("file2" before "file10"). */
export function compareEntries(a: RemoteEntry, b: RemoteEntry): number {
  const folders = Number(isFolderLike(b)) - Number(isFolderLike(a));
  if (folders !== 0) return folders;
  return collator.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

export function createRemoteFilesService(deps: RemoteFilesServiceDeps): RemoteFilesService & { dispose(): void } {
  const leases = createConnectionLeases(deps.connections, deps.idleMs ?? 60_000);
  const concurrency = deps.concurrency ?? 16;
  // The home folder per connection: asked once, it does not change while connected.
  const homes = new WeakMap<SshConnection, Promise<string>>();

  async function withSession<T>(ref: InstanceRef, signal: AbortSignal | undefined, work: (session: Session) => Promise<T>): Promise<T> {
    throwIfAborted(signal);
    const { connection, release } = await leases.borrow(ref, signal);
    let calls: SftpCalls | undefined;
    try {
      const fail = (error: unknown, verb: string, path: string): HangarError =>
        mapSftpError(error, { verb, path, user: connection.user, connectionClosed: connection.closed });
      let wrapper;
      try {
        wrapper = await connection.sftp();
      } catch (error) {
        throw fail(error, 'open the file browser on', connection.host);
      }
      const sftp = new SftpCalls(wrapper);
      calls = sftp;
      const session: Session = {
        sftp,
        connection,
        fail,
        home() {
          let home = homes.get(connection);
          if (home === undefined) {
            home = sftp.realpath('.');
            homes.set(connection, home);
            home.catch(() => homes.delete(connection));
          }
          return home.catch((error: unknown) => {
            throw fail(error, 'find the home folder of', connection.user);
          });
        },
      };
      const result = await work(session);
      throwIfAborted(signal);
      return result;
    } finally {
      // The SFTP session is the connection's and outlives this call.
      calls?.detach();
      release();
    }
  }

  /** Absolute and normalised; relative paths (and "~", "~/…") start at the login user's home. */
  async function absolute(session: Session, path: string): Promise<string> {
    // resolve() also drops trailing slashes, so one folder has one spelling.
    if (path.startsWith('/')) return posix.resolve(path);
    const home = await session.home();
    const rest = path === '~' ? '' : path.startsWith('~/') ? path.slice(2) : path;
    return posix.resolve(home, rest);
  }

  async function entryOf(session: Session, dir: string, item: FileEntryWithStats, limit: ReturnType<typeof createLimiter>): Promise<RemoteEntry> {
    const { mode, size, mtime } = item.attrs;
    const kind = kindOfMode(mode);
    let targetKind: RemoteEntry['targetKind'];
    if (kind === 'symlink') {
      // A broken link, or one into a folder we may not read, simply has no target kind.
      const target = await limit(() => session.sftp.stat(posix.join(dir, item.filename))).catch(() => undefined);
      if (target !== undefined) {
        const k = kindOfMode(target.mode);
        targetKind = k === 'file' || k === 'directory' ? k : 'other';
      }
    }
    return {
      name: item.filename,
      kind,
      ...(targetKind === undefined ? {} : { targetKind }),
      size,
      mtimeMs: mtime * 1000,
      mode: mode & 0o7777,
      permissions: permissionsString(mode),
    };
  }

  async function exists(session: Session, path: string): Promise<boolean> {
    try {
      await session.sftp.lstat(path);
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === 2) return false;
      throw session.fail(error, 'check', path);
    }
  }

  function existsError(path: string, what: string): HangarError {
    return new HangarError({
      code: 'REMOTE_EXISTS',
      message: `${path} already exists.`,
      hint: `Choose another name for the ${what}, or delete or rename the existing one first.`,
      details: { path },
    });
  }

  /** Deletes a file, a link (the link itself) or a folder with everything in it. */
  async function removeTree(session: Session, path: string, signal: AbortSignal, limit: ReturnType<typeof createLimiter>): Promise<void> {
    // The signal is checked when a request gets its turn, not when it is queued: a whole tree is queued at once.
    const step = <T>(verb: string, target: string, op: () => Promise<T>): Promise<T> =>
      limit(async () => {
        throwIfAborted(signal);
        return op();
      }).catch((error: unknown) => {
        throw session.fail(error, verb, target);
      });
    const stats = await step('delete', path, () => session.sftp.lstat(path));
    if (kindOfMode(stats.mode) !== 'directory') {
      await step('delete', path, () => session.sftp.unlink(path));
      return;
    }
    const children = await step('read', path, () => session.sftp.readdir(path));
    await Promise.all(
      children.map(async (child) => {
        const childPath = posix.join(path, child.filename);
        // readdir already says what each child is, so files cost one request and links are never followed.
        if (kindOfMode(child.attrs.mode) === 'directory') await removeTree(session, childPath, signal, limit);
        else await step('delete', childPath, () => session.sftp.unlink(childPath));
      }),
    );
    await step('delete', path, () => session.sftp.rmdir(path));
  }

  return {
    home(ref, signal) {
      return withSession(ref, signal, (session) => session.home());
    },

    list(ref, path, signal) {
      return withSession(ref, signal, async (session): Promise<RemoteListing> => {
        const dir = await absolute(session, path);
        const items = await session.sftp.readdir(dir).catch(async (error: unknown) => {
          // "Not a folder" comes back as a generic failure; say what it really is.
          const stats = await session.sftp.stat(dir).catch(() => undefined);
          if (stats !== undefined && kindOfMode(stats.mode) !== 'directory') {
            throw new HangarError({
              code: 'REMOTE_FAILED',
              message: `${dir} is a file, not a folder.`,
              hint: 'Open the folder that holds it instead.',
              details: { path: dir },
            });
          }
          throw session.fail(error, 'open', dir);
        });
        throwIfAborted(signal);
        const limit = createLimiter(concurrency);
        const entries = await Promise.all(items.map((item) => entryOf(session, dir, item, limit)));
        entries.sort(compareEntries);
        return { path: dir, entries };
      });
    },

    mkdir(ref, path) {
      return withSession(ref, undefined, async (session) => {
        const dir = await absolute(session, path);
        if (await exists(session, dir)) throw existsError(dir, 'new folder');
        await session.sftp.mkdir(dir).catch((error: unknown) => {
          throw session.fail(error, 'create', dir);
        });
      });
    },

    rename(ref, from, to) {
      return withSession(ref, undefined, async (session) => {
        const source = await absolute(session, from);
        const target = await absolute(session, to);
        if (source === target) return;
        if (!(await exists(session, source))) {
          throw session.fail({ code: 2 }, 'rename', source);
        }
        // posix-rename would silently replace the target; the browser never overwrites by renaming.
        if (await exists(session, target)) throw existsError(target, 'item');
        await session.sftp.rename(source, target).catch((error: unknown) => {
          throw session.fail(error, 'rename', source);
        });
      });
    },

    remove(ref, paths, signal) {
      return withSession(ref, signal, async (session) => {
        const targets = await Promise.all(paths.map((path) => absolute(session, path)));
        for (const target of targets) {
          if (target === '/') {
            throw new HangarError({
              code: 'INVALID_ARGUMENT',
              message: 'The root folder cannot be deleted.',
              hint: 'Select the files and folders inside it that you want to delete.',
            });
          }
        }
        // The first failure stops the rest: what was not reached is left as it was.
        const stop = new AbortController();
        const onAbort = (): void => stop.abort();
        signal?.addEventListener('abort', onAbort, { once: true });
        const limit = createLimiter(concurrency);
        try {
          await Promise.all(
            targets.map((target) =>
              removeTree(session, target, stop.signal, limit).catch((error: unknown) => {
                stop.abort();
                throw error;
              }),
            ),
          );
        } finally {
          signal?.removeEventListener('abort', onAbort);
        }
      });
    },

    instancesChanged(changes) {
      for (const change of changes) if (STOPPED_STATES.has(change.currentState)) leases.forget(change.instanceId);
    },
    dispose() {
      leases.dispose();
    },
  };
}
