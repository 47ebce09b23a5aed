import { join } from 'node:path';
import type { Logger } from '../logging/logger';
import { createJsonFileStore } from '../state/json-file-store';
import { readRecords } from '../state/read-records';
import { transferRecordSchema, type TransferRecord } from './transfer-record';

/** The queue's file, next to settings.json. */
export const QUEUE_FILE_NAME = 'transfer-queue.json';
const FILE_VERSION = 1;

/** The saved transfer queue (runtime state, so not in settings: architecture note 8). */
export interface QueueStore {
  /** The jobs saved last session, plus any moved over from an older settings file. */
  load(): TransferRecord[];
  /** Saves the whole queue in the background; the latest call wins. */
  save(records: TransferRecord[]): void;
  /** Resolves once the last saved queue is on disk (app quit). */
  flush(): Promise<void>;
  /**
   * Takes the queue an older Hangar kept in settings.json (settings v4): its jobs join those already here
   * (a job already here wins) and are on disk before this returns, so settings may then forget them.
   */
  adoptFromSettings(legacy: unknown): void;
}

export function createQueueStore(options: { dir: string; logger: Logger }): QueueStore {
  const { logger } = options;
  const parse = (items: unknown, where: string): TransferRecord[] =>
    readRecords(items, transferRecordSchema, (index, problem) => {
      logger.warn(`transfer queue: job #${index} in ${where} was skipped (${problem})`);
    });
  const file = createJsonFileStore<TransferRecord[]>({
    path: join(options.dir, QUEUE_FILE_NAME),
    what: 'transfer queue',
    parse(raw) {
      if (typeof raw !== 'object' || raw === null) throw new Error('expected an object');
      const { version, jobs } = raw as { version?: unknown; jobs?: unknown };
      if (typeof version === 'number' && version > FILE_VERSION) {
        logger.warn(`transfer queue: the file is from a newer Hangar (v${version}); reading the jobs this one understands`);
      }
      return parse(jobs, QUEUE_FILE_NAME);
    },
    serialize: (jobs) => ({ version: FILE_VERSION, jobs }),
    empty: () => [],
    logger,
  });
  let current = file.initial;

  return {
    load: () => current.map((r) => ({ ...r })),
    save(records) {
      current = records;
      file.save(records);
    },
    flush: () => file.flush(),
    adoptFromSettings(legacy) {
      if (legacy === undefined || (Array.isArray(legacy) && legacy.length === 0)) return;
      const known = new Set(current.map((r) => r.jobId));
      const moved = parse(legacy, 'settings.json').filter((r) => !known.has(r.jobId));
      if (moved.length === 0) return;
      current = [...current, ...moved];
      file.saveSync(current);
      logger.info(`transfer queue: moved ${moved.length} job(s) out of settings.json into ${QUEUE_FILE_NAME}`);
    },
  };
}
