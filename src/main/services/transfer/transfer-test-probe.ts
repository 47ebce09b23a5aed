import { HangarError } from '../../../shared/errors/hangar-error';
import type { TransferJob } from '../../../shared/models/transfers';
import { FINISHED, snapshot, type QueueState } from './transfer-job';
import type { TransferService } from './transfer-service';

/**
 * What tests, benchmarks and the screenshot script ask of a transfer service and the app never does. It is
 * not on the service object, so neither the IPC handlers nor the renderer can reach it.
 */
export interface TransferTestProbe {
  /** Resolves when the job reaches completed / failed / cancelled and has finished unwinding. */
  whenSettled(jobId: string): Promise<TransferJob>;
  /** Bytes this job actually moved over the link during this service's life, resumed prefixes excluded. */
  bytesOnWire(jobId: string): number;
}

const states = new WeakMap<TransferService, QueueState>();

/** Called once by createTransferService. */
export function registerForTestProbe(service: TransferService, state: QueueState): void {
  states.set(service, state);
}

export function createTransferTestProbe(service: TransferService): TransferTestProbe {
  const state = states.get(service);
  if (state === undefined) throw new Error('not a transfer service made by createTransferService');
  const find = (jobId: string) => {
    const job = state.jobs.get(jobId);
    if (job === undefined) throw new HangarError({ code: 'TRANSFER_NOT_FOUND', message: `No transfer ${jobId}.` });
    return job;
  };
  return {
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
  };
}
