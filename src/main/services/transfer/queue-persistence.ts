import type { Logger } from '../logging/logger';
import type { QueueStore } from './queue-store';
import { FINISHED, recordForDisk, type QueueState } from './transfer-job';

const PERSIST_EVERY_MS = 2000;
const MAX_RECORDS = 500;

export interface QueuePersistence {
  /** Saves now (a state change, a job added or removed); the store writes it in the background. */
  now(): void;
  /** Saves within ~2 s (progress), however often it is called. */
  soon(): void;
}

/** Saves the whole queue, oldest finished jobs dropped first once it holds more than 500. */
export function createQueuePersistence(state: QueueState, store: Pick<QueueStore, 'save'>, logger: Logger): QueuePersistence {
  let timer: NodeJS.Timeout | undefined;
  let last = 0;

  function now(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    last = Date.now();
    let records = [...state.jobs.values()].map(recordForDisk);
    if (records.length > MAX_RECORDS) {
      const extra = records.length - MAX_RECORDS;
      let dropped = 0;
      records = records.filter((r) => !(FINISHED.has(r.state) && dropped++ < extra));
    }
    try {
      store.save(records);
    } catch (error) {
      logger.warn('transfer queue could not be saved', error);
    }
  }

  return {
    now,
    soon() {
      if (timer !== undefined || state.disposed) return;
      const wait = Math.max(0, PERSIST_EVERY_MS - (Date.now() - last));
      timer = setTimeout(now, wait);
      timer.unref();
    },
  };
}
