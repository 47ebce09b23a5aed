import { createHash, type Hash } from 'node:crypto';
import { chmod, mkdir, open, rename, stat, unlink, utimes, type FileHandle } from 'node:fs/promises';
import { basename, join, posix } from 'node:path';
import { firstFreeName } from './free-name';
import { JobStopError, type JobContext } from './job-context';
import { absoluteRemote } from './remote-dirs';
import { compareWithRemote, hashLocal } from './checksum';
import { walkRemote, type RemoteFile } from './remote-walker';
import { safeLocalName } from './safe-local-name';
import { FileFailure } from './file-failure';
import { runFilePool } from './file-pool';
import { PART_SUFFIX } from './send-file';
import { SFTP_NO_SUCH_FILE, SFTP_PERMISSION_DENIED, sftpStatus } from '../ssh/sftp-calls';

const FILES_IN_FLIGHT = 16;
/** Reads in flight for one file; the job's buffers bound the total. */
const READS_PER_FILE = 32;
/**
 * The permission bits a download may copy: never setuid, setgid or sticky, never writable by everyone. A
 * file fetched from an instance must not become a set-id program or a world-writable file on this computer.
 */
const COPIED_MODE_BITS = 0o775;

function localMode(remoteMode: number): number {
  return remoteMode & COPIED_MODE_BITS;
}

/** One attempt of a download job: remote walk, pipelined reads into `<name>.hangar-part`, rename, mtime and mode. */
export async function runDownload(ctx: JobContext): Promise<void> {
  ctx.setStrategy('sftp');
  const sources = await Promise.all(ctx.sources.map((s) => absoluteRemote(ctx.sftp, s)));
  try {
    await mkdir(ctx.destination, { recursive: true });
  } catch (error) {
    throw new JobStopError('LOCAL_WRITE_FAILED', `${ctx.destination} cannot be created on this computer (${(error as { code?: string }).code ?? 'error'}).`, 'Choose another folder.');
  }
  const counting = countRemote(ctx, sources);
  const iterator = walkRemote(ctx.sftp, sources, ctx.only)[Symbol.asyncIterator]();
  const next = async (active: () => boolean): Promise<{ file: RemoteFile; local: string } | undefined> => {
    for (;;) {
      if (!active()) return undefined;
      const step = await iterator.next();
      if (step.done === true) return undefined;
      const entry = step.value;
      if (entry.kind === 'failure') {
        ctx.failure(entry.rel, entry.code, entry.message);
        continue;
      }
      const local = localPathOf(ctx, entry.rel);
      if (entry.kind === 'file') return { file: entry, local };
      try {
        await mkdir(local, { recursive: true });
        // A folder without the owner's write bit would refuse its own files: such modes are not copied.
        if ((entry.mode & 0o700) === 0o700) await chmod(local, localMode(entry.mode));
      } catch (error) {
        throw localStop(ctx, error, local);
      }
    }
  };
  try {
    await runFilePool(ctx, {
      lanes: FILES_IN_FLIGHT,
      next,
      send: (item) => downloadOne(ctx, item.file, item.local),
      relOf: (item) => item.file.rel,
    });
  } finally {
    await iterator.return?.(undefined);
    await counting;
  }
}

/** The local path for a remote relative path, each name made legal here; a changed name is reported. */
function localPathOf(ctx: JobContext, rel: string): string {
  const parts = rel.split('/');
  const safe = parts.map((name) => safeLocalName(name, ctx.platform));
  const last = parts.length - 1;
  if (safe[last] !== parts[last]) ctx.failure(rel, 'LOCAL_NAME_CHANGED', `saved as "${safe[last] as string}"`);
  return join(ctx.destination, ...safe);
}

async function countRemote(ctx: JobContext, sources: readonly string[]): Promise<void> {
  let files = 0;
  let bytes = 0;
  try {
    for await (const entry of walkRemote(ctx.sftp, sources, ctx.only)) {
      if (ctx.signal.aborted) return;
      if (entry.kind !== 'file') continue;
      files++;
      bytes += entry.size;
      if (files % 64 === 0) ctx.setTotals(files, bytes, true);
    }
    ctx.setTotals(files, bytes, false);
  } catch (error) {
    ctx.logger.debug(`transfer ${ctx.jobId}: remote counting walk stopped`, error);
    ctx.setTotals(files, bytes, false);
  }
}

async function downloadOne(ctx: JobContext, file: RemoteFile, localPath: string): Promise<void> {
  if (ctx.signal.aborted) throw ctx.signal.reason;
  ctx.setCurrentFile(file.rel);
  let dest = localPath;
  const existing = await stat(dest).catch(() => undefined);
  if (existing !== undefined) {
    if (!existing.isFile()) throw new FileFailure('LOCAL_WRITE_FAILED', `A folder named ${posix.basename(file.rel)} is already there on this computer.`);
    if (existing.size === file.size && Math.floor(existing.mtimeMs / 1000) === file.mtime) {
      ctx.fileSkipped(file.size);
      return;
    }
    const decision = await ctx.decide({
      path: file.rel,
      destination: dest,
      sourceSize: file.size,
      sourceMtimeMs: file.mtime * 1000,
      destinationSize: existing.size,
      destinationMtimeMs: existing.mtimeMs,
    });
    if (decision === 'skip' || (decision === 'newer' && file.mtime <= Math.floor(existing.mtimeMs / 1000))) {
      ctx.fileSkipped(file.size);
      return;
    }
    if (decision === 'rename') {
      const dir = join(dest, '..');
      const name = dest.slice(dir.length + 1);
      dest = join(dir, await firstFreeName(name, async (candidate) => (await stat(join(dir, candidate)).catch(() => undefined)) !== undefined));
    }
  }
  const part = `${dest}${PART_SUFFIX}`;
  // Local parts are written strictly in order, so their length is the confirmed prefix.
  const partInfo = await stat(part).catch(() => undefined);
  let startAt = partInfo?.isFile() === true && partInfo.size <= file.size ? partInfo.size : 0;
  const acked = ctx.ackedFor(file.rel);
  if (acked !== undefined) startAt = Math.min(startAt, acked);
  if (startAt > 0) ctx.addBytes(startAt, false);
  await receiveFile(ctx, file, dest, part, startAt);
  ctx.fileDone();
}

/**
 * Fetches the file into its part and renames it to `dest`. With checksums asked for, the part keeps its
 * temporary name until it matches the instance's `sha256sum`; a copy that does not match is fetched once
 * more from its first byte, and if it still differs the part stays and the file fails (see sendFile).
 */
async function receiveFile(ctx: JobContext, file: RemoteFile, dest: string, part: string, startAt: number): Promise<void> {
  if (!ctx.verifyChecksums) {
    await receivePart(ctx, file, part, startAt, undefined);
  } else {
    for (let from = startAt, again = false; ; from = 0, again = true) {
      const hash = createHash('sha256');
      await receivePart(ctx, file, part, from, hash);
      const verdict = await compareWithRemote(ctx, file.path, file.size, hash.digest('hex'));
      if (verdict === 'unverified') ctx.fileUnverified();
      if (verdict !== 'mismatch') break;
      if (again) {
        ctx.trackPart(part, false);
        ctx.setAcked(file.rel, undefined);
        throw new FileFailure(
          'TRANSFER_CHECKSUM_MISMATCH',
          `The copy differs from the file on the instance (SHA-256) after fetching it twice; it is kept as ${basename(part)} and fetched again by Retry.`,
        );
      }
      ctx.logger.info(`transfer ${ctx.jobId}: checksum mismatch; fetching the file again from its start`);
      ctx.uncount(file.size);
    }
  }
  try {
    await chmod(part, localMode(file.mode));
    await utimes(part, file.mtime, file.mtime);
    await rename(part, dest);
  } catch (error) {
    throw localStop(ctx, error, dest);
  }
  ctx.trackPart(part, false);
  ctx.setAcked(file.rel, undefined);
}

/** Pipelined reads of the remote file from `startAt` into the part, written strictly in order (hashed when asked). */
async function receivePart(ctx: JobContext, file: RemoteFile, part: string, startAt: number, hash: Hash | undefined): Promise<void> {
  let handle: Buffer;
  try {
    handle = await ctx.sftp.openRead(file.path);
  } catch (error) {
    throw remoteReadFailure(error, file);
  }
  let local: FileHandle | undefined;
  try {
    try {
      local = await open(part, startAt > 0 ? 'r+' : 'w', 0o600);
    } catch (error) {
      throw localStop(ctx, error, part);
    }
    ctx.trackPart(part, true);
    if (hash !== undefined && startAt > 0) await hashLocal(local, startAt, hash);
    const window: { read: Promise<number>; buffer: Buffer; offset: number; length: number }[] = [];
    let offset = startAt;
    let written = startAt;
    try {
      while ((offset < file.size || window.length > 0) && !ctx.signal.aborted) {
        while (offset < file.size && window.length < READS_PER_FILE) {
          const buffer = window.length === 0 ? await ctx.slots.take() : ctx.slots.tryTake();
          if (buffer === undefined) break;
          const length = Math.min(buffer.length, file.size - offset);
          const read = ctx.sftp.read(handle, buffer, length, offset);
          read.catch(() => undefined);
          window.push({ read, buffer, offset, length });
          offset += length;
        }
        const head = window.shift();
        if (head === undefined) break;
        try {
          let got = await head.read;
          if (got === 0) throw new FileFailure('TRANSFER_SIZE_MISMATCH', 'This file got shorter on the instance while it was being fetched.');
          // A short read leaves a gap: fill it before anything later is written.
          while (got < head.length) {
            const more = await ctx.sftp.read(handle, head.buffer.subarray(got), head.length - got, head.offset + got);
            if (more === 0) throw new FileFailure('TRANSFER_SIZE_MISMATCH', 'This file got shorter on the instance while it was being fetched.');
            got += more;
          }
          try {
            await local.write(head.buffer, 0, head.length, head.offset);
          } catch (error) {
            throw localStop(ctx, error, part);
          }
          hash?.update(head.buffer.subarray(0, head.length));
          written += head.length;
          ctx.addBytes(head.length, true);
          ctx.setAcked(file.rel, written);
        } finally {
          ctx.slots.give(head.buffer);
        }
      }
    } finally {
      // Reads still out are let finish before their buffers go back.
      for (const pending of window.splice(0)) {
        await pending.read.catch(() => undefined);
        ctx.slots.give(pending.buffer);
      }
    }
    if (ctx.signal.aborted) throw ctx.signal.reason;
    const size = (await local.stat()).size;
    await local.close();
    local = undefined;
    if (size !== file.size) {
      await unlink(part).catch(() => undefined);
      ctx.trackPart(part, false);
      throw new FileFailure('TRANSFER_SIZE_MISMATCH', `Only ${size} of ${file.size} bytes arrived; the copy was removed.`);
    }
  } finally {
    await local?.close().catch(() => undefined);
    await ctx.sftp.close(handle).catch(() => undefined);
  }
}

function remoteReadFailure(error: unknown, file: RemoteFile): unknown {
  const status = sftpStatus(error);
  if (status === SFTP_PERMISSION_DENIED) return new FileFailure('REMOTE_PERMISSION_DENIED', `Permission denied reading ${file.path} on the instance.`);
  if (status === SFTP_NO_SUCH_FILE) return new FileFailure('REMOTE_NOT_FOUND', `${file.path} no longer exists on the instance.`);
  if (status !== undefined) return new FileFailure('REMOTE_FAILED', `The instance could not read ${file.path}.`);
  return error;
}

/** A full local disk stops the job; other local write problems fail the file. */
function localStop(ctx: JobContext, error: unknown, path: string): unknown {
  if (error instanceof FileFailure || error instanceof JobStopError) return error;
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOSPC') {
    return new JobStopError('LOCAL_WRITE_FAILED', `This computer's disk is full: ${path} could not be written.`, 'Free some space, then press Resume.');
  }
  if (ctx.signal.aborted) return ctx.signal.reason;
  return new FileFailure('LOCAL_WRITE_FAILED', `${path} could not be written on this computer (${typeof code === 'string' ? code : 'error'}).`);
}
