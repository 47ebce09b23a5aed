import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../logging/logger';
import { writeFileAtomic, writeFileAtomicSync } from './atomic-write';

export interface JsonFileStoreOptions<T> {
  /** The file, e.g. `<data dir>/transfer-queue.json`; the last good copy is kept as `<path>.bak`. */
  path: string;
  /** What the file holds, for log lines ("transfer queue"). */
  what: string;
  /**
   * Turns the file's JSON into a value. Throws when the file as a whole is unusable (then the .bak is
   * tried); a bad part inside (one record) is the parser's to skip and report, never a reason to throw.
   */
  parse(raw: unknown): T;
  /** The value to write for `value` (default: the value itself). */
  serialize?(value: T): unknown;
  /** When neither the file nor its .bak can be read. */
  empty(): T;
  logger: Logger;
}

/**
 * Runtime state in a JSON file of its own (not settings): read once at start, written atomically with the
 * last good copy kept, mode 0600, off the hot path.
 */
export interface JsonFileStore<T> {
  /** What the file held at start (its .bak if the file was unreadable; `empty()` if neither was there). */
  readonly initial: T;
  /** Writes `value` in the background: one write at a time, and of several saves waiting only the latest. */
  save(value: T): void;
  /** Writes `value` before returning; only before any `save` (start-up migrations). */
  saveSync(value: T): void;
  /** Resolves once every value saved so far is on disk, or its write has failed and been logged. */
  flush(): Promise<void>;
}

const isMissing = (error: unknown): boolean => (error as { code?: unknown } | undefined)?.code === 'ENOENT';

export function createJsonFileStore<T>(options: JsonFileStoreOptions<T>): JsonFileStore<T> {
  const { path, what, logger } = options;
  const backupPath = `${path}.bak`;
  const serialize = (value: T): string => JSON.stringify(options.serialize === undefined ? value : options.serialize(value));
  let waiting: { value: T } | undefined;
  let writing: Promise<void> | undefined;
  let dirReady = false;

  function read(file: string): { value: T } | undefined {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if (!isMissing(error)) logger.warn(`${what}: ${file} could not be read`, error);
      return undefined;
    }
    try {
      return { value: options.parse(JSON.parse(text)) };
    } catch (error) {
      if (file === path) {
        // Kept for a look, and out of the way: the next write must not make a corrupt file the .bak.
        const aside = `${path}.unreadable-${Date.now()}.json`;
        try {
          renameSync(path, aside);
          logger.warn(`${what}: ${path} is unreadable; kept it as ${aside}`, error);
        } catch (renameError) {
          logger.warn(`${what}: ${path} is unreadable and could not be moved aside`, renameError);
        }
      } else {
        logger.warn(`${what}: ${file} is unreadable too`, error);
      }
      return undefined;
    }
  }

  function load(): T {
    const main = read(path);
    if (main !== undefined) return main.value;
    const backup = read(backupPath);
    if (backup !== undefined) {
      logger.warn(`${what}: started from the last good copy ${backupPath}`);
      return backup.value;
    }
    return options.empty();
  }

  /** Starts the next write unless one is in flight; the one in flight starts the next when it ends. */
  function kick(): void {
    if (writing !== undefined || waiting === undefined) return;
    const { value } = waiting;
    waiting = undefined;
    writing = Promise.resolve()
      .then(async () => {
        if (!dirReady) await mkdir(dirname(path), { recursive: true });
        dirReady = true;
        await writeFileAtomic(path, serialize(value), { mode: 0o600, backupPath });
      })
      .catch((error: unknown) => logger.warn(`${what}: ${path} could not be written`, error))
      .then(() => {
        writing = undefined;
        kick();
      });
  }

  return {
    initial: load(),
    save(value) {
      waiting = { value };
      kick();
    },
    saveSync(value) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileAtomicSync(path, serialize(value), { mode: 0o600, backupPath });
    },
    async flush() {
      while (writing !== undefined) await writing;
    },
  };
}
