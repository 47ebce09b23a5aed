import { randomUUID } from 'node:crypto';
import { HangarError } from '../../../shared/errors/hangar-error';
import type { ConflictPolicy, InstanceRef, TransferJob } from '../../../shared/models/transfers';
import type { EventHub } from '../app/event-hub';
import type { Ec2Service } from '../ec2/ec2-service';
import type { Logger } from '../logging/logger';
import type { ConnectionManager } from '../ssh/create-connection-manager';
import { defaultChecksumTimeoutMs } from './checksum';
import { createConflictQuestions } from './conflict-questions';
import { createJobProgress } from './job-progress';
import { createJobScheduler } from './job-scheduler';
import { cleanupParts } from './part-files';
import { createQueuePersistence } from './queue-persistence';
import type { QueueStore } from './queue-store';
import { DEFAULT_RECONNECT_DELAYS } from './reconnect';
import { FINISHED, MAX_FAILURES, newJob, snapshot, StopReason, type Job, type QueueState } from './transfer-job';
import type { TransferRecord } from './transfer-record';
import type { TransferEvents, TransferService } from './transfer-service';
import { registerForTestProbe } from './transfer-test-probe';

export interface TransferServiceDeps {
  connections: ConnectionManager;
  /** The saved queue (queue-store.ts): read at start, saved on every change and every ~2 s of progress. */
  queue: QueueStore;
  events: Pick<EventHub<TransferEvents>, 'publish'>;
  ec2: Pick<Ec2Service, 'describeInstance'>;
  logger: Logger;
  /** The local OS, for names that are illegal there when downloading (default: process.platform). */
  platform?: NodeJS.Platform;
  /** Waits before each reconnect attempt after a dropped link (default 1 s, 2 s, 4 s … about 2 minutes in all). */
  reconnectDelaysMs?: readonly number[];
  /** Jobs that run at once (default 2); the others wait as `queued`. */
  maxRunning?: number;
  /** How long the instance's `sha256sum` of a file may take (default: 30 s plus 8 MiB/s). */
  checksumTimeoutMs?: (bytes: number) => number;
}

/** Failures that a retry would not change. */
const NOT_RETRIED = new Set(['LOCAL_NAME_CHANGED', 'SYMLINK_LOOP']);

/**
 * The transfer queue: jobs are saved (so a restart resumes them), run at most two at a time on the
 * instance's shared connection (job-scheduler.ts), report throttled progress as `transfers.changed`
 * (job-progress.ts), wait and reconnect when the link drops (reconnect.ts), ask about conflicts through
 * the job (conflict-questions.ts), and stop with a plain message when the instance stops or its disk fills up.
 */
export function createTransferService(deps: TransferServiceDeps): TransferService {
  const { connections, queue, events, logger } = deps;
  const state: QueueState = { jobs: new Map<string, Job>(), disposed: false };
  const persistence = createQueuePersistence(state, queue, logger);
  const progress = createJobProgress(state, events, persistence);
  const conflicts = createConflictQuestions(progress);
  const scheduler = createJobScheduler({
    state,
    connections,
    ec2: deps.ec2,
    logger,
    progress,
    conflicts,
    platform: deps.platform ?? process.platform,
    reconnectDelaysMs: deps.reconnectDelaysMs ?? DEFAULT_RECONNECT_DELAYS,
    maxRunning: deps.maxRunning ?? 2,
    checksumTimeoutMs: deps.checksumTimeoutMs ?? defaultChecksumTimeoutMs,
  });

  // Jobs from the last session: unfinished ones continue (paused ones wait for the user).
  for (const record of queue.load()) {
    if (record.state === 'running' || record.state === 'waiting') record.state = 'queued';
    const job = newJob(record);
    if (record.state === 'queued') job.resumed = true;
    state.jobs.set(record.jobId, job);
  }

  function find(jobId: string): Job {
    const job = state.jobs.get(jobId);
    if (job === undefined) {
      throw new HangarError({ code: 'TRANSFER_NOT_FOUND', message: 'That transfer is no longer in the list.', hint: 'Refresh the transfers panel.' });
    }
    return job;
  }

  function stateError(job: Job, what: string): HangarError {
    return new HangarError({ code: 'TRANSFER_STATE', message: `This transfer is ${job.record.state}, so it cannot be ${what}.` });
  }

  function create(input: {
    direction: 'upload' | 'download';
    instance: InstanceRef;
    sources: readonly string[];
    destination: string;
    conflict: ConflictPolicy | undefined;
    verifyChecksums: boolean | undefined;
  }): TransferJob {
    if (state.disposed) throw new HangarError({ code: 'TRANSFER_STATE', message: 'Hangar is closing; the transfer was not started.' });
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
    state.jobs.set(record.jobId, job);
    progress.changed(job);
    scheduler.pump();
    return snapshot(job);
  }

  function cancel(jobId: string): TransferJob {
    const job = find(jobId);
    if (FINISHED.has(job.record.state)) return snapshot(job);
    job.conflict = undefined;
    progress.setState(job, 'cancelled');
    if (job.attempt !== undefined) job.attempt.abort(new StopReason('cancel'));
    else if (job.parts.size > 0) void cleanupParts(job, connections, logger);
    return snapshot(job);
  }

  // Started once the caller has the service (and its event subscribers are in place).
  queueMicrotask(() => scheduler.pump());

  const service: TransferService = {
    list: () => [...state.jobs.values()].map(snapshot),

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
      const current = job.record.state;
      if (current === 'paused') return snapshot(job);
      if (current !== 'queued' && current !== 'running' && current !== 'waiting') throw stateError(job, 'paused');
      job.conflict = undefined;
      progress.setState(job, 'paused');
      job.attempt?.abort(new StopReason('pause'));
      return snapshot(job);
    },

    resume(jobId) {
      const job = find(jobId);
      const current = job.record.state;
      if (current === 'queued' || current === 'running' || current === 'waiting') return snapshot(job);
      if (current === 'completed') throw stateError(job, 'resumed');
      job.resumed = true;
      progress.setState(job, 'queued');
      scheduler.pump();
      return snapshot(job);
    },

    cancel,

    cancelAll() {
      for (const job of state.jobs.values()) {
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
      progress.setState(job, 'queued');
      scheduler.pump();
      return snapshot(job);
    },

    resolveConflict(jobId, answer) {
      const job = find(jobId);
      conflicts.answer(job, answer);
      return snapshot(job);
    },

    clearFinished(jobId) {
      const removed: string[] = [];
      for (const job of state.jobs.values()) {
        if (jobId !== undefined && job.record.jobId !== jobId) continue;
        if (!FINISHED.has(job.record.state) || job.runner !== undefined) continue;
        state.jobs.delete(job.record.jobId);
        removed.push(job.record.jobId);
      }
      if (removed.length === 0) return;
      persistence.now();
      for (const id of removed) events.publish('transfers.removed', { jobId: id });
    },

    async dispose() {
      if (state.disposed) return;
      state.disposed = true;
      progress.stop();
      const runners: Promise<void>[] = [];
      for (const job of state.jobs.values()) {
        job.attempt?.abort(new StopReason('dispose'));
        if (job.runner !== undefined) runners.push(job.runner);
      }
      await Promise.all(runners);
      persistence.now();
      await queue.flush();
    },
  };
  registerForTestProbe(service, state);
  return service;
}
