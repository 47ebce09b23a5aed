import type { Events } from '../../../shared/ipc/contract';
import type {
  ConflictAnswer,
  StartDownloadInput,
  StartUploadInput,
  TransferJob,
} from '../../../shared/models/transfers';

/**
 * The transfer queue (issue 5): uploads and downloads over the instance's shared SSH connection, with
 * per-job progress pushed as `transfers.changed` (throttled to ~10 a second), pause / resume / cancel,
 * conflicts asked through the job (state `waiting` + `conflict`), and resume after a dropped connection
 * or an app restart (the queue is saved in its own file, queue-store.ts). Implemented in create-transfer-service.ts.
 */
export interface TransferService {
  list(): TransferJob[];
  /** Queues an upload and returns at once; the job runs in the background. */
  upload(input: UploadRequest): TransferJob;
  download(input: DownloadRequest): TransferJob;
  pause(jobId: string): TransferJob;
  resume(jobId: string): TransferJob;
  cancel(jobId: string): TransferJob;
  cancelAll(): void;
  /** Runs the job again for its failed files only. */
  retryFailed(jobId: string): TransferJob;
  resolveConflict(jobId: string, answer: ConflictAnswer): TransferJob;
  /** Forgets finished (completed / failed / cancelled) jobs; one job when an id is given. */
  clearFinished(jobId?: string): void;
  /** Stops every job without marking it finished, so a restart resumes it (app quit). */
  dispose(): Promise<void>;
}

/** An upload as main runs it: the renderer's grants already resolved to the paths the user chose. */
export type UploadRequest = Omit<StartUploadInput, 'grants'> & { readonly localPaths: readonly string[] };
/** A download as main runs it: the folder grant resolved to the folder's path. */
export type DownloadRequest = Omit<StartDownloadInput, 'localDirGrant'> & { readonly localDir: string };

/** The contract's transfer events (Events is their only definition). */
export type TransferEvents = Pick<Events, 'transfers.changed' | 'transfers.progress' | 'transfers.removed'>;
