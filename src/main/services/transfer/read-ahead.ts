import { open } from 'node:fs/promises';
import type { LocalEntry, LocalFile } from './local-walker';

/** A walked entry; small files come with their content already being read. */
export type ReadAheadEntry = Exclude<LocalEntry, LocalFile> | (LocalFile & { readonly content?: Promise<Buffer | Error> });

export interface ReadAheadLimits {
  /** Files at most this big are read whole, ahead of time. */
  readonly maxFileBytes: number;
  /** Bytes of content held ahead at most (the memory bound). */
  readonly maxBytes: number;
  readonly maxEntries: number;
}

export const DEFAULT_READ_AHEAD: ReadAheadLimits = { maxFileBytes: 2 << 20, maxBytes: 4 << 20, maxEntries: 64 };

/**
 * Reads the next small files while the current one is being streamed, so a tar stream never waits on the
 * local disk one block at a time (libuv reads several files at once). Memory stays bounded by `maxBytes`.
 */
export async function* readAhead(entries: AsyncIterable<LocalEntry>, limits: ReadAheadLimits = DEFAULT_READ_AHEAD): AsyncGenerator<ReadAheadEntry> {
  const queue: ReadAheadEntry[] = [];
  const iterator = entries[Symbol.asyncIterator]();
  let heldBytes = 0;
  let finished = false;
  try {
    for (;;) {
      while (!finished && queue.length < limits.maxEntries && heldBytes < limits.maxBytes) {
        const next = await iterator.next();
        if (next.done === true) {
          finished = true;
          break;
        }
        const entry = next.value;
        if (entry.kind === 'file' && entry.size <= limits.maxFileBytes) {
          heldBytes += entry.size;
          const content = readKnownSize(entry.abs, entry.size).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
          queue.push({ ...entry, content });
        } else {
          queue.push(entry);
        }
        // A big file is streamed by the caller: stop filling so its reads are not competing for long.
        if (entry.kind === 'file' && entry.size > limits.maxFileBytes) break;
      }
      const entry = queue.shift();
      if (entry === undefined) return;
      if (entry.kind === 'file' && entry.content !== undefined) heldBytes -= entry.size;
      yield entry;
    }
  } finally {
    await iterator.return?.(undefined);
  }
}

/**
 * The file's bytes, expecting `size` of them: open, one read, close (readFile would also fstat and read
 * again to find the end; for thousands of small files that is most of the work). One byte more is asked
 * for, so a file that grew since the walk still reads as a different length.
 */
async function readKnownSize(path: string, size: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(size + 1);
    let length = 0;
    for (;;) {
      const asked = buffer.length - length;
      const { bytesRead } = await handle.read(buffer, length, asked, length);
      length += bytesRead;
      // A regular file reads short only at its end.
      if (bytesRead < asked || length === buffer.length) break;
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}
