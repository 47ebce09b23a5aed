import { lstat, opendir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

export interface LocalFile {
  readonly kind: 'file';
  readonly abs: string;
  /** POSIX path relative to the folder the sources go into, starting with the source's own name. */
  readonly rel: string;
  readonly size: number;
  readonly mode: number;
  readonly mtimeMs: number;
}

export interface LocalDirectory {
  readonly kind: 'directory';
  readonly abs: string;
  readonly rel: string;
  readonly mode: number;
  readonly mtimeMs: number;
}

export interface LocalProblem {
  readonly kind: 'failure';
  readonly rel: string;
  readonly code: 'LOCAL_UNREADABLE' | 'LOCAL_NOT_FOUND' | 'SYMLINK_LOOP';
  readonly message: string;
}

export type LocalEntry = LocalFile | LocalDirectory | LocalProblem;

/** Entries of a folder stat'ed at once (also how many names opendir hands over at a time). */
const STAT_BATCH = 64;

export interface WalkOptions {
  /** Only these relative file paths (retry of failed files); folders are still walked to reach them. */
  readonly only?: ReadonlySet<string> | undefined;
}

/**
 * Walks the picked files and folders one directory at a time (fs.opendir streams the entries; only the
 * names of sub-folders still to visit are kept), so a 100,000-file tree is never in memory at once.
 * A folder's files come before its sub-folders, and a folder before anything inside it. Symlinks are
 * followed (what they point to is sent); a link back to a folder above it would loop and is reported
 * instead, as are broken links and things that are not files (pipes, sockets, devices).
 */
export async function* walkLocal(sources: readonly string[], options: WalkOptions = {}): AsyncGenerator<LocalEntry> {
  const only = options.only;
  const wanted = (rel: string): boolean => only === undefined || only.has(rel);
  for (const source of sources) {
    const rel = basename(source);
    let info;
    try {
      info = await stat(source);
    } catch (error) {
      const link = (await lstat(source).catch(() => undefined))?.isSymbolicLink() === true;
      if (wanted(rel)) yield problemOf(rel, error, link);
      continue;
    }
    if (info.isFile()) {
      if (wanted(rel)) yield { kind: 'file', abs: source, rel, size: info.size, mode: info.mode & 0o7777, mtimeMs: info.mtimeMs };
    } else if (info.isDirectory()) {
      if (only === undefined || hasUnder(only, rel)) {
        yield { kind: 'directory', abs: source, rel, mode: info.mode & 0o7777, mtimeMs: info.mtimeMs };
        yield* walkDirectory(source, rel, new Set([`${info.dev}:${info.ino}`]), only);
      }
    } else if (wanted(rel)) {
      yield notAFile(rel);
    }
  }
}

async function* walkDirectory(
  abs: string,
  rel: string,
  ancestors: ReadonlySet<string>,
  only: ReadonlySet<string> | undefined,
): AsyncGenerator<LocalEntry> {
  const wanted = (r: string): boolean => only === undefined || only.has(r);
  const subdirectories: { abs: string; rel: string }[] = [];
  let dir;
  try {
    dir = await opendir(abs, { bufferSize: STAT_BATCH });
  } catch (error) {
    if (only === undefined) yield problemOf(rel, error, false);
    return;
  }
  // Entries are stat'ed a batch at a time, all of a batch at once: one at a time, each stat waited its turn
  // in libuv's pool behind the file reads of a running transfer (5,000 small files took seconds to walk).
  let batch: { name: string; isDirectory: boolean; isFileOrLink: boolean; isLink: boolean }[] = [];
  const statBatch = async function* (): AsyncGenerator<LocalEntry> {
    const todo = batch;
    batch = [];
    const infos = await Promise.all(
      // A link is stat'ed even on a retry of other files: it may lead to a folder holding them.
      todo.map((d) =>
        d.isDirectory || !d.isFileOrLink || (!d.isLink && !wanted(`${rel}/${d.name}`)) ? undefined : stat(join(abs, d.name)).catch((error: unknown) => ({ error })),
      ),
    );
    for (let i = 0; i < todo.length; i++) {
      const dirent = todo[i] as (typeof todo)[number];
      const childAbs = join(abs, dirent.name);
      const childRel = `${rel}/${dirent.name}`;
      if (dirent.isDirectory) {
        subdirectories.push({ abs: childAbs, rel: childRel });
        continue;
      }
      if (!dirent.isFileOrLink) {
        if (wanted(childRel)) yield notAFile(childRel);
        continue;
      }
      const info = infos[i];
      if (info === undefined) continue;
      if ('error' in info) {
        if (wanted(childRel)) yield problemOf(childRel, info.error, dirent.isLink);
      } else if (info.isFile()) {
        if (wanted(childRel)) yield { kind: 'file', abs: childAbs, rel: childRel, size: info.size, mode: info.mode & 0o7777, mtimeMs: info.mtimeMs };
      } else if (info.isDirectory()) {
        subdirectories.push({ abs: childAbs, rel: childRel });
      } else if (wanted(childRel)) {
        yield notAFile(childRel);
      }
    }
  };
  try {
    for await (const dirent of dir) {
      batch.push({
        name: dirent.name,
        isDirectory: dirent.isDirectory(),
        isFileOrLink: dirent.isFile() || dirent.isSymbolicLink(),
        isLink: dirent.isSymbolicLink(),
      });
      if (batch.length >= STAT_BATCH) yield* statBatch();
    }
    yield* statBatch();
  } catch (error) {
    if (only === undefined) yield problemOf(rel, error, false);
  }
  for (const sub of subdirectories) {
    if (only !== undefined && !hasUnder(only, sub.rel)) continue;
    let info;
    try {
      info = await stat(sub.abs);
    } catch (error) {
      if (only === undefined) yield problemOf(sub.rel, error, true);
      continue;
    }
    const key = `${info.dev}:${info.ino}`;
    if (ancestors.has(key)) {
      if (only === undefined) {
        yield { kind: 'failure', rel: sub.rel, code: 'SYMLINK_LOOP', message: 'This link points back to a folder above it, so it was not followed.' };
      }
      continue;
    }
    yield { kind: 'directory', abs: sub.abs, rel: sub.rel, mode: info.mode & 0o7777, mtimeMs: info.mtimeMs };
    yield* walkDirectory(sub.abs, sub.rel, new Set([...ancestors, key]), only);
  }
}

function hasUnder(only: ReadonlySet<string>, rel: string): boolean {
  const prefix = `${rel}/`;
  for (const path of only) if (path === rel || path.startsWith(prefix)) return true;
  return false;
}

function notAFile(rel: string): LocalProblem {
  return { kind: 'failure', rel, code: 'LOCAL_UNREADABLE', message: 'This is not a regular file (a pipe, socket or device), so it was not sent.' };
}

function problemOf(rel: string, error: unknown, link: boolean): LocalProblem {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT' && link) {
    return { kind: 'failure', rel, code: 'LOCAL_UNREADABLE', message: 'This link points to something that does not exist (a broken link).' };
  }
  if (code === 'ENOENT') return { kind: 'failure', rel, code: 'LOCAL_NOT_FOUND', message: 'This file or folder no longer exists.' };
  if (code === 'ELOOP') return { kind: 'failure', rel, code: 'SYMLINK_LOOP', message: 'This link leads in a circle, so it was not followed.' };
  if (code === 'EACCES' || code === 'EPERM') {
    return { kind: 'failure', rel, code: 'LOCAL_UNREADABLE', message: 'You do not have permission to read this.' };
  }
  const text = error instanceof Error ? error.message : String(error);
  return { kind: 'failure', rel, code: 'LOCAL_UNREADABLE', message: `This could not be read (${text}).` };
}
