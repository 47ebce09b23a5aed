import type { Logger } from '../logging/logger';
import type { SftpCalls } from '../ssh/sftp-calls';
import type { SshConnection } from '../ssh/ssh-connection';
import { ByteSlots } from './byte-slots';
import type { ConflictQuestions } from './conflict-questions';
import type { JobContext } from './job-context';
import type { JobProgress } from './job-progress';
import { isNearLink, NEAR_SLOTS } from './near-link';
import { MAX_FAILURES, resetCounters, type Job } from './transfer-job';

/** Buffers per job: 16 × 128 KiB = 2 MiB in flight at most, whatever the strategy (128 KiB fits one OpenSSH SFTP write). */
const SLOT_COUNT = 16;
const SLOT_SIZE = 128 * 1024;

export interface JobContextDeps {
  progress: JobProgress;
  conflicts: ConflictQuestions;
  logger: Logger;
  platform: NodeJS.Platform;
  checksumTimeoutMs(bytes: number): number;
}

/** What one attempt's executor sees: the job's settings, and calls that count into the job record. */
export function createJobContext(
  job: Job,
  attempt: { connection: SshConnection; sftp: SftpCalls; signal: AbortSignal },
  deps: JobContextDeps,
): JobContext {
  const { progress, conflicts } = deps;
  const r = job.record;
  return {
    jobId: r.jobId,
    instanceName: r.instanceName,
    sources: r.sources,
    destination: r.destination,
    verifyChecksums: r.verifyChecksums,
    only: r.only === undefined ? undefined : new Set(r.only),
    resumed: job.resumed,
    previousStrategy: r.strategy,
    connection: attempt.connection,
    sftp: attempt.sftp,
    signal: attempt.signal,
    // An upload over a near link keeps fewer writes in flight (near-link.ts).
    slots: new ByteSlots(SLOT_COUNT, SLOT_SIZE, () => (r.direction === 'upload' && isNearLink(attempt.sftp) ? NEAR_SLOTS : SLOT_COUNT)),
    logger: deps.logger,
    platform: deps.platform,
    checksumTimeoutMs: (bytes) => deps.checksumTimeoutMs(bytes),
    setStrategy(strategy) {
      if (job.record.strategy === strategy) return;
      job.record = { ...job.record, strategy };
      progress.changed(job);
    },
    setPolicy(policy) {
      job.record = { ...job.record, conflict: policy };
    },
    setTotals(files, bytes, counting) {
      const rec = job.record;
      job.record = counting
        ? { ...rec, totalFiles: Math.max(rec.totalFiles, files), totalBytes: Math.max(rec.totalBytes, bytes) }
        : { ...rec, totalFiles: files, totalBytes: bytes };
      const wasCounting = job.counting;
      job.counting = counting;
      if (wasCounting && !counting) progress.publishNow(job);
      else progress.progressed(job);
    },
    totals() {
      return { files: job.record.totalFiles, bytes: job.record.totalBytes, counting: job.counting };
    },
    setCurrentFile(rel) {
      job.currentFile = rel;
    },
    restartCounters() {
      // The counting walk goes on (or has finished): its totals stay valid.
      const counting = job.counting;
      resetCounters(job);
      job.counting = counting;
    },
    addBytes(bytes, sent) {
      job.record.doneBytes += bytes;
      if (sent) job.bytesOnWire += bytes;
      job.speed.record(job.record.doneBytes);
      progress.progressed(job);
    },
    fileDone() {
      job.record.doneFiles++;
      progress.progressed(job);
    },
    fileUnverified() {
      job.record.unverifiedFiles = (job.record.unverifiedFiles ?? 0) + 1;
      progress.progressed(job);
    },
    uncount(bytes) {
      job.record.doneBytes = Math.max(0, job.record.doneBytes - bytes);
      // The rate would read the step back as negative throughput.
      job.speed.reset();
      progress.progressed(job);
    },
    fileSkipped(bytes) {
      job.record.skippedFiles++;
      job.record.doneBytes += bytes;
      job.speed.record(job.record.doneBytes);
      progress.progressed(job);
    },
    failure(rel, code, message) {
      if (job.record.failures.length >= MAX_FAILURES) return;
      job.record.failures = [...job.record.failures, { path: rel.slice(0, 4096), code: code.slice(0, 64), message: message.slice(0, 2000) }];
      progress.progressed(job);
    },
    setAcked(rel, bytes) {
      if (bytes === undefined) job.acked.delete(rel);
      else job.acked.set(rel, bytes);
    },
    ackedFor(rel) {
      return job.acked.get(rel);
    },
    decide(conflict) {
      return conflicts.decide(job, conflict, attempt.signal);
    },
    trackPart(path, open) {
      if (open) job.parts.add(path);
      else job.parts.delete(path);
    },
  };
}
