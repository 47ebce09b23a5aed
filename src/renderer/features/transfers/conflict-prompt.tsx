import { useSyncExternalStore, type ReactNode } from 'react';
import type { TransferJob } from '../../../shared/models/transfers';
import { ConflictDialog } from './conflict-dialog';
import { transfersStore } from './transfers-store';

/** Questions the user closed without answering: not asked again by themselves (the job row has Answer…). */
const dismissed = new Set<string>();
let requested: string | undefined;
let version = 0;
const listeners = new Set<() => void>();

function key(job: TransferJob): string {
  return `${job.jobId}\n${job.conflict?.path ?? ''}`;
}

function changed(): void {
  version += 1;
  for (const listener of [...listeners]) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const stop = transfersStore.subscribe(listener);
  return () => {
    listeners.delete(listener);
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
  useSyncExternalStore(subscribe, () => `${version}:${current()?.jobId ?? ''}:${current()?.conflict?.path ?? ''}`);
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
