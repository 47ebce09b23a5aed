import { HangarError, isCancelled } from '../../../shared/errors/hangar-error';
import type { InstanceSummary } from '../../../shared/models/ec2';
import type { InstanceStateChange, RegionScanResult } from '../../../shared/models/instance-actions';
import type { Progress } from '../../../shared/ipc/rpc-types';
import { toHangarError } from '../../api/to-hangar-error';
import { createStore, type Store } from '../../state/create-store';
import { isTransitional } from './format';

/** One region, or every enabled region at once. */
export type RegionView = 'all' | (string & {});

export interface RegionEntry {
  /** Undefined until the region first answers. */
  readonly instances: readonly InstanceSummary[] | undefined;
  /** The last attempt failed (earlier instances, if any, stay on screen). */
  readonly error: HangarError | undefined;
  readonly loading: boolean;
  readonly updatedAt: number | undefined;
}

export interface FeedState {
  readonly view: RegionView;
  readonly regions: ReadonlyMap<string, RegionEntry>;
  /** While an all-regions scan runs: how many regions have answered. */
  readonly scan: { readonly done: number; readonly total: number | undefined; readonly quiet: boolean } | undefined;
  /** The scan as a whole failed (e.g. the regions could not be listed). */
  readonly scanError: HangarError | undefined;
  /** When fresh data last arrived. */
  readonly lastUpdated: number | undefined;
  /** The window is hidden: no polling. */
  readonly paused: boolean;
  /** Polling every couple of seconds (something is changing state). */
  readonly fast: boolean;
}

export interface FeedDeps {
  readonly accountId: string;
  listInstances(region: string, signal: AbortSignal): Promise<InstanceSummary[]>;
  scanAllRegions(signal: AbortSignal, onProgress: (progress: Progress) => void): Promise<RegionScanResult[]>;
  /** Pushes each region's answer during a scan (the `ec2.regionScanned` event). */
  onRegionScanned(listener: (result: RegionScanResult) => void): () => void;
  /** After the background service comes back. */
  onReconnect(listener: () => void): () => void;
  readonly fastMs?: number;
  readonly slowMs?: number;
  /** How long rows are followed closely after an action even if nothing looks in transition (reboot). */
  readonly followMs?: number;
}

const EMPTY_ENTRY: RegionEntry = { instances: undefined, error: undefined, loading: false, updatedAt: undefined };

// What the dashboard last showed per account: coming back to Instances shows it at once, then refreshes.
const lastStates = new Map<string, FeedState>();

/**
 * Keeps the instance list of one account current: loads the view (one region, or all through a
 * streaming scan), polls fast while anything is pending / stopping / shutting down or just after an
 * action, slowly otherwise, and not at all while the window is hidden. Data is replaced region by
 * region as answers arrive, never cleared first, so the table does not flicker.
 */
export class InstancesFeed {
  private readonly store: Store<FeedState>;
  private readonly loads = new Map<string, AbortController>();
  private scanController: AbortController | undefined;
  private scanStartedAt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private cycleToken = 0;
  private cycling = false;
  private followUntil = 0;
  private readonly actedRegions = new Set<string>();
  private visible = true;
  private running = false;
  private cleanups: (() => void)[] = [];
  private readonly fastMs: number;
  private readonly slowMs: number;
  private readonly followMs: number;

  constructor(
    private readonly deps: FeedDeps,
    view: RegionView,
  ) {
    this.fastMs = deps.fastMs ?? 2_000;
    this.slowMs = deps.slowMs ?? 30_000;
    this.followMs = deps.followMs ?? 12_000;
    const last = lastStates.get(deps.accountId);
    this.store = createStore<FeedState>(
      last
        ? { ...last, view, scan: undefined, regions: settle(last.regions) }
        : { view, regions: new Map(), scan: undefined, scanError: undefined, lastUpdated: undefined, paused: false, fast: false },
    );
  }

  readonly getState = (): FeedState => this.store.get();

  readonly subscribe = (listener: () => void): (() => void) => this.store.subscribe(listener);

  private get state(): FeedState {
    return this.store.get();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.cleanups = [
      this.deps.onRegionScanned((result) => this.onScanned(result)),
      this.deps.onReconnect(() => void this.cycle('manual')),
    ];
    void this.cycle('manual');
  }

  stop(): void {
    this.running = false;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.clearTimer();
    this.cycleToken += 1;
    this.cycling = false;
    for (const controller of this.loads.values()) controller.abort();
    this.loads.clear();
    this.scanController?.abort();
    this.scanController = undefined;
    this.set({ regions: settle(this.state.regions), scan: undefined });
  }

  setView(view: RegionView): void {
    if (view === this.state.view) return;
    for (const [region, controller] of this.loads) {
      if (view !== 'all' && region !== view) {
        controller.abort();
        this.loads.delete(region);
      }
    }
    if (view !== 'all') {
      this.scanController?.abort();
      this.scanController = undefined;
    }
    this.set({ view, scan: undefined, regions: settle(this.state.regions, view === 'all' ? undefined : view) });
    if (this.running) void this.cycle('manual');
  }

  /** The Refresh button, F5, Ctrl+R. */
  refresh(): void {
    if (this.running) void this.cycle('manual');
  }

  /** Reloads one region now (its inline error's Retry). */
  retryRegion(region: string): void {
    if (!this.running) return;
    void this.loadRegion(region).then(() => this.schedule());
  }

  setVisible(visible: boolean): void {
    if (visible === this.visible) return;
    this.visible = visible;
    this.set({ paused: !visible });
    if (!visible) {
      this.clearTimer();
      return;
    }
    const age = Date.now() - (this.state.lastUpdated ?? 0);
    if (age >= this.interval()) void this.cycle('poll');
    else this.schedule();
  }

  /** An action was accepted: show AWS's answer at once and follow the rows closely until they settle. */
  applyChanges(region: string, changes: readonly InstanceStateChange[]): void {
    const entry = this.state.regions.get(region);
    if (entry?.instances) {
      const byId = new Map(changes.map((change) => [change.instanceId, change.currentState]));
      const instances = entry.instances.map((instance) => {
        const next = byId.get(instance.id);
        return next && next !== instance.state ? { ...instance, state: next } : instance;
      });
      this.setRegion(region, { ...entry, instances });
    }
    this.followUntil = Date.now() + this.followMs;
    this.actedRegions.add(region);
    if (!this.cycling) {
      this.clearTimer();
      this.schedule();
    }
  }

  // ---- loading -------------------------------------------------------------------------------

  private async cycle(mode: 'manual' | 'poll'): Promise<void> {
    if (!this.running) return;
    this.clearTimer();
    const token = ++this.cycleToken;
    this.cycling = true;
    const view = this.state.view;
    try {
      if (view !== 'all') {
        await this.loadRegion(view);
      } else if (mode === 'poll' && this.isFast()) {
        await Promise.all(this.fastRegions().map((region) => this.loadRegion(region)));
      } else {
        await this.scan(mode === 'poll');
      }
    } finally {
      if (token === this.cycleToken) {
        this.cycling = false;
        this.schedule();
      }
    }
  }

  private async loadRegion(region: string): Promise<void> {
    this.loads.get(region)?.abort();
    const controller = new AbortController();
    this.loads.set(region, controller);
    const before = this.state.regions.get(region) ?? EMPTY_ENTRY;
    if (!before.loading) this.setRegion(region, { ...before, loading: true });
    try {
      const instances = await this.deps.listInstances(region, controller.signal);
      if (controller.signal.aborted) return;
      const now = Date.now();
      this.setRegion(region, { instances, error: undefined, loading: false, updatedAt: now }, now);
    } catch (error) {
      if (controller.signal.aborted || isCancelled(error)) return;
      const current = this.state.regions.get(region) ?? EMPTY_ENTRY;
      this.setRegion(region, { ...current, error: toHangarError(error), loading: false });
    } finally {
      if (this.loads.get(region) === controller) this.loads.delete(region);
    }
  }

  /** `quiet`: a background poll, not worth a progress bar. */
  private async scan(quiet: boolean): Promise<void> {
    this.scanController?.abort();
    const controller = new AbortController();
    this.scanController = controller;
    this.scanStartedAt = Date.now();
    this.set({ scan: { done: 0, total: undefined, quiet }, scanError: undefined });
    try {
      const results = await this.deps.scanAllRegions(controller.signal, (progress) => {
        if (this.scanController === controller) this.set({ scan: { done: progress.done, total: progress.total, quiet } });
      });
      if (controller.signal.aborted) return;
      // Events normally delivered these already; this catches any that were missed.
      for (const result of results) this.mergeScanned(result);
    } catch (error) {
      if (controller.signal.aborted || isCancelled(error)) return;
      this.set({ scanError: toHangarError(error) });
    } finally {
      if (this.scanController === controller) {
        this.scanController = undefined;
        this.set({ scan: undefined });
      }
    }
  }

  private onScanned(result: RegionScanResult): void {
    if (!this.scanController || result.accountId !== this.deps.accountId) return;
    this.mergeScanned(result);
  }

  private mergeScanned(result: RegionScanResult): void {
    const current = this.state.regions.get(result.region) ?? EMPTY_ENTRY;
    // A direct load that finished after the scan began is at least as fresh.
    if (current.updatedAt !== undefined && current.updatedAt >= this.scanStartedAt) return;
    if (result.error) {
      this.setRegion(result.region, { ...current, error: HangarError.fromJSON(result.error), loading: false });
    } else {
      const now = Date.now();
      this.setRegion(result.region, { instances: result.instances ?? [], error: undefined, loading: false, updatedAt: now }, now);
    }
  }

  // ---- polling -------------------------------------------------------------------------------

  private visibleInstances(): InstanceSummary[] {
    const { view, regions } = this.state;
    if (view !== 'all') return [...(regions.get(view)?.instances ?? [])];
    return [...regions.values()].flatMap((entry) => entry.instances ?? []);
  }

  private isFast(): boolean {
    if (Date.now() < this.followUntil) return true;
    return this.visibleInstances().some((instance) => isTransitional(instance.state));
  }

  private fastRegions(): string[] {
    const regions = new Set<string>();
    if (Date.now() < this.followUntil) for (const region of this.actedRegions) regions.add(region);
    else this.actedRegions.clear();
    for (const [region, entry] of this.state.regions) {
      if (entry.instances?.some((instance) => isTransitional(instance.state))) regions.add(region);
    }
    return [...regions];
  }

  private interval(): number {
    return this.isFast() ? this.fastMs : this.slowMs;
  }

  private schedule(): void {
    this.clearTimer();
    const fast = this.isFast();
    if (fast !== this.state.fast) this.set({ fast });
    if (!this.running || !this.visible || this.cycling) return;
    this.timer = setTimeout(() => void this.cycle('poll'), fast ? this.fastMs : this.slowMs);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  // ---- state ---------------------------------------------------------------------------------

  private setRegion(region: string, entry: RegionEntry, updatedAt?: number): void {
    const regions = new Map(this.state.regions);
    regions.set(region, entry);
    this.set(updatedAt === undefined ? { regions } : { regions, lastUpdated: updatedAt });
  }

  private set(patch: Partial<FeedState>): void {
    const next = { ...this.state, ...patch };
    lastStates.set(this.deps.accountId, next);
    this.store.set(next);
  }
}

/** Clears "loading" flags (their requests were abandoned), optionally for every region but one. */
function settle(regions: ReadonlyMap<string, RegionEntry>, except?: string): ReadonlyMap<string, RegionEntry> {
  let changed = false;
  const next = new Map(regions);
  for (const [region, entry] of regions) {
    if (entry.loading && region !== except) {
      next.set(region, { ...entry, loading: false });
      changed = true;
    }
  }
  return changed ? next : regions;
}
