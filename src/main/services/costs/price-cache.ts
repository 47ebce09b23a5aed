import { join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../logging/logger';
import { createJsonFileStore } from '../state/json-file-store';
import type { RegionRates } from './region-rates';

export const PRICE_CACHE_FILE_NAME = 'price-cache.json';
const FILE_VERSION = 1;

/** One instance type's price as fetched; null: the Price List has no Linux on-demand price for it there. */
export interface CachedInstancePrice {
  readonly usd: number | null;
  readonly fetchedAt: string;
}

export interface CachedRegionRates {
  readonly rates: RegionRates;
  readonly fetchedAt: string;
}

/** Prices fetched from the Price List, kept on disk with the date they were fetched (architecture note 8). */
export interface PriceCache {
  instance(region: string, type: string): CachedInstancePrice | undefined;
  rates(region: string): CachedRegionRates | undefined;
  putInstances(region: string, prices: ReadonlyMap<string, number | null>, fetchedAt: string): void;
  putRates(region: string, rates: RegionRates, fetchedAt: string): void;
  flush(): Promise<void>;
}

const iso = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'a date');
const usd = z.number().finite().nonnegative();
const instanceSchema = z.object({ usd: usd.nullable(), fetchedAt: iso });
const ratesSchema = z.object({
  rates: z.object({
    volumeGbMonth: z.record(z.string(), usd),
    gp3IopsMonth: usd.optional(),
    gp3ThroughputMonth: usd.optional(),
    snapshotGbMonth: usd.optional(),
    snapshotArchiveGbMonth: usd.optional(),
    publicIpv4Hourly: usd.optional(),
  }),
  fetchedAt: iso,
});

interface CacheFile {
  instances: Map<string, Map<string, CachedInstancePrice>>;
  regions: Map<string, CachedRegionRates>;
}

/** Reads what it can: a bad entry is skipped (and logged), never a reason to drop the rest. */
function parseCache(raw: unknown, logger: Logger): CacheFile {
  if (typeof raw !== 'object' || raw === null) throw new Error('expected an object');
  const { instances, regions } = raw as { instances?: unknown; regions?: unknown };
  const out: CacheFile = { instances: new Map(), regions: new Map() };
  let skipped = 0;
  for (const [region, types] of Object.entries(typeof instances === 'object' && instances !== null ? instances : {})) {
    const byType = new Map<string, CachedInstancePrice>();
    for (const [type, entry] of Object.entries(typeof types === 'object' && types !== null ? (types as Record<string, unknown>) : {})) {
      const parsed = instanceSchema.safeParse(entry);
      if (parsed.success) byType.set(type, parsed.data);
      else skipped++;
    }
    out.instances.set(region, byType);
  }
  for (const [region, entry] of Object.entries(typeof regions === 'object' && regions !== null ? regions : {})) {
    const parsed = ratesSchema.safeParse(entry);
    if (parsed.success) out.regions.set(region, parsed.data as CachedRegionRates);
    else skipped++;
  }
  if (skipped > 0) logger.warn(`price cache: ${skipped} unreadable entr${skipped === 1 ? 'y was' : 'ies were'} skipped (they are fetched again)`);
  return out;
}

export function createPriceCache(options: { dir: string; logger: Logger }): PriceCache {
  const { logger } = options;
  const file = createJsonFileStore<CacheFile>({
    path: join(options.dir, PRICE_CACHE_FILE_NAME),
    what: 'price cache',
    parse: (raw) => parseCache(raw, logger),
    serialize: (value) => ({
      version: FILE_VERSION,
      instances: Object.fromEntries([...value.instances].map(([region, types]) => [region, Object.fromEntries(types)])),
      regions: Object.fromEntries(value.regions),
    }),
    empty: () => ({ instances: new Map(), regions: new Map() }),
    logger,
  });
  const current = file.initial;

  return {
    instance: (region, type) => current.instances.get(region)?.get(type),
    rates: (region) => current.regions.get(region),
    putInstances(region, prices, fetchedAt) {
      if (prices.size === 0) return;
      const byType = new Map(current.instances.get(region));
      for (const [type, price] of prices) byType.set(type, { usd: price, fetchedAt });
      current.instances.set(region, byType);
      file.save(current);
    },
    putRates(region, rates, fetchedAt) {
      current.regions.set(region, { rates, fetchedAt });
      file.save(current);
    },
    flush: () => file.flush(),
  };
}
