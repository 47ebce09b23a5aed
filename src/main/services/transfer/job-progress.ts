import type { TransferState } from '../../../shared/models/transfers';
import type { EventHub } from '../app/event-hub';
import type { QueuePersistence } from './queue-persistence';
import { clipError, FINISHED, snapshot, type Job, type QueueState } from './transfer-job';
import type { TransferRecord } from './transfer-record';
import type { TransferEvents } from './transfer-service';

const PUBLISH_EVERY_MS = 100;

/** How a job's news reaches the renderer (`transfers.changed`, `transfers.progress`) and the saved queue. */
export interface JobProgress {
  /** Counters moved: at most ~10 `transfers.progress` a second per job, saved every ~2 s. */
  progressed(job: Job): void;
  /** Tells the renderer now (the counting walk ended: totals are final). */
  publishNow(job: Job): void;
  /** A state change: told and saved at once. */
  changed(job: Job): void;
  setState(job: Job, state: TransferState, error?: TransferRecord['error']): void;
  /** Drops pending updates (the service is closing). */
  stop(): void;
}

export function createJobProgress(
  state: QueueState,
  events: Pick<EventHub<TransferEvents>, 'publish'>,
  persistence: QueuePersistence,
): JobProgress {
  /** Sends the job's snapshot now: as `transfers.changed` when its state (or totals) changed, else as progress. */
  function publish(job: Job, name: 'transfers.changed' | 'transfers.progress'): void {
    if (job.publishTimer !== undefined) clearTimeout(job.publishTimer);
    job.publishTimer = undefined;
    if (!state.jobs.has(job.record.jobId)) return;
    // Bytes that land after a pause (chunks already in flight) are the job's last count: a state's news, not progress.
    events.publish(name === 'transfers.progress' && job.record.state !== 'running' ? 'transfers.changed' : name, snapshot(job));
  }

  function publishNow(job: Job): void {
    publish(job, 'transfers.changed');
  }

  function changed(job: Job): void {
    if (state.disposed) return;
    publishNow(job);
    persistence.now();
    if (FINISHED.has(job.record.state)) {
      const snap = snapshot(job);
      for (const waiter of job.waiters.splice(0)) waiter(snap);
    }
  }

  return {
    publishNow,
    changed,
    progressed(job) {
      if (job.publishTimer === undefined && !state.disposed) {
        job.publishTimer = setTimeout(() => publish(job, 'transfers.progress'), PUBLISH_EVERY_MS);
        job.publishTimer.unref();
      }
      persistence.soon();
    },
    setState(job, next, error) {
      const { error: _old, finishedAt: _f, ...rest } = job.record;
      job.record = {
        ...rest,
        state: next,
        ...(error === undefined ? {} : { error: clipError(error) }),
        ...(FINISHED.has(next) ? { finishedAt: new Date().toISOString() } : {}),
      };
      changed(job);
    },
    stop() {
      for (const job of state.jobs.values()) {
        if (job.publishTimer !== undefined) clearTimeout(job.publishTimer);
        job.publishTimer = undefined;
      }
    },
  };
}
