import { useSyncExternalStore, type ReactNode } from 'react';
import type { TransferJob } from '../../../shared/models/transfers';
import { createStore } from '../../state/create-store';
import { ConflictDialog } from './conflict-dialog';
import { transfersStore } from './transfers-store';

/** Questions the user closed without answering: not asked again by themselves (the job row has Answer…). */
const dismissed = new Set<string>();
let requested: string | undefined;
/** Bumped when `dismissed` or `requested` change (they are read by `current`, not stored). */
const version = createStore(0);

function key(job: TransferJob): string {
  return `${job.jobId}\n${job.conflict?.path ?? ''}`;
}

function changed(): void {
  version.set(version.get() + 1);
}

function subscribe(listener: () => void): () => void {
  const stopVersion = version.subscribe(listener);
  const stop = transfersStore.subscribe(listener);
  return () => {
    stopVersion();
    stop();
  };
}

function asking(job: TransferJob): boolean {
  return job.state === 'waiting' && job.conflict !== undefined;
}

/** Opens the question of a waiting job again (its row's Answer… button). */
export function askConflict(jobId: string): void {
  const job = transfersStore.job(jobId);
  if (job) dismissed.delete(key(job));
  requested = jobId;
  changed();
}

function current(): TransferJob | undefined {
  const { jobs } = transfersStore.get();
  const wanted = requested === undefined ? undefined : jobs.find((job) => job.jobId === requested && asking(job));
  // The oldest open question first: jobs are listed newest first.
  return wanted ?? [...jobs].reverse().find((job) => asking(job) && !dismissed.has(key(job)));
}

/**
 * The conflict question, wherever the user is: a job waits for it (a drop on an instance row must not
 * stall unseen while the Transfers panel is closed). Mounted once for the window.
 */
export function ConflictPrompt(): ReactNode {
  useSyncExternalStore(subscribe, () => `${version.get()}:${current()?.jobId ?? ''}:${current()?.conflict?.path ?? ''}`);
  const job = current();
  if (!job) return null;
  return (
    <ConflictDialog
      key={key(job)}
      job={job}
      onClose={() => {
        dismissed.add(key(job));
        if (requested === job.jobId) requested = undefined;
        changed();
      }}
    />
  );
}
