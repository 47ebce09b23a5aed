import { HangarError, isCancelled } from '../../../shared/errors/hangar-error';
import type { PriceProvenance } from '../../../shared/models/costs';
import { PRICES_AS_OF, priceFor } from '../../../shared/models/instance-prices';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import type { Logger } from '../logging/logger';
import type { PriceCache } from './price-cache';
import { fetchInstancePrices, fetchPublicIpv4Rates, fetchStorageRates } from './price-list-queries';
import { BUNDLED_RATES_AS_OF, bundledRates, type RegionRates } from './region-rates';
import { fetchSpotPrices, type SpotPrice } from './spot-prices';
import { withBackoff } from './with-backoff';

/** Cached prices are asked again once they are this old. */
export const PRICE_MAX_AGE_MS = 7 * 24 * 3_600_000;
// After the Price List could not be reached (offline, no permission), the bundled table stands in this long
// before it is tried again, so a ledger of 17 regions does not wait on 17 failing queries each time.
const UNREACHABLE_BACKOFF_MS = 5 * 60_000;
// Spot prices move; a ledger refreshed within this long reuses them.
const SPOT_MAX_AGE_MS = 10 * 60_000;

export interface InstancePrice {
  readonly usd: number;
  readonly provenance: PriceProvenance;
}

export interface PricedRates {
  readonly rates: RegionRates;
  readonly provenance: PriceProvenance;
}

export interface PriceOptions {
  /** Fetch again even when the cached prices are younger than 7 days. */
  refresh?: boolean;
}

/**
 * The one place prices come from: the instance table, the launch wizard and the Costs ledger all ask it.
 * The AWS Price List first (cached on disk for 7 days), the bundled table when it cannot be had, labelled.
 */
export interface PriceSource {
  /** Linux on-demand USD per hour of each type in `region`; a type with no known price is absent. */
  onDemand(accountId: string, region: string, types: readonly string[], signal?: AbortSignal, options?: PriceOptions): Promise<Map<string, InstancePrice>>;
  /** EBS, snapshot and public IPv4 rates of `region`; undefined when neither the Price List nor the table knows it. */
  rates(accountId: string, region: string, signal?: AbortSignal, options?: PriceOptions): Promise<PricedRates | undefined>;
  /** Current spot prices per type and zone (DescribeSpotPriceHistory); an empty map when they cannot be had. */
  spot(accountId: string, region: string, types: readonly string[], signal?: AbortSignal): Promise<Map<string, SpotPrice>>;
  /** Resolves once fetched prices are on disk. */
  flush(): Promise<void>;
}

export interface PriceSourceDeps {
  clientsFor(accountId: string): AwsClientFactory;
  cache: PriceCache;
  logger: Logger;
  now?: () => number;
  maxAgeMs?: number;
}

export function createPriceSource(deps: PriceSourceDeps): PriceSource {
  const now = deps.now ?? Date.now;
  const maxAge = deps.maxAgeMs ?? PRICE_MAX_AGE_MS;
  const inFlight = new Map<string, Promise<unknown>>();
  const spotCache = new Map<string, { at: number; prices: Map<string, SpotPrice> }>();
  let unreachableUntil = 0;

  const fresh = (fetchedAt: string | undefined, options: PriceOptions | undefined): boolean =>
    fetchedAt !== undefined && !options?.refresh && now() - Date.parse(fetchedAt) < maxAge;

  /** One fetch per key at a time: regions asking for the same thing share the answer. */
  function shared<T>(key: string, run: () => Promise<T>): Promise<T> {
    const running = inFlight.get(key) as Promise<T> | undefined;
    if (running) return running;
    const started = run().finally(() => inFlight.delete(key));
    inFlight.set(key, started);
    return started;
  }

  /** Runs a Price List fetch; undefined (logged) when the Price List cannot be had right now. */
  async function fromPriceList<T>(what: string, signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T | undefined> {
    if (now() < unreachableUntil) return undefined;
    try {
      return await withBackoff(run, { signal });
    } catch (error) {
      if (signal?.aborted || isCancelled(error)) throw error;
      const code = error instanceof HangarError ? error.code : 'unknown';
      // A refusal that will not go away by itself (permission, offline, credentials) pauses asking for a while.
      if (code !== 'AWS_REQUEST_FAILED') unreachableUntil = now() + UNREACHABLE_BACKOFF_MS;
      deps.logger.warn(`prices: the AWS Price List could not be read for ${what} (${code}); using the bundled prices`, error);
      return undefined;
    }
  }

  return {
    async onDemand(accountId, region, types, signal, options) {
      const unique = [...new Set(types)].sort();
      const result = new Map<string, InstancePrice>();
      const missing: string[] = [];
      for (const type of unique) {
        const cached = deps.cache.instance(region, type);
        if (cached && fresh(cached.fetchedAt, options)) {
          if (cached.usd !== null) result.set(type, { usd: cached.usd, provenance: { source: 'price-list', fetchedAt: cached.fetchedAt } });
        } else {
          missing.push(type);
        }
      }
      if (missing.length > 0) {
        // The account is resolved here, outside the fallback: an unknown account is an error, not a missing price.
        const clients = deps.clientsFor(accountId);
        const fetched = await shared(`od|${region}|${missing.join(',')}`, () =>
          fromPriceList(`${missing.length} instance type(s) in ${region}`, signal, () => fetchInstancePrices(clients, region, missing, signal)),
        );
        const fetchedAt = new Date(now()).toISOString();
        if (fetched !== undefined) {
          deps.cache.putInstances(region, new Map(missing.map((type) => [type, fetched.get(type) ?? null])), fetchedAt);
        }
        for (const type of missing) {
          const live = fetched?.get(type);
          if (live !== undefined) {
            result.set(type, { usd: live, provenance: { source: 'price-list', fetchedAt } });
            continue;
          }
          // An older Price List answer beats the bundled table; the table is the last resort.
          const stale = deps.cache.instance(region, type);
          if (fetched === undefined && stale?.usd !== undefined && stale.usd !== null) {
            result.set(type, { usd: stale.usd, provenance: { source: 'price-list', fetchedAt: stale.fetchedAt } });
            continue;
          }
          const bundled = fetched === undefined ? priceFor(region, type) : undefined;
          if (bundled !== undefined) result.set(type, { usd: bundled, provenance: { source: 'bundled', asOf: PRICES_AS_OF } });
        }
      }
      return result;
    },

    async rates(accountId, region, signal, options) {
      const cached = deps.cache.rates(region);
      if (cached && fresh(cached.fetchedAt, options)) return { rates: cached.rates, provenance: { source: 'price-list', fetchedAt: cached.fetchedAt } };
      const clients = deps.clientsFor(accountId);
      const fetched = await shared(`rates|${region}`, () =>
        fromPriceList(`storage and addresses in ${region}`, signal, async () => {
          const [storage, ipv4] = await Promise.all([
            fetchStorageRates(clients, region, signal),
            // One query for every region's IPv4 price, shared by the regions of a ledger that ask at once.
            shared('ipv4|all', () => fetchPublicIpv4Rates(clients, signal)),
          ]);
          const hourly = ipv4.get(region);
          return hourly === undefined ? storage : { ...storage, publicIpv4Hourly: hourly };
        }),
      );
      if (fetched !== undefined && Object.keys(fetched.volumeGbMonth).length > 0) {
        const fetchedAt = new Date(now()).toISOString();
        deps.cache.putRates(region, fetched, fetchedAt);
        return { rates: fetched, provenance: { source: 'price-list', fetchedAt } };
      }
      if (cached) return { rates: cached.rates, provenance: { source: 'price-list', fetchedAt: cached.fetchedAt } };
      const bundled = bundledRates(region);
      return bundled === undefined ? undefined : { rates: bundled, provenance: { source: 'bundled', asOf: BUNDLED_RATES_AS_OF } };
    },

    async spot(accountId, region, types, signal) {
      const unique = [...new Set(types)].sort();
      if (unique.length === 0) return new Map();
      const key = `${accountId}|${region}|${unique.join(',')}`;
      const cached = spotCache.get(key);
      if (cached && now() - cached.at < SPOT_MAX_AGE_MS) return cached.prices;
      const clients = deps.clientsFor(accountId);
      try {
        const prices = await shared(`spot|${key}`, () => withBackoff(() => fetchSpotPrices(clients, region, unique, signal), { signal }));
        spotCache.set(key, { at: now(), prices });
        return prices;
      } catch (error) {
        if (signal?.aborted || isCancelled(error)) throw error;
        deps.logger.warn(`prices: spot prices of ${region} could not be read; spot instances show their on-demand price`, error);
        return new Map();
      }
    },

    flush: () => deps.cache.flush(),
  };
}
