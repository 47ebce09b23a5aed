import { appendFileSync, chmodSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface FileLogSinkOptions {
  /** The app's logs folder (Electron: app.getPath('logs'); the web harness: <data dir>/logs). */
  dir: string;
  /** Base name: `hangar.log`, rotated to `hangar.1.log` … `hangar.<keep>.log`. */
  name?: string;
  /** Rotate when the current file would pass this size. */
  maxBytes?: number;
  /** Rotated files kept besides the current one. */
  keep?: number;
  /** Where a line goes when the file cannot be written (a full disk must not lose the message). */
  fallback?: (line: string) => void;
}

export interface FileLogSink {
  (line: string): void;
  /** The file written now. */
  readonly path: string;
}

/**
 * A log file a user can find (Help → Open logs folder) and send: already-redacted lines appended
 * synchronously (a crash right after a line still has it on disk), owner-only, rotated by size so it
 * never grows without bound. A double-clicked app has no terminal: stderr alone would be lost.
 */
export function createFileLogSink(options: FileLogSinkOptions): FileLogSink {
  const name = options.name ?? 'hangar.log';
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const keep = options.keep ?? 3;
  const stem = name.replace(/\.log$/, '');
  const path = join(options.dir, name);
  const rotated = (n: number): string => join(options.dir, `${stem}.${n}.log`);
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  let size = existsSync(path) ? statSync(path).size : 0;

  function rotate(): void {
    rmSync(rotated(keep), { force: true });
    for (let n = keep - 1; n >= 1; n -= 1) if (existsSync(rotated(n))) renameSync(rotated(n), rotated(n + 1));
    if (existsSync(path)) renameSync(path, rotated(1));
    size = 0;
  }

  const sink = ((line: string) => {
    const text = `${line}\n`;
    const bytes = Buffer.byteLength(text);
    try {
      if (size > 0 && size + bytes > maxBytes) rotate();
      const created = size === 0 && !existsSync(path);
      appendFileSync(path, text, { mode: 0o600 });
      if (created) chmodSync(path, 0o600);
      size += bytes;
    } catch {
      options.fallback?.(line);
    }
  }) as FileLogSink;
  Object.defineProperty(sink, 'path', { value: path });
  return sink;
}

/** Both at once: the file for users, stderr for developers running from a terminal. */
export function teeSinks(...sinks: Array<(line: string) => void>): (line: string) => void {
  return (line) => {
    for (const sink of sinks) sink(line);
  };
}
