import { HangarError, cancelledError } from '../../../shared/errors/hangar-error';
import type { InstanceSummary, RegionSummary } from '../../../shared/models/ec2';
import type { RegionScanResult } from '../../../shared/models/instance-actions';
import { ALWAYS_ENABLED_REGIONS } from '../../../shared/models/region-names';
import { throwIfAborted } from '../aws/call-aws';
import { mapAwsError } from '../aws/map-aws-error';

export interface ScanOptions {
  /** Copied into every result, so a late answer of an old scan can be told apart from the current one. */
  scanId: string;
  signal?: AbortSignal;
  /** How many regions are asked at once; default DEFAULT_SCAN_CONCURRENCY. */
  concurrency?: number;
  /** Once DescribeRegions has answered: how many results `onRegion` will deliver. */
  onRegionsKnown?(total: number): void;
  /** Each region's result the moment it arrives (after `onRegionsKnown`). */
  onRegion?(result: RegionScanResult, total: number): void;
}

/**
 * Regions scanned at once. EC2 throttles per account *per region*, so asking different regions in parallel
 * does not compete for one rate limit; the bound only caps open sockets and response parsing in flight.
 * 20 puts every region a commercial account has by default (17) in a single wave — with a lower bound a
 * scan costs ceil(17 / bound) round trips instead of one.
 */
export const DEFAULT_SCAN_CONCURRENCY = 20;

export interface RegionScanDeps {
  homeRegionFor(accountId: string): Promise<string>;
  listRegions(accountId: string, signal?: AbortSignal): Promise<RegionSummary[]>;
  listInstances(accountId: string, region: string, signal?: AbortSignal): Promise<InstanceSummary[]>;
}

export type RegionScan = (accountId: string, options: ScanOptions) => Promise<RegionScanResult[]>;

/**
 * Every enabled region of an account, concurrently (bounded). The regions every commercial account has
 * are started before DescribeRegions answers, so a scan costs one round trip, not two.
 */
export function createRegionScan(deps: RegionScanDeps): RegionScan {
  return async (accountId, options) => {
    const { scanId, signal } = options;
    const concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_SCAN_CONCURRENCY));
    throwIfAborted(signal);
    const home = await deps.homeRegionFor(accountId);
    throwIfAborted(signal);

    // One controller for everything this scan started: user cancel, a failed DescribeRegions, or a
    // throwing callback all stop the outstanding work at once.
    const stop = new AbortController();
    const perRegion = new Map<string, AbortController>();
    const results = new Map<string, RegionScanResult>();
    const early: RegionScanResult[] = [];
    let enabled: string[] | undefined;
    let queue = isCommercial(home) ? [...ALWAYS_ENABLED_REGIONS] : [];
    const started = new Set<string>();
    let active = 0;
    let finished = false;

    let settle!: { resolve: () => void; reject: (error: unknown) => void };
    const done = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    // Awaited below on every path that gets that far; this only keeps an early failure from being "unhandled".
    done.catch(() => undefined);
    const fail = (error: unknown): void => {
      if (finished) return;
      finished = true;
      stop.abort();
      settle.reject(error);
    };
    const onAbort = (): void => fail(cancelledError());
    signal?.addEventListener('abort', onAbort, { once: true });

    const deliver = (result: RegionScanResult): void => {
      results.set(result.region, result);
      try {
        options.onRegion?.(result, enabled?.length ?? 0);
      } catch (error) {
        fail(error);
      }
    };
    const report = (result: RegionScanResult | undefined): void => {
      if (finished || result === undefined) return;
      // Until DescribeRegions answers, the total is unknown: hold early answers back.
      if (enabled === undefined) early.push(result);
      else if (enabled.includes(result.region)) deliver(result);
    };
    const maybeDone = (): void => {
      if (!finished && enabled !== undefined && queue.length === 0 && active === 0) {
        finished = true;
        settle.resolve();
      }
    };
    const scanRegion = async (region: string): Promise<RegionScanResult | undefined> => {
      const controller = new AbortController();
      perRegion.set(region, controller);
      const regionSignal = AbortSignal.any([stop.signal, controller.signal]);
      const startedAt = performance.now();
      const elapsedMs = (): number => Math.round(performance.now() - startedAt);
      try {
        const instances = await deps.listInstances(accountId, region, regionSignal);
        return { scanId, accountId, region, instances, elapsedMs: elapsedMs() };
      } catch (error) {
        if (regionSignal.aborted) return undefined;
        const mapped = error instanceof HangarError ? error : mapAwsError(error, { action: 'ec2:DescribeInstances', region });
        return { scanId, accountId, region, error: mapped.toJSON(), elapsedMs: elapsedMs() };
      } finally {
        perRegion.delete(region);
      }
    };
    const pump = (): void => {
      while (!finished && active < concurrency && queue.length > 0) {
        const region = queue.shift() ?? '';
        started.add(region);
        active++;
        void scanRegion(region)
          .then(report)
          .finally(() => {
            active--;
            pump();
            maybeDone();
          });
      }
    };

    try {
      const regions = deps.listRegions(accountId, stop.signal);
      regions.catch(() => undefined);
      pump();
      let listed: RegionSummary[];
      try {
        listed = await Promise.race([regions, done.then(() => [])]);
      } catch (error) {
        fail(error);
        throw error;
      }
      enabled = listed.map((r) => r.name);
      const enabledSet = new Set(enabled);
      // Started early but not enabled after all (never for a real commercial account): drop it.
      for (const [region, controller] of perRegion) if (!enabledSet.has(region)) controller.abort();
      const queued = new Set(queue);
      queue = [...queue.filter((r) => enabledSet.has(r)), ...enabled.filter((r) => !started.has(r) && !queued.has(r))];
      try {
        options.onRegionsKnown?.(enabled.length);
      } catch (error) {
        fail(error);
      }
      for (const result of early.splice(0)) if (!finished && enabledSet.has(result.region)) deliver(result);
      pump();
      maybeDone();
      await done;
      return enabled.flatMap((r) => results.get(r) ?? []);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      stop.abort();
    }
  };
}

function isCommercial(region: string): boolean {
  return !/^(cn-|us-gov-|us-iso|eu-isoe-)/.test(region);
}
