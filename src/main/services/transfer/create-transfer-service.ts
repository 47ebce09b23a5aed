import { randomUUID } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { HangarError } from '../../../shared/errors/hangar-error';
import type { TransferRecord } from '../../../shared/models/settings';
import type {
  ConflictDecision,
  ConflictPolicy,
  InstanceRef,
  TransferConflict,
  TransferJob,
  TransferState,
} from '../../../shared/models/transfers';
import type { EventHub } from '../app/event-hub';
import { sleep } from '../common/sleep';
import type { Ec2Service } from '../ec2/ec2-service';
import type { Logger } from '../logging/logger';
import type { SettingsStore } from '../settings/settings-store';
import type { ConnectionManager } from '../ssh/create-connection-manager';
import type { SshConnection } from '../ssh/ssh-connection';
import { ByteSlots } from './byte-slots';
import { runDownload } from './download-job';
import { JobStopError, type JobContext } from './job-context';
import { isLinkFailure } from './link-errors';
import { SftpCalls } from '../ssh/sftp-calls';
import { SpeedMeter } from './speed-meter';
import type { TransferEvents, TransferService } from './transfer-service';
import { runUpload } from './upload-job';

export interface TransferServiceDeps {
  connections: ConnectionManager;
  settings: SettingsStore;
  events: Pick<EventHub<TransferEvents>, 'publish'>;
  ec2: Pick<Ec2Service, 'describeInstance'>;
  logger: Logger;
  /** The local OS, for names that are illegal there when downloading (default: process.platform). */
  platform?: NodeJS.Platform;
  /** Waits before each reconnect attempt after a dropped link (default 1 s, 2 s, 4 s … about 2 minutes in all). */
  reconnectDelaysMs?: readonly number[];
  /** Jobs that run at once (default 2); the others wait as `queued`. */
  maxRunning?: number;
}

const DEFAULT_RECONNECT_DELAYS = [1000, 2000, 4000, 8000, 15_000, 30_000, 30_000, 30_000];
const PUBLISH_EVERY_MS = 100;
const PERSIST_EVERY_MS = 2000;
/** Buffers per job: 16 × 128 KiB = 2 MiB in flight at most, whatever the strategy (128 KiB fits one OpenSSH SFTP write). */
const SLOT_COUNT = 16;
const SLOT_SIZE = 128 * 1024;
const MAX_FAILURES = 1000;
const MAX_RECORDS = 500;
const FINISHED: ReadonlySet<TransferState> = new Set(['completed', 'failed', 'cancelled']);
/** Failures that a retry would not change. */
const NOT_RETRIED = new Set(['LOCAL_NAME_CHANGED', 'SYMLINK_LOOP']);

type StopKind = 'pause' | 'cancel' | 'dispose' | 'lost';

/** Why an attempt was aborted; executors rethrow it, the runner decides what it means. */
class StopReason extends Error {
  constructor(readonly kind: StopKind) {
    super(`transfer ${kind}`);
    this.name = 'StopReason';
  }
}

interface Job {
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
  waiters: ((job: TransferJob) => void)[];
  publishTimer: NodeJS.Timeout | undefined;
}

/**
 * The transfer queue: jobs persist in settings (so a restart resumes them), run at most two at a time on
 * the instance's shared connection, report throttled progress as `transfers.changed`, wait and reconnect
 * when the link drops, and stop with a plain message when the instance stops or its disk fills up.
 */
export function createTransferService(deps: TransferServiceDeps): TransferService {
  const { connections, settings, events, ec2, logger } = deps;
  const platform = deps.platform ?? process.platform;
  const reconnectDelays = deps.reconnectDelaysMs ?? DEFAULT_RECONNECT_DELAYS;
  const maxRunning = deps.maxRunning ?? 2;
  const jobs = new Map<string, Job>();
  /** The last "apply to all" answer, used by later jobs that would ask (remembered for this session). */
  let sessionDecision: ConflictDecision | undefined;
  let disposed = false;
  let persistTimer: NodeJS.Timeout | undefined;
  let lastPersist = 0;

  function newJob(record: TransferRecord, acceptHostKey?: string): Job {
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

  // Jobs from the last session: unfinished ones continue (paused ones wait for the user).
  for (const stored of settings.get().transfers) {
    const record = { ...stored };
    if (record.state === 'running' || record.state === 'waiting') record.state = 'queued';
    const job = newJob(record);
    if (record.state === 'queued') job.resumed = true;
    jobs.set(record.jobId, job);
  }

  function snapshot(job: Job): TransferJob {
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

  function recordForDisk(job: Job): TransferRecord {
    let partial: TransferRecord['partial'];
    for (const [path, ackedBytes] of job.acked) {
      if (partial === undefined || ackedBytes > partial.ackedBytes) partial = { path, ackedBytes };
    }
    const { partial: _old, ...rest } = job.record;
    return { ...rest, ...(partial === undefined || FINISHED.has(job.record.state) ? {} : { partial }) };
  }

  function persistNow(): void {
    if (persistTimer !== undefined) clearTimeout(persistTimer);
    persistTimer = undefined;
    lastPersist = Date.now();
    let records = [...jobs.values()].map(recordForDisk);
    if (records.length > MAX_RECORDS) {
      const extra = records.length - MAX_RECORDS;
      let dropped = 0;
      records = records.filter((r) => !(FINISHED.has(r.state) && dropped++ < extra));
    }
    try {
      settings.mutate((s) => ({ ...s, transfers: records }));
    } catch (error) {
      logger.warn('transfer queue could not be saved', error);
    }
  }

  function persistSoon(): void {
    if (persistTimer !== undefined || disposed) return;
    const wait = Math.max(0, PERSIST_EVERY_MS - (Date.now() - lastPersist));
    persistTimer = setTimeout(persistNow, wait);
    persistTimer.unref();
  }

  function publishNow(job: Job): void {
    if (job.publishTimer !== undefined) clearTimeout(job.publishTimer);
    job.publishTimer = undefined;
    if (!jobs.has(job.record.jobId)) return;
    events.publish('transfers.changed', snapshot(job));
  }

  /** Progress: at most ~10 events a second per job, saved every ~2 s. */
  function progressed(job: Job): void {
    if (job.publishTimer === undefined && !disposed) {
      job.publishTimer = setTimeout(() => publishNow(job), PUBLISH_EVERY_MS);
      job.publishTimer.unref();
    }
    persistSoon();
  }

  /** A state change: told and saved at once. */
  function changed(job: Job): void {
    if (disposed) return;
    publishNow(job);
    persistNow();
    if (FINISHED.has(job.record.state)) {
      const snap = snapshot(job);
      for (const waiter of job.waiters.splice(0)) waiter(snap);
    }
  }

  function setState(job: Job, state: TransferState, error?: TransferRecord['error']): void {
    const { error: _old, finishedAt: _f, ...rest } = job.record;
    job.record = {
      ...rest,
      state,
      ...(error === undefined ? {} : { error: clipError(error) }),
      ...(FINISHED.has(state) ? { finishedAt: new Date().toISOString() } : {}),
    };
    changed(job);
  }

  function find(jobId: string): Job {
    const job = jobs.get(jobId);
    if (job === undefined) {
      throw new HangarError({ code: 'TRANSFER_NOT_FOUND', message: 'That transfer is no longer in the list.', hint: 'Refresh the transfers panel.' });
    }
    return job;
  }

  function stateError(job: Job, what: string): HangarError {
    return new HangarError({ code: 'TRANSFER_STATE', message: `This transfer is ${job.record.state}, so it cannot be ${what}.` });
  }

  function pump(): void {
    if (disposed) return;
    let running = [...jobs.values()].filter((j) => j.runner !== undefined).length;
    for (const job of jobs.values()) {
      if (running >= maxRunning) return;
      if (job.record.state !== 'queued' || job.runner !== undefined) continue;
      running++;
      job.runner = runJob(job)
        .catch((error: unknown) => logger.error(`transfer ${job.record.jobId} runner crashed`, error))
        .finally(() => {
          job.runner = undefined;
          pump();
        });
    }
  }

  function refOf(job: Job): InstanceRef {
    return { ...job.record.instance, ...(job.acceptHostKey === undefined ? {} : { acceptHostKey: job.acceptHostKey }) };
  }

  /** After a dropped link: acquire again with backoff; then ask EC2 whether the instance stopped. */
  async function reconnect(job: Job, signal: AbortSignal): Promise<Awaited<ReturnType<ConnectionManager['acquire']>>> {
    let lastError: unknown;
    for (const delay of reconnectDelays) {
      await sleep(delay, signal);
      try {
        return await connections.acquire(refOf(job), signal);
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        lastError = error;
        logger.debug(`transfer ${job.record.jobId}: reconnect failed`, error);
      }
    }
    const { accountId, region, instanceId } = job.record.instance;
    const details = await ec2.describeInstance(accountId, region, instanceId, signal).catch(() => undefined);
    const state = details?.instance.state;
    if (state === 'stopping' || state === 'stopped' || state === 'shutting-down' || state === 'terminated') {
      throw new JobStopError('INSTANCE_STOPPED', `${job.record.instanceName} stopped during the transfer.`, 'Start it, then press Resume.');
    }
    // Final: never taken for another dropped link (which would start the backoff all over again).
    const final = describeFailure(lastError ?? new Error('reconnecting failed'));
    throw new JobStopError(final.code, final.message, final.hint);
  }

  async function runJob(job: Job): Promise<void> {
    let reconnecting = false;
    for (;;) {
      const attempt = new AbortController();
      job.attempt = attempt;
      let connection: SshConnection | undefined;
      let sftp: SftpCalls | undefined;
      let stopWatching: (() => void) | undefined;
      try {
        if (job.record.state !== 'waiting') setState(job, 'running');
        const lease = reconnecting ? await reconnect(job, attempt.signal) : await connections.acquire(refOf(job), attempt.signal);
        connection = lease.connection;
        // Paused or cancelled while connecting: the state the user chose stands.
        if (attempt.signal.aborted) throw attempt.signal.reason;
        if (job.record.instanceName !== lease.target.title) job.record = { ...job.record, instanceName: lease.target.title };
        if (reconnecting || job.record.state !== 'running') setState(job, 'running');
        reconnecting = false;
        const calls = new SftpCalls(await connection.sftp());
        sftp = calls;
        stopWatching = connection.onClose(() => {
          attempt.abort(new StopReason('lost'));
          calls.fail(new Error('Connection lost (channel closed)'));
        });
        resetCounters(job);
        const ctx = contextFor(job, connection, sftp, attempt.signal);
        await (job.record.direction === 'upload' ? runUpload(ctx) : runDownload(ctx));
        if (attempt.signal.aborted) throw attempt.signal.reason;
        job.acked.clear();
        job.currentFile = undefined;
        setState(job, 'completed');
        return;
      } catch (error) {
        const reason: unknown = attempt.signal.aborted ? attempt.signal.reason : undefined;
        if (reason instanceof StopReason && reason.kind !== 'lost') {
          await stopped(job, reason.kind, sftp, connection);
          return;
        }
        if (!(error instanceof JobStopError) && (reason instanceof StopReason || isLinkFailure(error, connection))) {
          logger.info(`transfer ${job.record.jobId}: connection lost; reconnecting`);
          reconnecting = true;
          job.resumed = true;
          setState(job, 'waiting', {
            code: 'CONNECTION_LOST',
            message: `Connection to ${job.record.instanceName} lost — reconnecting…`,
            hint: 'The transfer continues where it stopped once the connection is back.',
          });
          continue;
        }
        job.resumed = true;
        setState(job, 'failed', describeFailure(error));
        logger.info(`transfer ${job.record.jobId} failed: ${job.record.error?.code ?? ''}`);
        return;
      } finally {
        stopWatching?.();
        sftp?.detach();
        job.attempt = undefined;
        connection?.release();
      }
    }
  }

  function describeFailure(error: unknown): NonNullable<TransferRecord['error']> {
    if (error instanceof JobStopError) return { code: error.code, message: error.message, ...(error.hint === undefined ? {} : { hint: error.hint }) };
    if (error instanceof HangarError) return { code: error.code, message: error.message, ...(error.hint === undefined ? {} : { hint: error.hint }) };
    const text = error instanceof Error ? error.message : String(error);
    return { code: 'REMOTE_FAILED', message: `The transfer stopped: ${text}`, hint: 'Press Resume to try again.' };
  }

  /** After pause / cancel / dispose unwound: cancel removes the part files being written. */
  async function stopped(job: Job, kind: StopKind, sftp: SftpCalls | undefined, connection: SshConnection | undefined): Promise<void> {
    job.resumed = true;
    if (kind === 'cancel') {
      if (job.record.direction === 'upload' && (sftp === undefined || connection?.closed !== false)) await cleanupParts(job);
      else await removeParts(job, sftp, connection);
      job.acked.clear();
      job.currentFile = undefined;
      if (!disposed) changed(job);
      return;
    }
    if (kind === 'pause' && !disposed) changed(job);
  }

  async function removeParts(job: Job, sftp: SftpCalls | undefined, connection: SshConnection | undefined): Promise<void> {
    const parts = [...job.parts];
    job.parts.clear();
    if (job.record.direction === 'download') {
      await Promise.all(parts.map((p) => unlink(p).catch(() => undefined)));
      return;
    }
    if (sftp === undefined || connection?.closed !== false) return;
    await Promise.all(parts.map((p) => sftp.unlink(p).catch(() => undefined)));
  }

  function resetCounters(job: Job): void {
    job.record = { ...job.record, doneFiles: 0, doneBytes: 0, skippedFiles: 0, failures: [] };
    job.counting = true;
    job.speed.reset();
  }

  function effectivePolicy(job: Job): ConflictPolicy {
    if (job.record.conflict !== 'ask') return job.record.conflict;
    return sessionDecision ?? 'ask';
  }

  function contextFor(job: Job, connection: SshConnection, sftp: SftpCalls, signal: AbortSignal): JobContext {
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
      connection,
      sftp,
      signal,
      slots: new ByteSlots(SLOT_COUNT, SLOT_SIZE),
      logger,
      platform,
      setStrategy(strategy) {
        if (job.record.strategy === strategy) return;
        job.record = { ...job.record, strategy };
        changed(job);
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
        if (wasCounting && !counting) publishNow(job);
        else progressed(job);
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
        progressed(job);
      },
      fileDone() {
        job.record.doneFiles++;
        progressed(job);
      },
      fileSkipped(bytes) {
        job.record.skippedFiles++;
        job.record.doneBytes += bytes;
        job.speed.record(job.record.doneBytes);
        progressed(job);
      },
      failure(rel, code, message) {
        if (job.record.failures.length >= MAX_FAILURES) return;
        job.record.failures = [...job.record.failures, { path: rel.slice(0, 4096), code: code.slice(0, 64), message: message.slice(0, 2000) }];
        progressed(job);
      },
      setAcked(rel, bytes) {
        if (bytes === undefined) job.acked.delete(rel);
        else job.acked.set(rel, bytes);
      },
      ackedFor(rel) {
        return job.acked.get(rel);
      },
      decide(conflict) {
        const policy = effectivePolicy(job);
        if (policy !== 'ask') return Promise.resolve(policy);
        const turn = job.asking.then(() => ask(job, conflict, signal));
        job.asking = turn.catch(() => undefined);
        return turn;
      },
      trackPart(path, open) {
        if (open) job.parts.add(path);
        else job.parts.delete(path);
      },
    };
  }

  function ask(job: Job, conflict: TransferConflict, signal: AbortSignal): Promise<ConflictDecision> {
    // An "apply to all" may have arrived while this question waited its turn.
    const policy = effectivePolicy(job);
    if (policy !== 'ask') return Promise.resolve(policy);
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<ConflictDecision>((resolve, reject) => {
      const onAbort = (): void => {
        job.pendingAnswer = undefined;
        job.conflict = undefined;
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      job.pendingAnswer = {
        resolve: (decision) => {
          signal.removeEventListener('abort', onAbort);
          resolve(decision);
        },
        reject,
      };
      job.conflict = conflict;
      setState(job, 'waiting');
    });
  }

  function create(input: {
    direction: 'upload' | 'download';
    instance: InstanceRef;
    sources: readonly string[];
    destination: string;
    conflict: ConflictPolicy | undefined;
    verifyChecksums: boolean | undefined;
  }): TransferJob {
    if (disposed) throw new HangarError({ code: 'TRANSFER_STATE', message: 'Hangar is closing; the transfer was not started.' });
    const { acceptHostKey, ...instance } = input.instance;
    const record: TransferRecord = {
      jobId: randomUUID(),
      direction: input.direction,
      instance,
      instanceName: instance.instanceId,
      sources: [...input.sources],
      destination: input.destination,
      conflict: input.conflict ?? 'ask',
      verifyChecksums: input.verifyChecksums ?? false,
      state: 'queued',
      totalFiles: 0,
      totalBytes: 0,
      doneFiles: 0,
      doneBytes: 0,
      skippedFiles: 0,
      failures: [],
      createdAt: new Date().toISOString(),
    };
    const job = newJob(record, acceptHostKey);
    job.resumed = false;
    jobs.set(record.jobId, job);
    changed(job);
    pump();
    return snapshot(job);
  }

  function cancel(jobId: string): TransferJob {
    const job = find(jobId);
    if (FINISHED.has(job.record.state)) return snapshot(job);
    job.conflict = undefined;
    setState(job, 'cancelled');
    if (job.attempt !== undefined) job.attempt.abort(new StopReason('cancel'));
    else if (job.parts.size > 0) void cleanupParts(job);
    return snapshot(job);
  }

  // Started once the caller has the service (and its event subscribers are in place).
  queueMicrotask(pump);

  return {
    list: () => [...jobs.values()].map(snapshot),

    upload(input) {
      return create({
        direction: 'upload',
        instance: input.instance,
        sources: input.localPaths,
        destination: input.remoteDir,
        conflict: input.conflict,
        verifyChecksums: input.verifyChecksums,
      });
    },

    download(input) {
      return create({
        direction: 'download',
        instance: input.instance,
        sources: input.remotePaths,
        destination: input.localDir,
        conflict: input.conflict,
        verifyChecksums: input.verifyChecksums,
      });
    },

    pause(jobId) {
      const job = find(jobId);
      const state = job.record.state;
      if (state === 'paused') return snapshot(job);
      if (state !== 'queued' && state !== 'running' && state !== 'waiting') throw stateError(job, 'paused');
      job.conflict = undefined;
      setState(job, 'paused');
      job.attempt?.abort(new StopReason('pause'));
      return snapshot(job);
    },

    resume(jobId) {
      const job = find(jobId);
      const state = job.record.state;
      if (state === 'queued' || state === 'running' || state === 'waiting') return snapshot(job);
      if (state === 'completed') throw stateError(job, 'resumed');
      job.resumed = true;
      setState(job, 'queued');
      pump();
      return snapshot(job);
    },

    cancel,

    cancelAll() {
      for (const job of jobs.values()) {
        if (!FINISHED.has(job.record.state)) cancel(job.record.jobId);
      }
    },

    retryFailed(jobId) {
      const job = find(jobId);
      if (!FINISHED.has(job.record.state) || job.runner !== undefined) throw stateError(job, 'retried');
      const only = [...new Set(job.record.failures.filter((f) => !NOT_RETRIED.has(f.code)).map((f) => f.path))];
      if (only.length === 0) {
        throw new HangarError({ code: 'TRANSFER_STATE', message: 'This transfer has no failed files to retry.' });
      }
      job.record = { ...job.record, only: only.slice(0, MAX_FAILURES), failures: [] };
      job.resumed = true;
      setState(job, 'queued');
      pump();
      return snapshot(job);
    },

    resolveConflict(jobId, answer) {
      const job = find(jobId);
      const pending = job.pendingAnswer;
      if (pending === undefined) {
        throw new HangarError({ code: 'TRANSFER_STATE', message: 'This transfer is not waiting for an answer.' });
      }
      if (answer.applyToAll) {
        job.record = { ...job.record, conflict: answer.decision };
        sessionDecision = answer.decision;
      }
      job.pendingAnswer = undefined;
      job.conflict = undefined;
      setState(job, 'running');
      pending.resolve(answer.decision);
      return snapshot(job);
    },

    clearFinished(jobId) {
      const removed: string[] = [];
      for (const job of jobs.values()) {
        if (jobId !== undefined && job.record.jobId !== jobId) continue;
        if (!FINISHED.has(job.record.state) || job.runner !== undefined) continue;
        jobs.delete(job.record.jobId);
        removed.push(job.record.jobId);
      }
      if (removed.length === 0) return;
      persistNow();
      for (const id of removed) events.publish('transfers.removed', { jobId: id });
    },

    whenSettled(jobId) {
      const job = find(jobId);
      // Finished, perhaps still unwinding (parts being removed, connection released): wait for that only.
      if (FINISHED.has(job.record.state)) return Promise.resolve(job.runner).then(() => snapshot(job));
      return new Promise<TransferJob>((resolve) => {
        job.waiters.push(resolve);
      }).then(async (snap) => {
        // Let the runner finish unwinding (part files removed, connection released) before callers look.
        await job.runner;
        return { ...snap, ...snapshot(job) };
      });
    },

    bytesOnWire(jobId) {
      return find(jobId).bytesOnWire;
    },

    async dispose() {
      if (disposed) return;
      disposed = true;
      const runners: Promise<void>[] = [];
      for (const job of jobs.values()) {
        if (job.publishTimer !== undefined) clearTimeout(job.publishTimer);
        job.publishTimer = undefined;
        job.attempt?.abort(new StopReason('dispose'));
        if (job.runner !== undefined) runners.push(job.runner);
      }
      await Promise.all(runners);
      persistNow();
    },
  };

  async function cleanupParts(job: Job): Promise<void> {
    if (job.record.direction === 'download') {
      await removeParts(job, undefined, undefined);
      return;
    }
    try {
      const { connection } = await connections.acquire(refOf(job));
      try {
        const calls = new SftpCalls(await connection.sftp());
        await removeParts(job, calls, connection);
        calls.detach();
      } finally {
        connection.release();
      }
    } catch (error) {
      logger.debug(`transfer ${job.record.jobId}: part files not removed`, error);
    }
  }
}

function clipError(error: NonNullable<TransferRecord['error']>): NonNullable<TransferRecord['error']> {
  return {
    code: error.code.slice(0, 64),
    message: error.message.slice(0, 2000),
    ...(error.hint === undefined ? {} : { hint: error.hint.slice(0, 2000) }),
  };
}
