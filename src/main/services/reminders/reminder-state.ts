import { join } from 'node:path';
import type { Logger } from '../logging/logger';
import { createJsonFileStore, type JsonFileStore } from '../state/json-file-store';

/** The reminders' own file, next to settings.json (runtime state, not a preference). */
export const REMINDER_STATE_FILE_NAME = 'reminders.json';

export interface ReminderState {
  /** The last moment Hangar was known to be open (written every minute and on quit). */
  readonly lastSeenAt?: number;
  /** Reminder keys already told, with when: a reminder is told once while its cause lasts. */
  readonly told: Readonly<Record<string, number>>;
}

function parse(raw: unknown): ReminderState {
  if (typeof raw !== 'object' || raw === null) throw new Error('expected an object');
  const { lastSeenAt, told } = raw as { lastSeenAt?: unknown; told?: unknown };
  const kept: Record<string, number> = {};
  // A bad entry is skipped (it is only told once more); never a reason to lose the rest.
  if (typeof told === 'object' && told !== null) {
    for (const [key, at] of Object.entries(told)) if (typeof at === 'number' && Number.isFinite(at)) kept[key] = at;
  }
  return { ...(typeof lastSeenAt === 'number' && Number.isFinite(lastSeenAt) ? { lastSeenAt } : {}), told: kept };
}

export function createReminderStateStore(dir: string, logger: Logger): JsonFileStore<ReminderState> {
  return createJsonFileStore<ReminderState>({
    path: join(dir, REMINDER_STATE_FILE_NAME),
    what: 'reminders',
    parse,
    empty: () => ({ told: {} }),
    logger,
  });
}
