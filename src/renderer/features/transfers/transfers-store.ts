import type { HangarError } from '../../../shared/errors/hangar-error';
import type { TransferJob } from '../../../shared/models/transfers';
import { api } from '../../api/api-client';
import { subscribe } from '../../api/subscriptions';
import { connectionLost, followMain } from '../../state/follow-main';
import { toHangarError } from '../../api/to-hangar-error';
import { createStore, useStore } from '../../state/create-store';
import { isActive, isFinished } from './transfer-format';
import { notifyFinished } from './transfer-notifications';

export interface TransfersState {
  readonly status: 'loading' | 'ready' | 'failed';
  /** Newest first. */
  readonly jobs: readonly TransferJob[];
  readonly error: HangarError | undefined;
  /** Running, queued or waiting jobs (the sidebar badge). */
  readonly activeCount: number;
}

function newestFirst(a: TransferJob, b: TransferJob): number {
  return a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.jobId < b.jobId ? 1 : -1;
}

/**
 * The transfer queue of the service, mirrored for every screen: loaded once, then kept current by
 * `transfers.changed` / `transfers.removed`, and by `transfers.progress` (about ten updates a second per
 * running job) while a view shows progress (watchProgress). Lives outside
 * React state so each event replaces one job object; memoised rows of the other jobs do not re-render,
 * and selectors such as the badge count only wake their component when their value changes.
 */
function createTransfersStore() {
  const store = createStore<TransfersState>({ status: 'loading', jobs: [], error: undefined, activeCount: 0 });
  /** Bumped on every list(): events newer than a list answer must not be overwritten by it. */
  let listGeneration = 0;

  function set(jobs: readonly TransferJob[], patch: Partial<TransfersState> = {}): void {
    const activeCount = jobs.reduce((count, job) => count + (isActive(job.state) ? 1 : 0), 0);
    store.set({ ...store.get(), ...patch, jobs, activeCount });
  }

  function upsert(job: TransferJob): void {
    const state = store.get();
    const index = state.jobs.findIndex((other) => other.jobId === job.jobId);
    const previous = index === -1 ? undefined : state.jobs[index];
    let jobs: TransferJob[];
    if (index === -1) jobs = [...state.jobs, job].sort(newestFirst);
    else {
      jobs = [...state.jobs];
      jobs[index] = job;
    }
    set(jobs);
    if (previous && !isFinished(previous.state) && isFinished(job.state)) notifyFinished(job);
  }

  function remove(jobId: string): void {
    const state = store.get();
    if (!state.jobs.some((job) => job.jobId === jobId)) return;
    set(state.jobs.filter((job) => job.jobId !== jobId));
  }

  function fetch(): void {
    const generation = ++listGeneration;
    api.transfers.list().then(
      (jobs) => {
        if (generation !== listGeneration) return;
        set([...jobs].sort(newestFirst), { status: 'ready', error: undefined });
      },
      (error: unknown) => {
        if (generation !== listGeneration) return;
        const state = store.get();
        if (state.status !== 'ready' && !connectionLost(error)) set(state.jobs, { status: 'failed', error: toHangarError(error) });
      },
    );
  }

  const followed = followMain(store, {
    listen() {
      subscribe.transferChanged(upsert);
      subscribe.transferRemoved(({ jobId }) => remove(jobId));
    },
    fetch,
  });

  // Moving counters come only while a view shows them: main sends `transfers.progress` to windows that
  // listen, and a window that only needs the badge does not.
  let watchers = 0;
  let stopProgress: (() => void) | undefined;

  return {
    get: followed.get,
    subscribe: followed.subscribe,
    /** Live byte counts while the caller shows them; returns the stop. Counters that moved meanwhile are fetched. */
    watchProgress(): () => void {
      followed.start();
      watchers += 1;
      if (watchers === 1) {
        stopProgress = subscribe.transferProgress(upsert);
        fetch();
      }
      let stopped = false;
      return () => {
        if (stopped) return;
        stopped = true;
        watchers -= 1;
        if (watchers === 0) {
          stopProgress?.();
          stopProgress = undefined;
        }
      };
    },
    reload(): void {
      const state = store.get();
      if (state.status === 'failed') set(state.jobs, { status: 'loading' });
      fetch();
    },
    /** Applies a call's answer at once (its event follows and says the same). */
    apply(job: TransferJob): void {
      followed.start();
      upsert(job);
    },
    job(jobId: string): TransferJob | undefined {
      return store.get().jobs.find((job) => job.jobId === jobId);
    },
  };
}

export const transfersStore = createTransfersStore();

export function useTransfers(): TransfersState {
  return useStore(transfersStore);
}

/** Only the count: the sidebar re-renders when it changes, not on every progress event. */
export function useActiveTransferCount(): number {
  return useStore(transfersStore, (state) => state.activeCount);
}
