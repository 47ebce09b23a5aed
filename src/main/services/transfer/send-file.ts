import { open, type FileHandle } from 'node:fs/promises';
import { posix } from 'node:path';
import type { InputAttributes } from 'ssh2';
import { AckedPrefix } from './byte-slots';
import { compareWithRemote, hashLocal } from './checksum';
import { FileFailure } from './file-failure';
import { JobStopError, type JobContext } from './job-context';
import { humanBytes } from '../common/human-bytes';
import type { LocalFile } from './local-walker';
import { mayStream, streamPart } from './stream-part';
import { SFTP_NO_SUCH_FILE, SFTP_PERMISSION_DENIED, sftpStatus } from '../ssh/sftp-calls';

export const PART_SUFFIX = '.hangar-part';

/**
 * Sends one local file into `<dest>.hangar-part` and renames it over `dest`. With checksums asked for, the
 * part keeps its temporary name until the instance's `sha256sum` matches this file's: a copy that does not
 * match is sent once more from its first byte, and if it still differs the part stays (never the final
 * name, so nothing later mistakes it for an identical file) and the file fails.
 */
export async function sendFile(ctx: JobContext, file: LocalFile, dest: string, startAt: number): Promise<void> {
  const part = `${dest}${PART_SUFFIX}`;
  let local: FileHandle;
  try {
    local = await open(file.abs, 'r');
  } catch (error) {
    throw new FileFailure('LOCAL_UNREADABLE', `This file could not be read (${(error as { code?: string }).code ?? 'error'}).`);
  }
  try {
    const mtime = Math.floor(file.mtimeMs / 1000);
    const attrs = { mode: file.mode, atime: mtime, mtime };
    if (!ctx.verifyChecksums) {
      await writePart(ctx, local, file, dest, startAt, attrs);
    } else {
      const expected = (await hashLocal(local, file.size)).digest('hex');
      for (let from = startAt, again = false; ; from = 0, again = true) {
        await writePart(ctx, local, file, dest, from, undefined);
        const verdict = await compareWithRemote(ctx, part, file.size, expected);
        if (verdict === 'unverified') ctx.fileUnverified();
        if (verdict !== 'mismatch') break;
        if (again) {
          ctx.trackPart(part, false);
          ctx.setAcked(file.rel, undefined);
          throw new FileFailure(
            'TRANSFER_CHECKSUM_MISMATCH',
            `The copy on the instance differs from this file (SHA-256) after sending it twice; it is kept as ${posix.basename(part)} and sent again by Retry.`,
          );
        }
        ctx.logger.info(`transfer ${ctx.jobId}: checksum mismatch; sending the file again from its start`);
        ctx.uncount(file.size);
      }
      try {
        await ctx.sftp.setstat(part, attrs);
      } catch (error) {
        throw await remoteFailure(ctx, error, file, dest, 0);
      }
    }
    await ctx.sftp.replace(part, dest);
    ctx.trackPart(part, false);
    ctx.setAcked(file.rel, undefined);
  } finally {
    await local.close().catch(() => undefined);
  }
}

/**
 * Writes `file` into the part from `startAt`: a big file sent whole is streamed through `cat`
 * (stream-part.ts); otherwise, or for what a stream left over, many SFTP writes are in flight (bounded by
 * the job's buffers), reading the local file by offset. The contiguous acknowledged prefix is reported as
 * it grows, so a dropped link resumes without resending it. Then checks the size the server holds; `attrs`
 * (mode, mtime) are set when given.
 */
async function writePart(ctx: JobContext, local: FileHandle, file: LocalFile, dest: string, startAt: number, attrs: InputAttributes | undefined): Promise<void> {
  const part = `${dest}${PART_SUFFIX}`;
  if (await mayStream(ctx, file, startAt)) {
    startAt = await streamPart(ctx, local, file, part);
    if (startAt === file.size) {
      if (attrs !== undefined) {
        try {
          await ctx.sftp.setstat(part, attrs);
        } catch (error) {
          throw await remoteFailure(ctx, error, file, dest, 0);
        }
      }
      return;
    }
  }
  let handle: Buffer;
  try {
    handle = await ctx.sftp.openWrite(part, startAt === 0, 0o600);
  } catch (error) {
    throw await remoteFailure(ctx, error, file, dest, 0);
  }
  ctx.trackPart(part, true);
  const acked = new AckedPrefix(startAt);
  let failed: unknown;
  try {
    // As many lanes as the job has buffers, each reading its next block and writing it: local reads
    // overlap (a cold disk is not read one block at a time) and so do the SFTP writes.
    let next = startAt;
    const stopped = (): boolean => failed !== undefined || ctx.signal.aborted || next >= file.size;
    const lane = async (): Promise<void> => {
      while (!stopped()) {
        const buffer = await ctx.slots.take();
        try {
          if (stopped()) return;
          const at = next;
          const length = Math.min(buffer.length, file.size - at);
          next += length;
          let read: number;
          try {
            ({ bytesRead: read } = await local.read(buffer, 0, length, at));
          } catch (error) {
            failed ??= new FileFailure('LOCAL_UNREADABLE', `Reading this file failed (${(error as { code?: string }).code ?? 'error'}).`);
            return;
          }
          if (read < length) {
            failed ??= new FileFailure('TRANSFER_SIZE_MISMATCH', 'This file got shorter while it was being sent.');
            return;
          }
          try {
            await ctx.sftp.write(handle, buffer, read, at);
          } catch (error) {
            failed ??= error;
            return;
          }
          acked.ack(at, read);
          ctx.addBytes(read, true);
          ctx.setAcked(file.rel, acked.bytes);
        } finally {
          ctx.slots.give(buffer);
        }
      }
    };
    // Writes already sent are let finish, so the acknowledged prefix is exact when pausing or stopping.
    // No more lanes than the file has blocks: a spare lane would only queue for a buffer to give it back.
    const lanes = Math.max(1, Math.min(ctx.slots.count, Math.ceil((file.size - startAt) / ctx.slots.size)));
    await Promise.all(Array.from({ length: lanes }, lane));
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (failed !== undefined) {
      if (failed instanceof FileFailure) throw failed;
      throw await remoteFailure(ctx, failed, file, dest, file.size - acked.bytes);
    }
    const [stats] = await Promise.all([ctx.sftp.fstat(handle), attrs === undefined ? undefined : ctx.sftp.fsetstat(handle, attrs)]);
    await closeQuietly(ctx, handle, file, dest);
    handle = Buffer.alloc(0);
    if (stats.size !== file.size) {
      await ctx.sftp.unlink(part).catch(() => undefined);
      ctx.trackPart(part, false);
      ctx.setAcked(file.rel, undefined);
      throw new FileFailure(
        'TRANSFER_SIZE_MISMATCH',
        `The instance holds ${humanBytes(stats.size)} of this file, but it has ${humanBytes(file.size)}; the copy was removed.`,
      );
    }
  } finally {
    if (handle.length > 0) await ctx.sftp.close(handle).catch(() => undefined);
  }
}

async function closeQuietly(ctx: JobContext, handle: Buffer, file: LocalFile, dest: string): Promise<void> {
  try {
    await ctx.sftp.close(handle);
  } catch (error) {
    throw await remoteFailure(ctx, error, file, dest, 0);
  }
}

/**
 * What a refused SFTP request means for this file. OpenSSH answers "disk full" (and "read-only file
 * system") with a generic failure, so the free space and the read-only flag are asked separately; a full
 * disk stops the whole job, since every following file would fail the same way.
 */
export async function remoteFailure(ctx: JobContext, error: unknown, file: LocalFile, dest: string, leftToWrite: number): Promise<unknown> {
  if (error instanceof FileFailure || error instanceof JobStopError || ctx.signal.aborted) return error;
  const status = sftpStatus(error);
  if (status === undefined) return error;
  if (status === SFTP_PERMISSION_DENIED) {
    return new FileFailure('REMOTE_PERMISSION_DENIED', `Permission denied writing ${dest} on the instance.`);
  }
  if (status === SFTP_NO_SUCH_FILE) {
    return new FileFailure('REMOTE_NOT_FOUND', `The folder ${posix.dirname(dest)} does not exist on the instance.`);
  }
  const dir = posix.dirname(dest);
  const fs = await ctx.sftp.statvfs(dir);
  if (fs !== undefined) {
    if ((fs.f_flag & 1) === 1) {
      return new FileFailure('REMOTE_PERMISSION_DENIED', `${dir} is on a read-only file system on the instance, so ${posix.basename(dest)} cannot be written.`);
    }
    const free = fs.f_bavail * fs.f_frsize;
    if (free < Math.max(leftToWrite, 64 * 1024)) {
      await ctx.sftp.unlink(`${dest}${PART_SUFFIX}`).catch(() => undefined);
      ctx.trackPart(`${dest}${PART_SUFFIX}`, false);
      ctx.setAcked(file.rel, undefined);
      return new JobStopError(
        'REMOTE_DISK_FULL',
        `The disk on ${ctx.instanceName} is full: ${file.rel} could not be written to ${dest} (${humanBytes(free)} left, ${humanBytes(leftToWrite)} still to write).`,
        'Free some space on the instance (delete files you no longer need, or clear caches), or grow its EBS volume, then press Resume.',
      );
    }
  }
  const text = error instanceof Error ? error.message : String(error);
  return new FileFailure('REMOTE_FAILED', `The instance refused to write ${dest} (${text}).`);
}
