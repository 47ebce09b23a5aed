import type { InstanceSummary } from '../../../shared/models/ec2';
import type { Reminder } from '../../../shared/models/reminders';
import type { Settings } from '../../../shared/models/settings';
import type { Ec2Service } from '../ec2/ec2-service';
import type { Logger } from '../logging/logger';
import type { SettingsStore } from '../settings/settings-store';
import type { JsonFileStore } from '../state/json-file-store';
import { decideReminders, nextCrossing, type Decided, type RunningInstance } from './decide-reminders';
import type { ReminderState } from './reminder-state';

/**
 * Reminders about money still being spent: a GPU instance running longer than the hours set, the burn rate
 * above the dollars set, and at start-up what kept running while Hangar was closed.
 *
 * Decided here in main, not in a window: the rule needs every region of the account (the window lists one),
 * the prices Hangar has, and memory across restarts (what was told, when Hangar was last open), which is
 * runtime state in its own file. Windows show what main decides: the banner (`list`, `reminders.changed`) and
 * one desktop notification per reminder (`takeNew`, so two windows never both notify). The timer here only
 * ever decides when to look again; nothing is stopped by it.
 */
export interface ReminderService {
  /** Starts looking (now, then every `checkEveryMs`, and when a GPU instance is due to cross the hours set). */
  start(): void;
  /** The reminders the banner shows. */
  list(): Reminder[];
  /** Reminders raised since a window last took them, each handed out once: the ones to notify about. */
  takeNew(): Reminder[];
  /** Hides a reminder from the banner for this session (it is not told again while its cause lasts). */
  dismiss(key: string): Reminder[];
  /** Looks at the account now (settings changed, an instance was started). Resolves when done. */
  checkNow(): Promise<void>;
  dispose(): Promise<void>;
}

export interface ReminderServiceDeps {
  settings: Pick<SettingsStore, 'get' | 'onChange'>;
  ec2: Pick<Ec2Service, 'scanAllRegions' | 'instanceTypes' | 'onStateChanges'>;
  state: JsonFileStore<ReminderState>;
  /** Tells every window the banner's reminders changed. */
  publish(active: Reminder[]): void;
  logger: Logger;
  now?: () => number;
  /** Default 10 minutes: an account scan (one DescribeInstances per region) that often while reminders are on. */
  checkEveryMs?: number;
  /** Default 1 minute: how often "Hangar is open" is written down. */
  heartbeatMs?: number;
}

const MINUTE = 60_000;
// A crossing is looked at a moment after it, so that the instance has surely crossed by then.
const CROSSING_SLACK_MS = 1_000;

function remindersOn(settings: Settings): boolean {
  return settings.reminders.gpuHours.enabled || settings.reminders.burnRate.enabled;
}

export function createReminderService(deps: ReminderServiceDeps): ReminderService {
  const now = deps.now ?? Date.now;
  const checkEveryMs = deps.checkEveryMs ?? 10 * MINUTE;
  const initial = deps.state.initial;
  // When Hangar was last open before this start: the start-up reminder's reference, used by the first check.
  let lastSeenBefore: number | undefined = initial.lastSeenAt;
  const told = new Map(Object.entries(initial.told));
  let active: Reminder[] = [];
  let fresh: Reminder[] = [];
  // Start-up reminders stay on the banner for the session while their instance runs (until dismissed).
  const startupShown = new Map<string, Reminder>();
  const dismissed = new Set<string>();
  let running: RunningInstance[] = [];
  // Some region could not be listed: what was told of its instances is kept, not forgotten.
  let partial = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let inFlight: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  // Quitting stops a look that is under way instead of waiting for AWS.
  const quit = new AbortController();
  const unsubscribe: (() => void)[] = [];

  function save(): void {
    deps.state.save({ lastSeenAt: now(), told: Object.fromEntries(told) });
  }

  function schedule(atMs: number): void {
    if (stopped) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => void checkNow(), Math.max(0, atMs - now()));
    timer.unref?.();
  }

  async function runningInstances(accountId: string): Promise<RunningInstance[]> {
    const results = await deps.ec2.scanAllRegions(accountId, { scanId: 'reminders', signal: quit.signal });
    const out: RunningInstance[] = [];
    partial = results.some((r) => r.error !== undefined);
    for (const result of results) {
      if (result.error) deps.logger.warn(`reminders: ${result.region} could not be listed`, { code: result.error.code });
      const up = (result.instances ?? []).filter((i: InstanceSummary) => i.state === 'running');
      if (up.length === 0) continue;
      const types = await deps.ec2.instanceTypes(accountId, result.region, [...new Set(up.map((i) => i.type))], quit.signal).catch(() => []);
      const byType = new Map(types.map((t) => [t.type, t]));
      for (const i of up) {
        const info = byType.get(i.type);
        out.push({
          accountId,
          region: result.region,
          instanceId: i.id,
          name: i.name ?? i.id,
          type: i.type,
          launchedAt: Date.parse(i.launchTime),
          gpus: info?.gpus ?? 0,
          ...(info?.pricePerHour === undefined ? {} : { pricePerHour: info.pricePerHour }),
        });
      }
    }
    return out;
  }

  function stamp(d: Decided, at: number): Reminder {
    const earlier = active.find((r) => r.key === d.reminder.key)?.raisedAt;
    return { ...d.reminder, raisedAt: earlier ?? new Date(at).toISOString() };
  }

  function apply(decided: Decided[], at: number): void {
    const keys = new Set(decided.map((d) => d.reminder.key));
    const raised: Reminder[] = [];
    for (const d of decided) {
      const reminder = stamp(d, at);
      if (d.startup) startupShown.set(reminder.key, reminder);
      if (d.startup || !told.has(reminder.key)) {
        told.set(reminder.key, at);
        raised.push(reminder);
      }
    }
    // A cause that has gone (the instance stopped, the rate fell) may remind again when it comes back.
    const alive = new Set(running.map((i) => `instance:${i.accountId}:${i.instanceId}:${i.launchedAt}`));
    if (!partial) for (const key of [...told.keys()]) if (!keys.has(key) && !alive.has(key)) told.delete(key);
    for (const key of [...startupShown.keys()]) if (!alive.has(key)) startupShown.delete(key);
    for (const key of [...dismissed]) if (!keys.has(key) && !startupShown.has(key)) dismissed.delete(key);

    const shown = new Map<string, Reminder>(startupShown);
    for (const d of decided) if (!d.startup) shown.set(d.reminder.key, stamp(d, at));
    const next = [...shown.values()].filter((r) => !dismissed.has(r.key));
    fresh = [...fresh.filter((r) => next.some((n) => n.key === r.key)), ...raised.filter((r) => !dismissed.has(r.key))];
    const changed = JSON.stringify(next) !== JSON.stringify(active);
    active = next;
    save();
    if (changed || raised.length > 0) deps.publish(active);
  }

  async function check(): Promise<void> {
    const settings = deps.settings.get();
    const accountId = settings.activeAccountId;
    if (accountId === undefined || !remindersOn(settings)) {
      running = [];
      partial = false;
      apply([], now());
      return;
    }
    try {
      running = await runningInstances(accountId);
    } catch (error) {
      if (stopped) return;
      // Offline, or the account's keys do not work: try again at the next round, keeping what is shown.
      deps.logger.warn('reminders: the account could not be looked at', error);
      schedule(now() + checkEveryMs);
      return;
    }
    const at = now();
    const input = { now: at, settings: settings.reminders, instances: running };
    apply(decideReminders({ ...input, ...(lastSeenBefore === undefined ? {} : { lastSeenAt: lastSeenBefore }) }), at);
    // Only the first look after start-up tells what ran while Hangar was closed.
    lastSeenBefore = undefined;
    const crossing = nextCrossing(input);
    schedule(Math.min(at + checkEveryMs, crossing === undefined ? Number.POSITIVE_INFINITY : crossing + CROSSING_SLACK_MS));
  }

  /** One look at a time; a request while one runs makes one more look after it. */
  function checkNow(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = check()
      .catch((error: unknown) => deps.logger.warn('reminders: check failed', error))
      .finally(() => {
        inFlight = undefined;
        if (again && !stopped) {
          again = false;
          void checkNow();
        }
      });
    return inFlight;
  }

  return {
    start() {
      if (heartbeat !== undefined || stopped) return;
      save();
      heartbeat = setInterval(save, deps.heartbeatMs ?? MINUTE);
      heartbeat.unref?.();
      let watched = JSON.stringify([deps.settings.get().reminders, deps.settings.get().activeAccountId]);
      unsubscribe.push(
        deps.settings.onChange((settings) => {
          const next = JSON.stringify([settings.reminders, settings.activeAccountId]);
          if (next === watched) return;
          watched = next;
          void checkNow();
        }),
        // An instance started or stopped from Hangar: its launch time and the burn rate have changed.
        deps.ec2.onStateChanges(() => void checkNow()),
      );
      void checkNow();
    },
    list: () => [...active],
    takeNew() {
      const out = fresh;
      fresh = [];
      return out;
    },
    dismiss(key) {
      dismissed.add(key);
      const next = active.filter((r) => r.key !== key);
      fresh = fresh.filter((r) => r.key !== key);
      if (next.length !== active.length) {
        active = next;
        deps.publish(active);
      }
      return [...active];
    },
    checkNow,
    async dispose() {
      stopped = true;
      quit.abort();
      if (timer !== undefined) clearTimeout(timer);
      if (heartbeat !== undefined) clearInterval(heartbeat);
      for (const off of unsubscribe) off();
      await inFlight;
      // The moment Hangar was last open, for the next start's reminder.
      save();
      await deps.state.flush();
    },
  };
}
