import type { ConflictDecision, TransferConflict } from '../../../shared/models/transfers';
import type { Logger } from '../logging/logger';
import type { SshConnection } from '../ssh/ssh-connection';
import type { ByteSlots } from './byte-slots';
import type { SftpCalls } from '../ssh/sftp-calls';

/**
 * What a running job's executor (upload or download, one attempt on one connection) may see and do.
 * The service owns the job record; executors report through these calls, so counting, throttled progress
 * and persistence stay in one place.
 */
export interface JobContext {
  readonly jobId: string;
  readonly instanceName: string;
  readonly sources: readonly string[];
  readonly destination: string;
  readonly verifyChecksums: boolean;
  /** Retry of failed files only: relative paths. */
  readonly only: ReadonlySet<string> | undefined;
  /** Set when this attempt continues an earlier one (dropped link, restart, resume): part files may exist. */
  readonly resumed: boolean;
  /** The strategy an earlier attempt chose (a tar job continues file by file). */
  readonly previousStrategy: 'sftp' | 'tar' | undefined;
  readonly connection: SshConnection;
  readonly sftp: SftpCalls;
  /** Aborted on pause, cancel, dispose or a dropped connection. */
  readonly signal: AbortSignal;
  readonly slots: ByteSlots;
  readonly logger: Logger;
  readonly platform: NodeJS.Platform;
  /** How long `sha256sum` of a file this size may take on the instance. */
  checksumTimeoutMs(bytes: number): number;

  setStrategy(strategy: 'sftp' | 'tar'): void;
  /** Adopts a conflict policy for the rest of the job (a tar job continuing file by file overwrites its own files). */
  setPolicy(policy: ConflictDecision): void;
  /** Totals from the counting walk (it runs alongside the transfer). */
  setTotals(files: number, bytes: number, counting: boolean): void;
  /** The counting walk's totals so far, and whether it has finished. */
  totals(): { files: number; bytes: number; counting: boolean };
  setCurrentFile(rel: string | undefined): void;
  /** Forgets this attempt's counts (a failed tar stream is followed by a file-by-file pass that counts afresh). */
  restartCounters(): void;
  /** Bytes now at the destination (sent, or found there already). `sent` counts bytes that crossed the link. */
  addBytes(bytes: number, sent: boolean): void;
  fileDone(): void;
  /** A file kept without a checksum comparison: the instance has no sha256sum. */
  fileUnverified(): void;
  /** Takes back bytes counted for a file that is sent again (its copy did not match). */
  uncount(bytes: number): void;
  /** A file left alone (identical already, or a conflict decision); its bytes count as done. */
  fileSkipped(bytes: number): void;
  failure(rel: string, code: string, message: string): void;
  /** The contiguous prefix of `rel`'s part file the far side confirmed (kept for resume). */
  setAcked(rel: string, bytes: number | undefined): void;
  ackedFor(rel: string): number | undefined;
  /** The destination holds another version: the policy's answer, asking the user when it is 'ask'. */
  decide(conflict: TransferConflict): Promise<ConflictDecision>;
  /** Part files currently written (removed when the job is cancelled). */
  trackPart(path: string, open: boolean): void;
}

/** An error that stops the whole job (not just one file): disk full, instance gone. */
export class JobStopError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'JobStopError';
  }
}
