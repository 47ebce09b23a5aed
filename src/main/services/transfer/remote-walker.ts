import { posix } from 'node:path';
import type { Attributes } from 'ssh2';
import { SFTP_NO_SUCH_FILE, SFTP_PERMISSION_DENIED, sftpStatus, type SftpCalls } from '../ssh/sftp-calls';

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

export interface RemoteFile {
  readonly kind: 'file';
  /** Absolute remote path. */
  readonly path: string;
  /** POSIX path relative to the destination folder, starting with the source's own name. */
  readonly rel: string;
  readonly size: number;
  readonly mode: number;
  /** Seconds, as SFTP reports it. */
  readonly mtime: number;
}

export interface RemoteDirectory {
  readonly kind: 'directory';
  readonly path: string;
  readonly rel: string;
  readonly mode: number;
  readonly mtime: number;
}

export interface RemoteProblem {
  readonly kind: 'failure';
  readonly rel: string;
  readonly code: string;
  readonly message: string;
}

export type RemoteWalkEntry = RemoteFile | RemoteDirectory | RemoteProblem;

/**
 * The remote counterpart of walkLocal: one folder listing at a time (SFTP readdir), a folder's files before
 * its sub-folders, symlinks followed (what they point to), a link back to a folder above it reported.
 */
export async function* walkRemote(sftp: SftpCalls, sources: readonly string[], only?: ReadonlySet<string>): AsyncGenerator<RemoteWalkEntry> {
  const wanted = (rel: string): boolean => only === undefined || only.has(rel);
  for (const source of sources) {
    const rel = posix.basename(source) || source;
    let attrs: Attributes;
    try {
      attrs = await sftp.stat(source);
    } catch (error) {
      if (wanted(rel)) yield problemOf(rel, error);
      continue;
    }
    const type = attrs.mode & S_IFMT;
    if (type === S_IFREG) {
      if (wanted(rel)) yield { kind: 'file', path: source, rel, size: attrs.size, mode: attrs.mode & 0o7777, mtime: attrs.mtime };
    } else if (type === S_IFDIR) {
      if (only !== undefined && !hasUnder(only, rel)) continue;
      const real = await sftp.realpath(source).catch(() => source);
      yield { kind: 'directory', path: real, rel, mode: attrs.mode & 0o7777, mtime: attrs.mtime };
      yield* walkDirectory(sftp, real, rel, new Set([real]), only);
    } else if (wanted(rel)) {
      yield notAFile(rel);
    }
  }
}

async function* walkDirectory(
  sftp: SftpCalls,
  path: string,
  rel: string,
  ancestors: ReadonlySet<string>,
  only: ReadonlySet<string> | undefined,
): AsyncGenerator<RemoteWalkEntry> {
  const wanted = (r: string): boolean => only === undefined || only.has(r);
  let listing;
  try {
    listing = await sftp.readdir(path);
  } catch (error) {
    if (only === undefined) yield problemOf(rel, error);
    return;
  }
  const subdirectories: { path: string; rel: string; attrs: Attributes }[] = [];
  for (const item of listing) {
    if (item.filename === '.' || item.filename === '..') continue;
    const childPath = posix.join(path, item.filename);
    const childRel = `${rel}/${item.filename}`;
    let attrs: Attributes = item.attrs;
    let childReal = childPath;
    if ((attrs.mode & S_IFMT) === S_IFLNK) {
      try {
        attrs = await sftp.stat(childPath);
        if ((attrs.mode & S_IFMT) === S_IFDIR) childReal = await sftp.realpath(childPath);
      } catch (error) {
        if (wanted(childRel)) {
          yield sftpStatus(error) === SFTP_NO_SUCH_FILE
            ? { kind: 'failure', rel: childRel, code: 'REMOTE_NOT_FOUND', message: 'This link on the instance points to something that does not exist.' }
            : problemOf(childRel, error);
        }
        continue;
      }
    }
    const type = attrs.mode & S_IFMT;
    if (type === S_IFREG) {
      if (wanted(childRel)) yield { kind: 'file', path: childPath, rel: childRel, size: attrs.size, mode: attrs.mode & 0o7777, mtime: attrs.mtime };
    } else if (type === S_IFDIR) {
      subdirectories.push({ path: childReal, rel: childRel, attrs });
    } else if (wanted(childRel)) {
      yield notAFile(childRel);
    }
  }
  listing = undefined;
  for (const sub of subdirectories) {
    if (only !== undefined && !hasUnder(only, sub.rel)) continue;
    if (ancestors.has(sub.path)) {
      if (only === undefined) {
        yield { kind: 'failure', rel: sub.rel, code: 'SYMLINK_LOOP', message: 'This link points back to a folder above it, so it was not followed.' };
      }
      continue;
    }
    yield { kind: 'directory', path: sub.path, rel: sub.rel, mode: sub.attrs.mode & 0o7777, mtime: sub.attrs.mtime };
    yield* walkDirectory(sftp, sub.path, sub.rel, new Set([...ancestors, sub.path]), only);
  }
}

function hasUnder(only: ReadonlySet<string>, rel: string): boolean {
  const prefix = `${rel}/`;
  for (const path of only) if (path === rel || path.startsWith(prefix)) return true;
  return false;
}

function notAFile(rel: string): RemoteProblem {
  return { kind: 'failure', rel, code: 'REMOTE_FAILED', message: 'This is not a regular file on the instance (a pipe, socket or device), so it was not fetched.' };
}

function problemOf(rel: string, error: unknown): RemoteProblem {
  const status = sftpStatus(error);
  if (status === SFTP_NO_SUCH_FILE) return { kind: 'failure', rel, code: 'REMOTE_NOT_FOUND', message: 'This does not exist on the instance.' };
  if (status === SFTP_PERMISSION_DENIED) {
    return { kind: 'failure', rel, code: 'REMOTE_PERMISSION_DENIED', message: 'Permission denied reading this on the instance.' };
  }
  if (status === undefined) throw error;
  const text = error instanceof Error ? error.message : String(error);
  return { kind: 'failure', rel, code: 'REMOTE_FAILED', message: `The instance could not read this (${text}).` };
}
