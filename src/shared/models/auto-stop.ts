import { z } from 'zod';
import type { SerializedError } from '../errors/hangar-error';
import type { IdleWatcherStatus } from './idle-watcher';
import { instanceRefSchema } from './transfers';

/**
 * "Stop when idle for N minutes" (issue 13): a CloudWatch alarm on the instance's CPU whose action stops
 * it, and optionally the on-instance watcher (GPU / Jupyter / SSH aware). Both rules live in AWS or on the
 * instance, never on the laptop.
 */

export const AUTO_STOP_DEFAULT_MINUTES = 60;
export const AUTO_STOP_DEFAULT_CPU_PERCENT = 5;
/** CloudWatch's basic monitoring gives one CPU figure per 5 minutes: the alarm counts in these periods. */
export const ALARM_PERIOD_MINUTES = 5;
/** An alarm may look back at most one day (EvaluationPeriods × Period ≤ 86,400 s). */
export const AUTO_STOP_MAX_MINUTES = 24 * 60;
/** The alarm's name is the instance id behind this prefix; listing a region asks for the prefix. */
export const IDLE_ALARM_PREFIX = 'hangar-idle-';

export const autoStopMinutesSchema = z
  .number({ error: 'Enter a number of minutes.' })
  .int('Whole minutes.')
  .min(ALARM_PERIOD_MINUTES, 'At least 5 minutes: CloudWatch measures CPU in 5-minute periods.')
  .max(AUTO_STOP_MAX_MINUTES, 'At most 1,440 minutes (a day): the longest a CloudWatch alarm can look back.');

export const autoStopCpuSchema = z
  .number({ error: 'Enter a percentage.' })
  .gt(0, 'Between 0 and 100 %: above 0.')
  .lt(100, 'Between 0 and 100 %: below 100.');

export const autoStopInputSchema = z
  .object({
    instance: instanceRefSchema,
    /** Idle this long → stopped. */
    minutes: autoStopMinutesSchema,
    /** The alarm's threshold: average CPU below this counts as idle. */
    cpuPercent: autoStopCpuSchema,
    /** Have the CloudWatch alarm (false: remove it). */
    alarm: z.boolean(),
    /** Have the on-instance watcher (false: remove it when the instance can be reached). */
    watcher: z.boolean(),
  })
  .strict()
  .refine((input) => input.alarm || input.watcher, { message: 'Choose the alarm, the watcher, or both.', path: ['alarm'] });
export type AutoStopInput = z.infer<typeof autoStopInputSchema>;

/** The rule as a form holds it (typed text, checked at the field and again in main). */
export interface AutoStopChoice {
  readonly on: boolean;
  readonly minutes: string;
  readonly cpuPercent: string;
}

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** One of Hangar's idle alarms as CloudWatch describes it. */
export interface IdleAlarm {
  readonly alarmName: string;
  readonly instanceId: string;
  readonly region: string;
  /** How long the alarm waits: its periods × 5 minutes. */
  readonly minutes: number;
  readonly cpuPercent: number;
  /** The minutes the user chose; longer `minutes` when the alarm is the watcher's backstop. */
  readonly ruleMinutes: number;
  /** The alarm backs up the on-instance watcher (and so waits longer). */
  readonly backstop: boolean;
  readonly state: AlarmStateValue;
  readonly stateReason?: string;
  /** ISO time of the last state change. */
  readonly stateUpdated?: string;
  /** Its action stops the instance and actions are enabled (someone may have changed it in the console). */
  readonly stops: boolean;
}

/** What Hangar knows of the on-instance watcher: looked at over SSH, or why not. */
export type WatcherAvailability =
  | { readonly state: 'checked'; readonly status: IdleWatcherStatus }
  /** SSH did not work (no address, no key, timed out, …) or the watcher refused (no sudo, no systemd): not offered. */
  | { readonly state: 'unavailable'; readonly error: SerializedError }
  /** The instance is not running, so nothing on it can be asked. */
  | { readonly state: 'not-running' };

export interface AutoStopStatus {
  readonly instanceId: string;
  readonly alarm?: IdleAlarm;
  readonly watcher: WatcherAvailability;
  /** After enable: a layer that could not be put in place while the other one now does the job alone. */
  readonly problems?: { readonly alarm?: SerializedError; readonly watcher?: SerializedError };
}

/** The alarm's wait for a rule: whole 5-minute periods, twice the rule as the watcher's backstop, at most a day. */
export function alarmMinutesFor(minutes: number, backstop: boolean): number {
  const wanted = backstop ? minutes * 2 : minutes;
  return Math.min(AUTO_STOP_MAX_MINUTES, Math.ceil(wanted / ALARM_PERIOD_MINUTES) * ALARM_PERIOD_MINUTES);
}

/** The rule in words, as the instance's dialog and the launch review show it. */
export function describeAutoStopRule(rule: { minutes: number; cpuPercent: number; alarm: boolean; watcher: boolean }): string {
  const alarmMinutes = alarmMinutesFor(rule.minutes, rule.watcher);
  const rounded = !rule.watcher && alarmMinutes !== rule.minutes ? ` (${rule.minutes} rounded up to whole 5-minute periods)` : '';
  const alarm = `a CloudWatch alarm stops it when its average CPU stays below ${formatPercent(rule.cpuPercent)} for ${alarmMinutes} minutes`;
  const watcher = `the watcher on the instance shuts it down (stop, not terminate) after ${rule.minutes} minutes with no GPU use, no active Jupyter kernel, no SSH session and a low load`;
  if (rule.alarm && rule.watcher) return `Stops when idle: ${watcher}; as a backstop, ${alarm}. Both keep working with this computer off.`;
  if (rule.watcher) return `Stops when idle: ${watcher}. It keeps working with this computer off.`;
  return `Stops when idle: ${alarm}${rounded}. It keeps working with this computer off.`;
}

export function formatPercent(value: number): string {
  return `${Number.isInteger(value) ? value : Math.round(value * 10) / 10} %`;
}

/** A field's problem in words (undefined when fine): the same checks main makes, for the UI. */
export function fieldProblem(schema: z.ZodType<number>, text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return 'Required.';
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return 'Enter a number.';
  const parsed = schema.safeParse(value);
  return parsed.success ? undefined : parsed.error.issues[0]?.message;
}
