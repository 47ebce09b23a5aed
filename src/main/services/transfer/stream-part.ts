import type { FileHandle } from 'node:fs/promises';
import type { ClientChannel } from 'ssh2';
import { channelExit, type SshConnection } from '../ssh/ssh-connection';
import type { JobContext } from './job-context';
import type { LocalFile } from './local-walker';
import { remoteHas } from './remote-tools';
import { FileFailure } from './file-failure';

/**
 * Files at least this big, sent whole from their first byte, are written by `cat` on the instance through
 * an exec channel rather than by SFTP write requests: the bytes are copied once less on this side (no
 * SFTP request around them) and sshd hands them on without parsing requests, ~20 % less CPU on both ends
 * (bench/README.md). Smaller files stay on SFTP, where opening a channel (a process on the instance)
 * would cost more than it saves.
 */
export const STREAM_MIN_BYTES = 8 << 20;
/** Exec channels per connection at once: sshd allows 10 sessions per connection (MaxSessions), terminals need theirs. */
const STREAMS_PER_CONNECTION = 2;
/** Local reads in flight ahead of the channel, so a cold disk is not read one block at a time. */
const READS_AHEAD = 4;
const CLOSE_WAIT_MS = 3000;

const active = new WeakMap<SshConnection, number>();

/** Whether this file may be streamed now (big enough, the instance has a shell with `cat`, a channel free). */
export async function mayStream(ctx: JobContext, file: LocalFile, startAt: number): Promise<boolean> {
  if (startAt !== 0 || file.size < STREAM_MIN_BYTES) return false;
  if ((active.get(ctx.connection) ?? 0) >= STREAMS_PER_CONNECTION) return false;
  return remoteHas(ctx.connection, 'cat');
}

/**
 * Streams the whole of `file` into `part` (created 0600, truncated) with `cat`. Resolves with how many
 * bytes of the file the part holds for sure: `file.size` when cat finished; otherwise (cat failed, the
 * channel could not be opened) the prefix it wrote — cat writes in order, so what is there is the file's
 * beginning — for the caller to continue over SFTP, whose errors say precisely what is wrong (permission,
 * a full disk). Throws on stop (pause, cancel, lost link) after closing the channel, and FileFailure when
 * the local file cannot be read.
 */
export async function streamPart(ctx: JobContext, local: FileHandle, file: LocalFile, part: string): Promise<number> {
  const { connection } = ctx;
  active.set(connection, (active.get(connection) ?? 0) + 1);
  let counted = 0;
  try {
    let channel: ClientChannel;
    try {
      channel = await connection.exec({ script: 'umask 077 && exec cat > "$1"', args: [part] });
    } catch (error) {
      if (connection.closed || ctx.signal.aborted) throw error;
      ctx.logger.debug(`transfer ${ctx.jobId}: no exec channel for cat; using SFTP`, error);
      return 0;
    }
    ctx.trackPart(part, true);
    ctx.setAcked(file.rel, undefined);
    const closed = new Promise<void>((resolve) => channel.once('close', () => resolve()));
    channel.resume();
    channel.stderr.resume();
    try {
      await pump(ctx, local, file, channel, (n) => {
        counted += n;
      });
    } finally {
      // pump() ended the channel whichever way it stopped: cat writes all it was sent (what `counted` says),
      // so a pause leaves an exact prefix to resume from. A stopped channel that does not close is closed.
      if (ctx.signal.aborted) {
        await within(closed, CLOSE_WAIT_MS);
        channel.close();
      }
    }
    if (ctx.signal.aborted) throw ctx.signal.reason;
    await closed;
    if (connection.closed) throw new Error('Connection lost while streaming a file');
    const exitCode = channelExit(channel)?.code;
    if (exitCode === 0 && counted === file.size) {
      const there = await ctx.sftp.statOrNothing(part).catch(() => undefined);
      if (there?.size === file.size) return file.size;
    }
    ctx.logger.info(`transfer ${ctx.jobId}: cat exited with ${String(exitCode)} after ${counted} bytes; continuing over SFTP`);
    const there = await ctx.sftp.statOrNothing(part).catch(() => undefined);
    const prefix = there?.isFile() === true && there.size <= counted ? there.size : 0;
    ctx.uncount(counted - prefix);
    return prefix;
  } finally {
    active.set(connection, Math.max(0, (active.get(connection) ?? 1) - 1));
  }
}

interface Block {
  readonly buffer: Buffer;
  readonly length: number;
  readonly read: number;
}

/**
 * Reads the file ahead in the job's buffers and writes it to the channel in order, then ends the channel.
 * `sent(n)` runs as ssh2 takes each block (it copies data into packets as the window allows). Buffers the
 * channel still holds when it closes are handed back to the job, whether or not their callbacks ever run.
 */
async function pump(ctx: JobContext, local: FileHandle, file: LocalFile, channel: ClientChannel, sent: (n: number) => void): Promise<void> {
  const held = new Set<Buffer>();
  let channelClosed = false;
  const release = (): void => {
    channelClosed = true;
    for (const buffer of held) ctx.slots.give(buffer);
    held.clear();
  };
  channel.once('close', release);
  let next = 0;
  const startRead = async (): Promise<Block> => {
    const buffer = await ctx.slots.take();
    // Offsets are given out after take(), whose waiters are served in order: reads stay in file order.
    const at = next;
    const length = Math.min(buffer.length, file.size - at);
    next += length;
    try {
      const { bytesRead } = await local.read(buffer, 0, length, at);
      return { buffer, length, read: bytesRead };
    } catch (error) {
      ctx.slots.give(buffer);
      throw new FileFailure('LOCAL_UNREADABLE', `Reading this file failed (${(error as { code?: string }).code ?? 'error'}).`);
    }
  };
  const reads: Promise<Block>[] = [];
  let planned = 0;
  let written = 0;
  try {
    while (written < file.size && !ctx.signal.aborted && !channelClosed) {
      while (reads.length < READS_AHEAD && planned < file.size) {
        planned += Math.min(ctx.slots.size, file.size - planned);
        const read = startRead();
        // Awaited in order below; this keeps a failure queued behind another from counting as unhandled.
        read.catch(() => undefined);
        reads.push(read);
      }
      const { buffer, length, read } = await (reads.shift() as Promise<Block>);
      if (read < length) {
        ctx.slots.give(buffer);
        throw new FileFailure('TRANSFER_SIZE_MISMATCH', 'This file got shorter while it was being sent.');
      }
      if (ctx.signal.aborted || channelClosed) {
        ctx.slots.give(buffer);
        break;
      }
      held.add(buffer);
      channel.write(read === buffer.length ? buffer : buffer.subarray(0, read), (error?: Error | null) => {
        if (!held.delete(buffer)) return;
        ctx.slots.give(buffer);
        if (error) return;
        ctx.addBytes(read, true);
        sent(read);
      });
      written += read;
    }
  } finally {
    // Reads still running hand their buffers back; what was written goes out, then end of file.
    for (const pending of reads) void pending.then((block) => ctx.slots.give(block.buffer), () => undefined);
    if (!channelClosed) channel.end();
  }
}

function within(promise: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
