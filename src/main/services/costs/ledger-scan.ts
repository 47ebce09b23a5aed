import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { HangarError, isCancelled } from '../../../shared/errors/hangar-error';
import type { AccountSummary } from '../../../shared/models/accounts';
import type { LedgerRegionResult } from '../../../shared/models/costs';
import { ALWAYS_ENABLED_REGIONS } from '../../../shared/models/region-names';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import { callAws, throwIfAborted } from '../aws/call-aws';
import { mapAwsError } from '../aws/map-aws-error';
import { withAccountHint } from './account-hint';
import { ledgerRows } from './ledger-rows';
import type { InstancePrice, PriceSource } from './price-source';
import { describeRegionResources, type InstanceFact } from './region-resources';
import type { SpotPrice } from './spot-prices';
import { withBackoff } from './with-backoff';

export interface LedgerScanOptions {
  /** Copied into every result, so a late answer of an old scan can be told apart. */
  scanId: string;
  signal?: AbortSignal;
  /** Ask the Price List again even if the cached prices are fresh. */
  refreshPrices?: boolean;
  /** Only these regions (a benchmark's one-region anchor); default every region of the account. */
  regions?: readonly string[];
  /** Each account's region count, once known (enabled and skipped alike): for progress. */
  onRegionsKnown?(accountId: string, total: number): void;
  /** Each region's result the moment it is ready. */
  onRegion?(result: LedgerRegionResult): void;
}

export type LedgerScan = (accountIds: readonly string[], options: LedgerScanOptions) => Promise<LedgerRegionResult[]>;

export interface LedgerScanDeps {
  clientsFor(accountId: string): AwsClientFactory;
  prices: PriceSource;
  accountFor(accountId: string): Promise<AccountSummary | undefined>;
  now?: () => number;
}

const NOT_ENABLED =
  'Not enabled for this account (an opt-in region), so nothing can run or bill there. Enable it in the AWS console (Account → AWS Regions) to include it.';

function isCommercial(region: string): boolean {
  return !/^(cn-|us-gov-|us-iso|eu-isoe-)/.test(region);
}

/**
 * The ledger of one or more accounts: every region at once (DescribeRegions with AllRegions, so regions that
 * are not enabled are named as skipped), each region's six listings at once, its prices fetched while they
 * run. The regions every commercial account has are started before DescribeRegions answers, so a ledger
 * costs about what one region does. A failing region is reported on its own; the others still count.
 */
export function createLedgerScan(deps: LedgerScanDeps): LedgerScan {
  const now = deps.now ?? Date.now;

  async function regionLedger(accountId: string, account: AccountSummary | undefined, region: string, scanId: string, signal: AbortSignal, refresh: boolean): Promise<LedgerRegionResult | undefined> {
    const startedAt = performance.now();
    const elapsedMs = (): number => Math.round(performance.now() - startedAt);
    try {
      const clients = deps.clientsFor(accountId);
      const options = { refresh };
      // Rates do not depend on what the region holds: asked while the listings run.
      const rates = deps.prices.rates(accountId, region, signal, options);
      rates.catch(() => undefined);
      const priceInstances = (instances: readonly InstanceFact[]): Promise<[Map<string, InstancePrice>, Map<string, SpotPrice>]> => {
        const live = instances.filter((i) => i.state === 'running' || i.state === 'pending');
        return Promise.all([
          deps.prices.onDemand(accountId, region, live.map((i) => i.type), signal, options),
          deps.prices.spot(accountId, region, live.filter((i) => i.spot).map((i) => i.type), signal),
        ]);
      };
      // Instance prices are asked the moment the instances are listed, while the other listings still run.
      let instancePrices: Promise<[Map<string, InstancePrice>, Map<string, SpotPrice>]> | undefined;
      const resources = await describeRegionResources(clients, region, signal, (instances) => {
        instancePrices = priceInstances(instances);
        instancePrices.catch(() => undefined);
      });
      const [[onDemand, spot], pricedRates] = await Promise.all([instancePrices ?? priceInstances(resources.instances), rates]);
      const rows = ledgerRows(accountId, region, resources, { onDemand, spot, rates: pricedRates }, now());
      return {
        scanId,
        accountId,
        region,
        rows,
        ...(resources.denied.length === 0 ? {} : { warnings: resources.denied.map((e) => e.toJSON()) }),
        elapsedMs: elapsedMs(),
      };
    } catch (error) {
      if (signal.aborted || isCancelled(error)) return undefined;
      const mapped = error instanceof HangarError ? error : mapAwsError(error, { region });
      return { scanId, accountId, region, error: withAccountHint(mapped, account).toJSON(), elapsedMs: elapsedMs() };
    }
  }

  async function listRegions(accountId: string, home: string, signal: AbortSignal): Promise<{ enabled: string[]; skipped: string[] }> {
    const out = await withBackoff(
      () =>
        callAws(() => deps.clientsFor(accountId).ec2(home).send(new DescribeRegionsCommand({ AllRegions: true }), { abortSignal: signal }), {
          action: 'ec2:DescribeRegions',
          region: home,
          signal,
        }),
      { signal },
    );
    const enabled: string[] = [];
    const skipped: string[] = [];
    for (const r of out.Regions ?? []) {
      if (r.RegionName === undefined) continue;
      (r.OptInStatus === 'not-opted-in' ? skipped : enabled).push(r.RegionName);
    }
    return { enabled: enabled.sort(), skipped: skipped.sort() };
  }

  async function scanAccount(accountId: string, options: LedgerScanOptions, signal: AbortSignal): Promise<LedgerRegionResult[]> {
    const { scanId } = options;
    const refresh = options.refreshPrices === true;
    const account = await deps.accountFor(accountId);
    const fallbackHome = account?.defaultRegion ?? 'us-east-1';
    const home = isCommercial(fallbackHome) ? 'us-east-1' : fallbackHome;
    const started = new Map<string, { controller: AbortController; result: Promise<LedgerRegionResult | undefined> }>();
    const start = (region: string): Promise<LedgerRegionResult | undefined> => {
      let entry = started.get(region);
      if (!entry) {
        const controller = new AbortController();
        const regionSignal = AbortSignal.any([signal, controller.signal]);
        entry = { controller, result: regionLedger(accountId, account, region, scanId, regionSignal, refresh) };
        started.set(region, entry);
      }
      return entry.result;
    };
    const wanted = options.regions;
    // Started before DescribeRegions answers (it runs alongside): the named regions, else every commercial
    // account's default ones. A region that turns out not to be enabled is dropped below.
    for (const region of wanted ?? (isCommercial(home) ? ALWAYS_ENABLED_REGIONS : [])) void start(region);

    let enabled: string[];
    let skipped: string[];
    try {
      ({ enabled, skipped } = await listRegions(accountId, home, signal));
    } catch (error) {
      for (const { controller } of started.values()) controller.abort();
      if (signal.aborted || isCancelled(error)) throw error;
      const mapped = error instanceof HangarError ? error : mapAwsError(error, { region: home });
      throw withAccountHint(mapped, account);
    }
    if (wanted !== undefined) {
      skipped = skipped.filter((r) => wanted.includes(r));
      enabled = enabled.filter((r) => wanted.includes(r));
    }
    // Started early but not enabled after all (never for a real commercial account): dropped.
    for (const [region, { controller }] of started) if (!enabled.includes(region)) controller.abort();
    options.onRegionsKnown?.(accountId, enabled.length + skipped.length);

    const results: LedgerRegionResult[] = [];
    const deliver = (result: LedgerRegionResult): void => {
      results.push(result);
      options.onRegion?.(result);
    };
    for (const region of skipped) deliver({ scanId, accountId, region, skipped: NOT_ENABLED, elapsedMs: 0 });
    await Promise.all(
      enabled.map(async (region) => {
        const result = await start(region);
        if (result && !signal.aborted) deliver(result);
      }),
    );
    throwIfAborted(signal);
    return results.sort((a, b) => a.region.localeCompare(b.region));
  }

  return async (accountIds, options) => {
    throwIfAborted(options.signal);
    const stop = new AbortController();
    const signal = options.signal === undefined ? stop.signal : AbortSignal.any([options.signal, stop.signal]);
    try {
      const ids = [...new Set(accountIds)];
      const perAccount = await Promise.all(
        ids.map(async (accountId) => {
          try {
            return await scanAccount(accountId, options, signal);
          } catch (error) {
            // One account of several that cannot be read is that account's error; alone, it is the scan's.
            if (ids.length === 1 || signal.aborted || isCancelled(error) || !(error instanceof HangarError)) throw error;
            const region = error.details?.region;
            const result: LedgerRegionResult = { scanId: options.scanId, accountId, region: typeof region === 'string' ? region : 'us-east-1', error: error.toJSON(), elapsedMs: 0 };
            options.onRegion?.(result);
            return [result];
          }
        }),
      );
      return perAccount.flat();
    } finally {
      // Whatever ended the scan (a failed DescribeRegions in one account, a cancel), nothing is left running.
      stop.abort();
    }
  };
}
