import type { IdleAlarm } from '../../../shared/models/auto-stop';
import { api } from '../../api/api-client';
import { subscribe } from '../../api/subscriptions';
import { createStore, useStore } from '../../state/create-store';

/** One region's idle alarms, by instance id. */
interface RegionAlarms {
  readonly alarms: ReadonlyMap<string, IdleAlarm>;
  readonly loadedAt: number;
}

// Alarms change when the user switches them here, or when CloudWatch moves their state: a minute is fresh enough.
const FRESH_MS = 60_000;
const store = createStore<ReadonlyMap<string, RegionAlarms>>(new Map());
const loading = new Set<string>();
const keyOf = (accountId: string, region: string): string => `${accountId}/${region}`;

async function load(accountId: string, region: string): Promise<void> {
  const key = keyOf(accountId, region);
  if (loading.has(key)) return;
  loading.add(key);
  try {
    const list = await api.autoStop.listAlarms(accountId, region);
    const next = new Map(store.get());
    next.set(key, { alarms: new Map(list.map((a) => [a.instanceId, a])), loadedAt: Date.now() });
    store.set(next);
  } catch {
    // No cloudwatch:DescribeAlarms (or offline): rows carry no badge; the dialog says what is wrong.
    const next = new Map(store.get());
    next.set(key, { alarms: store.get().get(key)?.alarms ?? new Map(), loadedAt: Date.now() });
    store.set(next);
  } finally {
    loading.delete(key);
  }
}

/**
 * Hangar's idle alarms per account and region, for the badges on the instance rows: one DescribeAlarms
 * per region (by the `hangar-idle-` prefix), shared by every row of it, refreshed when older than a minute
 * and at once after the dialog changed one.
 */
export const idleAlarms = {
  /** Loads the region's alarms unless they are fresh (or already on their way). */
  ensure(accountId: string, region: string): void {
    const entry = store.get().get(keyOf(accountId, region));
    if (entry === undefined || Date.now() - entry.loadedAt > FRESH_MS) void load(accountId, region);
  },
  refresh(accountId: string, region: string): Promise<void> {
    return load(accountId, region);
  },
  /** What the dialog just did, shown before the next listing. */
  set(accountId: string, region: string, instanceId: string, alarm: IdleAlarm | undefined): void {
    const key = keyOf(accountId, region);
    const alarms = new Map(store.get().get(key)?.alarms ?? []);
    if (alarm === undefined) alarms.delete(instanceId);
    else alarms.set(instanceId, alarm);
    const next = new Map(store.get());
    // A region never listed stays due for its listing (0): one alarm is not all of them.
    next.set(key, { alarms, loadedAt: store.get().get(key)?.loadedAt ?? 0 });
    store.set(next);
  },
};

/** The instance's idle alarm, undefined while it has none (or the region is not loaded yet). */
export function useIdleAlarm(accountId: string, region: string, instanceId: string): IdleAlarm | undefined {
  return useStore(store, (all) => all.get(keyOf(accountId, region))?.alarms.get(instanceId));
}

// Whoever changed an alarm (another window, the Launch wizard, a terminate in main), every badge follows.
subscribe.autoStopChanged(({ accountId, region, instanceId, alarm }) => idleAlarms.set(accountId, region, instanceId, alarm));
