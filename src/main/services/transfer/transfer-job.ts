import type {
  ConflictDecision,
  InstanceRef,
  TransferConflict,
  TransferJob,
  TransferState,
} from '../../../shared/models/transfers';
import { SpeedMeter } from './speed-meter';
import type { TransferRecord } from './transfer-record';

export const FINISHED: ReadonlySet<TransferState> = new Set(['completed', 'failed', 'cancelled']);
/** Failures kept per job (and files retried by "retry failed"). */
export const MAX_FAILURES = 1000;

export type StopKind = 'pause' | 'cancel' | 'dispose' | 'lost';

/** Why an attempt was aborted; executors rethrow it, the runner decides what it means. */
export class StopReason extends Error {
  constructor(readonly kind: StopKind) {
    super(`transfer ${kind}`);
    this.name = 'StopReason';
  }
}

/** One job as the queue holds it: the record that is saved, plus what only this session knows. */
export interface Job {
  record: TransferRecord;
  counting: boolean;
  currentFile: string | undefined;
  conflict: TransferConflict | undefined;
  pendingAnswer: { resolve: (decision: ConflictDecision) => void; reject: (error: unknown) => void } | undefined;
  asking: Promise<unknown>;
  acceptHostKey: string | undefined;
  attempt: AbortController | undefined;
  runner: Promise<void> | undefined;
  speed: SpeedMeter;
  acked: Map<string, number>;
  resumed: boolean;
  bytesOnWire: number;
  parts: Set<string>;
  /** Told when the job finishes (transfer-test-probe.ts). */
  waiters: ((job: TransferJob) => void)[];
  publishTimer: NodeJS.Timeout | undefined;
}

/** What the queue's parts share: the jobs in order of arrival, and whether the service is closing. */
export interface QueueState {
  readonly jobs: Map<string, Job>;
  disposed: boolean;
}

export function newJob(record: TransferRecord, acceptHostKey?: string): Job {
  return {
    record,
    counting: !FINISHED.has(record.state),
    currentFile: undefined,
    conflict: undefined,
    pendingAnswer: undefined,
    asking: Promise.resolve(),
    acceptHostKey,
    attempt: undefined,
    runner: undefined,
    speed: new SpeedMeter(),
    acked: new Map(record.partial === undefined ? [] : [[record.partial.path, record.partial.ackedBytes]]),
    resumed: record.doneBytes > 0 || record.doneFiles > 0 || record.partial !== undefined,
    bytesOnWire: 0,
    parts: new Set(),
    waiters: [],
    publishTimer: undefined,
  };
}

/** The job as the renderer sees it. */
export function snapshot(job: Job): TransferJob {
  const r = job.record;
  const totalBytes = Math.max(r.totalBytes, r.doneBytes);
  const running = r.state === 'running';
  const bytesPerSecond = running ? job.speed.bytesPerSecond() : 0;
  const eta = running ? job.speed.etaSeconds(r.doneBytes, totalBytes, !job.counting) : undefined;
  return {
    jobId: r.jobId,
    direction: r.direction,
    instance: { ...r.instance },
    instanceName: r.instanceName,
    sources: [...r.sources],
    destination: r.destination,
    state: r.state,
    ...(r.strategy === undefined ? {} : { strategy: r.strategy }),
    counting: job.counting && !FINISHED.has(r.state),
    totalFiles: Math.max(r.totalFiles, r.doneFiles + r.skippedFiles),
    totalBytes,
    doneFiles: r.doneFiles,
    doneBytes: r.doneBytes,
    skippedFiles: r.skippedFiles,
    ...(r.unverifiedFiles === undefined || r.unverifiedFiles === 0 ? {} : { unverifiedFiles: r.unverifiedFiles }),
    ...(job.currentFile === undefined || FINISHED.has(r.state) ? {} : { currentFile: job.currentFile }),
    bytesPerSecond,
    ...(eta === undefined ? {} : { etaSeconds: eta }),
    failures: r.failures.map((f) => ({ ...f })),
    ...(job.conflict === undefined ? {} : { conflict: { ...job.conflict } }),
    ...(r.error === undefined ? {} : { error: { ...r.error } }),
    verifyChecksums: r.verifyChecksums,
    createdAt: r.createdAt,
    ...(r.finishedAt === undefined ? {} : { finishedAt: r.finishedAt }),
  };
}

/** The job as it is saved: the largest confirmed prefix of a part file rides along for resume. */
export function recordForDisk(job: Job): TransferRecord {
  let partial: TransferRecord['partial'];
  for (const [path, ackedBytes] of job.acked) {
    if (partial === undefined || ackedBytes > partial.ackedBytes) partial = { path, ackedBytes };
  }
  const { partial: _old, ...rest } = job.record;
  return { ...rest, ...(partial === undefined || FINISHED.has(job.record.state) ? {} : { partial }) };
}

/** The instance to connect to, with the host key the user accepted when starting the job. */
export function refOf(job: Job): InstanceRef {
  return { ...job.record.instance, ...(job.acceptHostKey === undefined ? {} : { acceptHostKey: job.acceptHostKey }) };
}

export function resetCounters(job: Job): void {
  const { unverifiedFiles: _unverified, ...rest } = job.record;
  job.record = { ...rest, doneFiles: 0, doneBytes: 0, skippedFiles: 0, failures: [] };
  job.counting = true;
  job.speed.reset();
}

/** Error texts are clipped to what the saved record allows. */
export function clipError(error: NonNullable<TransferRecord['error']>): NonNullable<TransferRecord['error']> {
  return {
    code: error.code.slice(0, 64),
    message: error.message.slice(0, 2000),
    ...(error.hint === undefined ? {} : { hint: error.hint.slice(0, 2000) }),
  };
}
