import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { JobContext } from './job-context';
import { FileFailure } from './file-failure';

/**
 * How long `sha256sum` may take on the instance: half a minute, plus the file read at 8 MiB/s — slower
 * than any disk an instance reads from, so only a stuck command (a hung mount, a stopped volume) runs out.
 */
export function defaultChecksumTimeoutMs(bytes: number): number {
  return 30_000 + Math.ceil((bytes / (8 * 1024 * 1024)) * 1000);
}

/** `sha256sum -- $2` limited to $1 seconds by coreutils' `timeout` where the instance has it. */
const HASH_SCRIPT = 'if command -v timeout >/dev/null 2>&1; then exec timeout "$1" sha256sum -- "$2"; fi; exec sha256sum -- "$2"';
const HASH_GRACE_MS = 10_000;

/** What comparing a copy with the instance's `sha256sum` found. */
export type ChecksumVerdict = 'match' | 'mismatch' | 'unverified';

/**
 * Compares `localHex` with `sha256sum -- <remotePath>` on the instance. 'unverified' when the instance has
 * no sha256sum (its own state: nothing was compared, nothing is known to be wrong). A hash that runs out of
 * time, or that sha256sum could not compute, fails the file; a dropped link or a stop (pause, cancel)
 * throws as such, so the job reconnects or stops.
 */
export async function compareWithRemote(ctx: JobContext, remotePath: string, size: number, localHex: string): Promise<ChecksumVerdict> {
  const timeoutMs = ctx.checksumTimeoutMs(size);
  const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  const timedOut = new FileFailure(
    'TRANSFER_CHECKSUM_TIMEOUT',
    `sha256sum on the instance did not finish within ${seconds} s, so this file was not checked; the copy is kept under its temporary name.`,
  );
  let result: { stdout: string; code: number | undefined };
  try {
    // The instance's own `timeout` ends the command there (sshd may refuse to signal a session); the
    // connection's timeout, a little later, closes the channel should even that not answer.
    result = await ctx.connection.run({ script: HASH_SCRIPT, args: [String(seconds), remotePath] }, timeoutMs + HASH_GRACE_MS, ctx.signal);
  } catch (error) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (ctx.connection.closed) throw error;
    if (error instanceof Error && /timed out/.test(error.message)) throw timedOut;
    throw error;
  }
  if (ctx.signal.aborted) throw ctx.signal.reason;
  // The channel also closes when the link drops: that is not an answer from sha256sum.
  if (result.code === undefined && ctx.connection.closed) throw new Error('Connection lost (channel closed) while hashing');
  // `exec` of a command that is not there: the shell (or `timeout`) exits 127.
  if (result.code === 127) return 'unverified';
  if (result.code === 124) throw timedOut;
  // Names with a backslash or newline make sha256sum prefix its line with '\'.
  const remoteHex = result.code === 0 ? /^\\?([0-9a-f]{64})/.exec(result.stdout)?.[1] : undefined;
  if (remoteHex === undefined) {
    throw new FileFailure('TRANSFER_CHECKSUM_FAILED', `sha256sum on the instance could not hash this file (exit ${String(result.code)}); the copy is kept under its temporary name.`);
  }
  return remoteHex === localHex ? 'match' : 'mismatch';
}

/** SHA-256 of the first `length` bytes of an open local file. */
export async function hashLocal(local: FileHandle, length: number, into = createHash('sha256')): Promise<ReturnType<typeof createHash>> {
  const buffer = Buffer.allocUnsafe(256 * 1024);
  for (let offset = 0; offset < length; ) {
    const { bytesRead } = await local.read(buffer, 0, Math.min(buffer.length, length - offset), offset);
    if (bytesRead === 0) break;
    into.update(buffer.subarray(0, bytesRead));
    offset += bytesRead;
  }
  return into;
}
