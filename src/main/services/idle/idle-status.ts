import type { IdleDecision, IdleWatcherStatus } from '../../../shared/models/idle-watcher';
import { settingsFromScript } from './idle-settings';

const DECISIONS: readonly IdleDecision[] = ['busy', 'idle', 'stopping', 'stop-failed'];
const FILES_EXPECTED = 3;

function section(text: string, name: string): string {
  const start = text.indexOf(`@@${name}\n`);
  if (start < 0) return '';
  const body = text.slice(start + name.length + 3);
  const next = body.search(/^@@(script|timer|state)$/m);
  return next < 0 ? body : body.slice(0, next);
}

function isoFromEpoch(value: string | undefined): string | undefined {
  if (value === undefined || !/^\d{1,12}$/.test(value)) return undefined;
  return new Date(Number(value) * 1000).toISOString();
}

/** The state file's key=value lines (the watcher writes them; nothing in them is run). */
export function parseStateFile(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) values.set(line.slice(0, at), line.slice(at + 1).trim());
  }
  return values;
}

/** What readStatus printed, as the status Hangar shows. */
export function parseStatus(text: string): IdleWatcherStatus {
  const files = text.split('\n').filter((l) => l.startsWith('@@file ')).length;
  const settings = settingsFromScript(section(text, 'script'));
  const timer = section(text, 'timer').trim().split('\n')[0] ?? '';
  const state = parseStateFile(section(text, 'state'));
  const decision = state.get('decision');
  const reason = state.get('reason');
  const checked = isoFromEpoch(state.get('checked'));
  const lastBusy = isoFromEpoch(state.get('last_busy'));
  return {
    installed: files === FILES_EXPECTED,
    partial: files > 0 && files < FILES_EXPECTED,
    ...(settings === undefined ? {} : { settings }),
    ...(/^[a-z-]+$/.test(timer) ? { timer } : {}),
    ...(decision !== undefined && (DECISIONS as readonly string[]).includes(decision) ? { lastDecision: decision as IdleDecision } : {}),
    ...(reason === undefined || reason === '' ? {} : { lastReason: reason.slice(0, 300) }),
    ...(checked === undefined ? {} : { lastCheckedAt: checked }),
    ...(lastBusy === undefined ? {} : { lastBusyAt: lastBusy }),
  };
}
