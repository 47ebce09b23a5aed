import { closeSync, copyFileSync, fsyncSync, linkSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { copyFile, link, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface AtomicWriteOptions {
  /** Permission bits of the new file (default 0600: runtime state names hosts, paths and accounts). */
  mode?: number;
  /** Where the file being replaced is kept, as the last good copy. */
  backupPath?: string;
}

let counter = 0;
const tempPathOf = (path: string): string => `${path}.${process.pid}-${++counter}.tmp`;

const isMissing = (error: unknown): boolean => (error as { code?: unknown } | undefined)?.code === 'ENOENT';

/**
 * Replaces `path` so that a reader (or a crash) sees the old content or the new, never a mix: the text goes
 * to a temporary file beside it, is flushed to disk, then renamed over the old one. The old one is first
 * hard-linked (copied where links are not possible) and renamed to `backupPath`.
 */
export async function writeFileAtomic(path: string, text: string, options: AtomicWriteOptions = {}): Promise<void> {
  const temp = tempPathOf(path);
  try {
    const handle = await open(temp, 'wx', options.mode ?? 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.backupPath !== undefined) await keepBackup(path, options.backupPath);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(path));
}

/** The same, blocking: for the few writes that must be on disk before the next step (migrations). */
export function writeFileAtomicSync(path: string, text: string, options: AtomicWriteOptions = {}): void {
  const temp = tempPathOf(path);
  try {
    const fd = openSync(temp, 'wx', options.mode ?? 0o600);
    try {
      writeSync(fd, text, null, 'utf8');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (options.backupPath !== undefined) keepBackupSync(path, options.backupPath);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  syncDirectorySync(dirname(path));
}

/** The current file becomes the .bak in one rename; with no current file the old .bak stays. */
async function keepBackup(path: string, backupPath: string): Promise<void> {
  const temp = tempPathOf(backupPath);
  try {
    await link(path, temp);
  } catch (error) {
    if (isMissing(error)) return;
    await copyFile(path, temp);
  }
  await rename(temp, backupPath).catch(async (error: unknown) => {
    await rm(temp, { force: true });
    throw error;
  });
}

function keepBackupSync(path: string, backupPath: string): void {
  const temp = tempPathOf(backupPath);
  try {
    linkSync(path, temp);
  } catch (error) {
    if (isMissing(error)) return;
    copyFileSync(path, temp);
  }
  try {
    renameSync(temp, backupPath);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Makes the rename itself durable. Not possible on Windows or some file systems; the rename still happened. */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort.
  }
}

function syncDirectorySync(dir: string): void {
  if (process.platform === 'win32') return;
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Best effort.
  }
}
