import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HangarError, cancelledError } from '../../../src/shared/errors/hangar-error';
import type { InstanceStateName, InstanceSummary } from '../../../src/shared/models/ec2';
import type { RegionScanResult } from '../../../src/shared/models/instance-actions';
import type { Progress } from '../../../src/shared/ipc/rpc-types';
import { InstancesFeed, type FeedDeps, type RegionView } from '../../../src/renderer/features/instances/instances-feed';

const FAST = 2_000;
const SLOW = 30_000;
const FOLLOW = 12_000;

function instance(id: string, region: string, state: InstanceStateName = 'running'): InstanceSummary {
  return { id, name: id, state, type: 't3.micro', availabilityZone: `${region}a`, imageId: 'ami-1', launchTime: '2024-05-01T10:00:00Z', region };
}

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

interface ListCall {
  readonly region: string;
  readonly signal: AbortSignal;
  readonly answer: Deferred<InstanceSummary[]>;
}

interface ScanCall {
  readonly signal: AbortSignal;
  readonly onProgress: (progress: Progress) => void;
  readonly answer: Deferred<RegionScanResult[]>;
}

/** A fake service the test answers by hand: every call waits until the test resolves or rejects it. */
function fakeService(accountId: string) {
  const lists: ListCall[] = [];
  const scans: ScanCall[] = [];
  const scanned = new Set<(result: RegionScanResult) => void>();
  const reconnects = new Set<() => void>();
  const deps: FeedDeps = {
    accountId,
    listInstances(region, signal) {
      const answer = deferred<InstanceSummary[]>();
      lists.push({ region, signal, answer });
      return answer.promise;
    },
    scanAllRegions(signal, onProgress) {
      const answer = deferred<RegionScanResult[]>();
      scans.push({ signal, onProgress, answer });
      return answer.promise;
    },
    onRegionScanned(listener) {
      scanned.add(listener);
      return () => scanned.delete(listener);
    },
    onReconnect(listener) {
      reconnects.add(listener);
      return () => reconnects.delete(listener);
    },
    fastMs: FAST,
    slowMs: SLOW,
    followMs: FOLLOW,
  };
  return {
    deps,
    lists,
    scans,
    scanned,
    reconnects,
    push(result: Omit<RegionScanResult, 'accountId' | 'scanId' | 'elapsedMs'> & { accountId?: string }): void {
      for (const listener of [...scanned]) listener({ scanId: 's1', elapsedMs: 5, accountId, ...result });
    },
  };
}

/** Lets the feed's awaits run (fake timers do not move). */
const settle = async (): Promise<void> => {
  await vi.advanceTimersByTimeAsync(0);
};

let nextAccount = 0;
/** The feed remembers the last state per account for the next view; each test gets its own account. */
function newAccount(): string {
  nextAccount += 1;
  return `acct-${nextAccount}`;
}

function startFeed(view: RegionView, accountId = newAccount()) {
  const service = fakeService(accountId);
  const feed = new InstancesFeed(service.deps, view);
  const notified = vi.fn();
  feed.subscribe(notified);
  feed.start();
  return { feed, service, notified, accountId };
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2024-06-01T12:00:00Z') });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('InstancesFeed, one region', () => {
  it('loads the region on start, then shows its rows with the time they arrived', async () => {
    const { feed, service, notified } = startFeed('eu-west-1');
    expect(service.lists.map((call) => call.region)).toEqual(['eu-west-1']);
    expect(feed.getState().regions.get('eu-west-1')).toMatchObject({ loading: true, instances: undefined });

    const rows = [instance('i-1', 'eu-west-1'), instance('i-2', 'eu-west-1', 'stopped')];
    service.lists[0]?.answer.resolve(rows);
    await settle();

    const entry = feed.getState().regions.get('eu-west-1');
    expect(entry?.instances).toEqual(rows);
    expect(entry).toMatchObject({ loading: false, error: undefined, updatedAt: Date.now() });
    expect(feed.getState().lastUpdated).toBe(Date.now());
    expect(feed.getState().fast).toBe(false);
    expect(notified).toHaveBeenCalled();
    feed.stop();
  });

  it('polls slowly while nothing is changing state, and fast while an instance is pending', async () => {
    const { feed, service } = startFeed('us-east-1');
    service.lists[0]?.answer.resolve([instance('i-1', 'us-east-1')]);
    await settle();

    await vi.advanceTimersByTimeAsync(SLOW - 1);
    expect(service.lists).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(service.lists).toHaveLength(2);

    // The poll finds an instance starting: the next one comes after FAST, not SLOW.
    service.lists[1]?.answer.resolve([instance('i-1', 'us-east-1'), instance('i-2', 'us-east-1', 'pending')]);
    await settle();
    expect(feed.getState().fast).toBe(true);
    await vi.advanceTimersByTimeAsync(FAST);
    expect(service.lists).toHaveLength(3);
    expect(service.lists[2]?.region).toBe('us-east-1');
    feed.stop();
  });

  it('keeps the rows on screen when a later refresh fails, and shows the error beside them', async () => {
    const { feed, service } = startFeed('eu-west-1');
    const rows = [instance('i-1', 'eu-west-1')];
    service.lists[0]?.answer.resolve(rows);
    await settle();

    feed.refresh();
    const denied = new HangarError({ code: 'AWS_UNAUTHORIZED', message: 'Not allowed to list instances.', retryable: false });
    service.lists[1]?.answer.reject(denied);
    await settle();

    const entry = feed.getState().regions.get('eu-west-1');
    expect(entry?.instances).toEqual(rows);
    expect(entry?.error).toBe(denied);
    expect(entry?.loading).toBe(false);
    feed.stop();
  });

  it('turns a thrown non-HangarError into one, and a cancelled load into nothing', async () => {
    const { feed, service } = startFeed('eu-west-1');
    service.lists[0]?.answer.reject(new Error('socket hang up'));
    await settle();
    const entry = feed.getState().regions.get('eu-west-1');
    expect(entry?.error).toBeInstanceOf(HangarError);
    expect(entry?.error?.message).toBe('socket hang up');

    feed.retryRegion('eu-west-1');
    service.lists[1]?.answer.reject(cancelledError());
    await settle();
    // The cancelled attempt changes nothing: the old error is not replaced by "Cancelled."
    expect(feed.getState().regions.get('eu-west-1')?.error?.message).toBe('socket hang up');
    feed.stop();
  });

  it('shows an empty region as an empty list, not as still loading', async () => {
    const { feed, service } = startFeed('ap-south-1');
    service.lists[0]?.answer.resolve([]);
    await settle();
    expect(feed.getState().regions.get('ap-south-1')).toMatchObject({ instances: [], loading: false, error: undefined });
    feed.stop();
  });

  it('applies an accepted action at once and follows the region closely for a while', async () => {
    const { feed, service } = startFeed('eu-west-1');
    service.lists[0]?.answer.resolve([instance('i-1', 'eu-west-1'), instance('i-2', 'eu-west-1')]);
    await settle();

    // A reboot: AWS answers "running" → "running", nothing looks in transition, yet the feed follows.
    feed.applyChanges('eu-west-1', [{ instanceId: 'i-1', previousState: 'running', currentState: 'stopping' }]);
    expect(feed.getState().regions.get('eu-west-1')?.instances?.map((i) => i.state)).toEqual(['stopping', 'running']);
    expect(feed.getState().fast).toBe(true);

    await vi.advanceTimersByTimeAsync(FAST);
    expect(service.lists).toHaveLength(2);
    service.lists[1]?.answer.resolve([instance('i-1', 'eu-west-1', 'stopped'), instance('i-2', 'eu-west-1')]);
    await settle();
    // Settled, but still inside the follow window: fast.
    expect(feed.getState().fast).toBe(true);

    await vi.advanceTimersByTimeAsync(FOLLOW);
    const polls = service.lists.length;
    for (const call of service.lists.slice(2)) call.answer.resolve([instance('i-1', 'eu-west-1', 'stopped'), instance('i-2', 'eu-west-1')]);
    await settle();
    expect(feed.getState().fast).toBe(false);
    await vi.advanceTimersByTimeAsync(FAST * 2);
    expect(service.lists).toHaveLength(polls);
    feed.stop();
  });

  it('does not poll while the window is hidden, and refreshes stale data when it comes back', async () => {
    const { feed, service } = startFeed('eu-west-1');
    service.lists[0]?.answer.resolve([instance('i-1', 'eu-west-1')]);
    await settle();

    feed.setVisible(false);
    expect(feed.getState().paused).toBe(true);
    await vi.advanceTimersByTimeAsync(SLOW * 3);
    expect(service.lists).toHaveLength(1);

    feed.setVisible(true);
    expect(feed.getState().paused).toBe(false);
    // Older than one slow interval: loaded again at once.
    expect(service.lists).toHaveLength(2);
    feed.stop();
  });

  it('reloads after the background service reconnects', async () => {
    const { feed, service } = startFeed('eu-west-1');
    service.lists[0]?.answer.resolve([]);
    await settle();
    expect(service.reconnects.size).toBe(1);
    for (const listener of service.reconnects) listener();
    expect(service.lists).toHaveLength(2);
    feed.stop();
  });

  it('stop() aborts what is in flight, lets go of events and never polls again', async () => {
    const { feed, service } = startFeed('eu-west-1');
    const first = service.lists[0];
    expect(service.scanned.size).toBe(1);

    feed.stop();
    expect(first?.signal.aborted).toBe(true);
    expect(service.scanned.size).toBe(0);
    expect(service.reconnects.size).toBe(0);
    // Nobody is waiting for the abandoned request any more.
    expect(feed.getState().regions.get('eu-west-1')?.loading).toBe(false);

    first?.answer.resolve([instance('i-late', 'eu-west-1')]);
    await settle();
    expect(feed.getState().regions.get('eu-west-1')?.instances).toBeUndefined();
    await vi.advanceTimersByTimeAsync(SLOW * 2);
    expect(service.lists).toHaveLength(1);
    feed.refresh();
    expect(service.lists).toHaveLength(1);
  });

  it('switching region drops the old request and loads the new one', async () => {
    const { feed, service } = startFeed('eu-west-1');
    feed.setView('us-east-1');
    expect(service.lists[0]?.signal.aborted).toBe(true);
    expect(service.lists[1]?.region).toBe('us-east-1');
    expect(feed.getState().view).toBe('us-east-1');
    feed.stop();
  });

  it('shows what the account last showed when its dashboard comes back', async () => {
    const { feed, service, accountId } = startFeed('eu-west-1');
    const rows = [instance('i-1', 'eu-west-1')];
    service.lists[0]?.answer.resolve(rows);
    await settle();
    feed.stop();

    const again = new InstancesFeed(fakeService(accountId).deps, 'eu-west-1');
    expect(again.getState().regions.get('eu-west-1')?.instances).toEqual(rows);
    const other = new InstancesFeed(fakeService(newAccount()).deps, 'eu-west-1');
    expect(other.getState().regions.size).toBe(0);
  });
});

describe('InstancesFeed, all regions', () => {
  it('merges each region as its scan result arrives, with progress, and ignores other accounts', async () => {
    const { feed, service } = startFeed('all');
    expect(service.scans).toHaveLength(1);
    expect(service.lists).toHaveLength(0);
    expect(feed.getState().scan).toEqual({ done: 0, total: undefined, quiet: false });

    service.scans[0]?.onProgress({ done: 1, total: 3, unit: 'regions' });
    service.push({ region: 'us-east-1', instances: [instance('i-a', 'us-east-1')] });
    service.push({ region: 'eu-west-1', instances: [instance('i-b', 'eu-west-1'), instance('i-c', 'eu-west-1')] });
    service.push({ region: 'ap-east-1', accountId: 'someone-else', instances: [instance('i-x', 'ap-east-1')] });
    expect(feed.getState().scan).toEqual({ done: 1, total: 3, quiet: false });

    const regions = feed.getState().regions;
    expect([...regions.keys()].sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect(regions.get('eu-west-1')?.instances?.map((i) => i.id)).toEqual(['i-b', 'i-c']);
    expect(regions.get('us-east-1')?.instances?.map((i) => i.id)).toEqual(['i-a']);
    feed.stop();
  });

  it('shows a failing region as that region’s error while the others list', async () => {
    const { feed, service } = startFeed('all');
    const denied = new HangarError({ code: 'AWS_UNAUTHORIZED', message: 'Region disabled by policy.', hint: 'Ask your admin.', retryable: false });
    service.push({ region: 'me-south-1', error: denied.toJSON() });
    service.scans[0]?.answer.resolve([
      { scanId: 's1', accountId: service.deps.accountId, region: 'eu-west-1', instances: [instance('i-1', 'eu-west-1')], elapsedMs: 3 },
      { scanId: 's1', accountId: service.deps.accountId, region: 'me-south-1', error: denied.toJSON(), elapsedMs: 3 },
    ]);
    await settle();

    const state = feed.getState();
    expect(state.scan).toBeUndefined();
    expect(state.scanError).toBeUndefined();
    expect(state.regions.get('eu-west-1')).toMatchObject({ error: undefined, loading: false });
    expect(state.regions.get('eu-west-1')?.instances?.map((i) => i.id)).toEqual(['i-1']);
    const failed = state.regions.get('me-south-1');
    expect(failed?.instances).toBeUndefined();
    expect(failed?.error).toBeInstanceOf(HangarError);
    expect(failed?.error).toMatchObject({ code: 'AWS_UNAUTHORIZED', message: 'Region disabled by policy.', hint: 'Ask your admin.' });
    feed.stop();
  });

  it('reports a scan that fails as a whole, and polls a changing region alone', async () => {
    const { feed, service } = startFeed('all');
    service.scans[0]?.answer.reject(new HangarError({ code: 'AWS_UNAUTHORIZED', message: 'Cannot list regions.' }));
    await settle();
    expect(feed.getState().scanError?.message).toBe('Cannot list regions.');
    expect(feed.getState().scan).toBeUndefined();

    // A manual refresh scans again; this time one region has an instance stopping.
    feed.refresh();
    expect(feed.getState().scanError).toBeUndefined();
    service.scans[1]?.answer.resolve([
      { scanId: 's2', accountId: service.deps.accountId, region: 'us-west-2', instances: [instance('i-1', 'us-west-2', 'stopping')], elapsedMs: 3 },
      { scanId: 's2', accountId: service.deps.accountId, region: 'eu-west-1', instances: [instance('i-2', 'eu-west-1')], elapsedMs: 3 },
    ]);
    await settle();
    expect(feed.getState().fast).toBe(true);

    await vi.advanceTimersByTimeAsync(FAST);
    // Only the region with something in transition is asked, not a whole new scan.
    expect(service.scans).toHaveLength(2);
    expect(service.lists.map((call) => call.region)).toEqual(['us-west-2']);
    feed.stop();
  });

  it('does not let an older scan answer overwrite a region loaded directly after the scan began', async () => {
    const { feed, service } = startFeed('all');
    await vi.advanceTimersByTimeAsync(10);
    feed.retryRegion('eu-west-1');
    service.lists[0]?.answer.resolve([instance('i-fresh', 'eu-west-1')]);
    await settle();
    service.push({ region: 'eu-west-1', instances: [instance('i-stale', 'eu-west-1')] });
    expect(feed.getState().regions.get('eu-west-1')?.instances?.map((i) => i.id)).toEqual(['i-fresh']);
    feed.stop();
  });

  it('stops the scan when switching to one region', async () => {
    const { feed, service } = startFeed('all');
    feed.setView('eu-west-1');
    expect(service.scans[0]?.signal.aborted).toBe(true);
    expect(feed.getState().scan).toBeUndefined();
    expect(service.lists.map((call) => call.region)).toEqual(['eu-west-1']);
    feed.stop();
  });
});
