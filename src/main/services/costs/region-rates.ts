import { PRICES_AS_OF, regionPriceFactor } from '../../../shared/models/instance-prices';

/**
 * What storage and addresses cost in one region: EBS per volume type per GB-month (with gp3's IOPS and
 * throughput above the free baseline), snapshots per GB-month, public IPv4 per hour. A missing entry means
 * the price is not known (the row then says so rather than guessing).
 */
export interface RegionRates {
  /** USD per GB-month, by volume type as the API names it (gp3, gp2, io1, io2, st1, sc1, standard). */
  readonly volumeGbMonth: Readonly<Record<string, number>>;
  /** USD per provisioned IOPS-month above gp3's free 3,000. */
  readonly gp3IopsMonth?: number;
  /** USD per provisioned MiB/s-month above gp3's free 125 MiB/s. */
  readonly gp3ThroughputMonth?: number;
  /** USD per GB-month of standard-tier snapshot storage. */
  readonly snapshotGbMonth?: number;
  /** USD per GB-month of archive-tier snapshot storage. */
  readonly snapshotArchiveGbMonth?: number;
  /** USD per hour for every public IPv4 address, in use or idle (since February 2024). */
  readonly publicIpv4Hourly?: number;
}

/** gp3 includes this much for free; only what is provisioned above it bills. */
export const GP3_FREE_IOPS = 3000;
export const GP3_FREE_THROUGHPUT = 125;

// us-east-1 list prices, written from AWS's public EBS and VPC pricing pages (not fetched); see instance-prices.ts.
const US_EAST_1_VOLUME: Readonly<Record<string, number>> = { gp3: 0.08, gp2: 0.1, io1: 0.125, io2: 0.125, st1: 0.045, sc1: 0.015, standard: 0.05 };
const US_EAST_1 = { gp3IopsMonth: 0.005, gp3ThroughputMonth: 0.04, snapshotGbMonth: 0.05, snapshotArchiveGbMonth: 0.0125 };
const PUBLIC_IPV4_HOURLY = 0.005;

export const BUNDLED_RATES_AS_OF = PRICES_AS_OF;

/** The bundled, approximate rates of a region (us-east-1 × the table's regional factor); undefined for an unknown region. */
export function bundledRates(region: string): RegionRates | undefined {
  const factor = regionPriceFactor(region);
  if (factor === undefined) return undefined;
  const scaled = (usd: number): number => Math.round(usd * factor * 1e5) / 1e5;
  return {
    volumeGbMonth: Object.fromEntries(Object.entries(US_EAST_1_VOLUME).map(([type, usd]) => [type, scaled(usd)])),
    gp3IopsMonth: scaled(US_EAST_1.gp3IopsMonth),
    gp3ThroughputMonth: scaled(US_EAST_1.gp3ThroughputMonth),
    snapshotGbMonth: scaled(US_EAST_1.snapshotGbMonth),
    snapshotArchiveGbMonth: scaled(US_EAST_1.snapshotArchiveGbMonth),
    // AWS charges the same for public IPv4 in every commercial region.
    publicIpv4Hourly: PUBLIC_IPV4_HOURLY,
  };
}
