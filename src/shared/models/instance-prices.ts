/**
 * Bundled Linux on-demand prices (USD per hour) and basic facts for common instance types.
 *
 * Honest provenance: this table was written from the engineer's knowledge of AWS's public us-east-1 list
 * prices, not fetched from the AWS Price List API (the build has no network access to it). Other regions
 * are derived by one multiplier per region, estimated from how general-purpose prices there compare with
 * us-east-1; real regional prices differ per family by a few percent, and GPU families more. The figures
 * are therefore APPROXIMATE, and the UI labels them "approx., as of <PRICES_AS_OF>". Newer regions whose
 * prices were not known are left out rather than guessed: `priceFor` then returns undefined and the UI
 * says the price is unknown. Refresh the table (and the date) from the Price List API when possible.
 *
 * Whether a family is offered in a region is not encoded: a price is only ever asked for an instance that
 * exists in that region, which proves the type is offered there.
 */
export const PRICES_AS_OF = '2025-06-15';

export interface InstanceTypeFacts {
  readonly vcpus: number;
  readonly memoryMiB: number;
  /** GPUs (NVIDIA); absent for CPU-only types and for Inferentia (inf2), whose accelerators are not GPUs. */
  readonly gpus?: number;
}

interface Row {
  readonly price: number;
  readonly facts: InstanceTypeFacts;
}

const GiB = 1024;
const rows = new Map<string, Row>();

function row(type: string, price: number, vcpus: number, memoryGiB: number, gpus?: number): void {
  rows.set(type, {
    price,
    facts: { vcpus, memoryMiB: Math.round(memoryGiB * GiB), ...(gpus === undefined ? {} : { gpus }) },
  });
}

// Burstable families: [size, vCPUs (t3/t3a/t4g), GiB]. Prices double with each size from nano.
const BURSTABLE: readonly (readonly [string, number, number])[] = [
  ['nano', 2, 0.5],
  ['micro', 2, 1],
  ['small', 2, 2],
  ['medium', 2, 4],
  ['large', 2, 8],
  ['xlarge', 4, 16],
  ['2xlarge', 8, 32],
];
const T2_VCPUS = [1, 1, 1, 2, 2, 4, 8];
// t2.small is listed at $0.023, not the $0.0232 that doubling would give.
const BURSTABLE_US_EAST_1: Readonly<Record<string, readonly number[]>> = {
  t2: [0.0058, 0.0116, 0.023, 0.0464, 0.0928, 0.1856, 0.3712],
  t3: [0.0052, 0.0104, 0.0208, 0.0416, 0.0832, 0.1664, 0.3328],
  t3a: [0.0047, 0.0094, 0.0188, 0.0376, 0.0752, 0.1504, 0.3008],
  t4g: [0.0042, 0.0084, 0.0168, 0.0336, 0.0672, 0.1344, 0.2688],
};
for (const [family, prices] of Object.entries(BURSTABLE_US_EAST_1)) {
  BURSTABLE.forEach(([size, vcpus, gib], k) => {
    row(`${family}.${size}`, prices[k] ?? 0, family === 't2' ? (T2_VCPUS[k] ?? vcpus) : vcpus, gib);
  });
}

// Fixed-performance families scale linearly with vCPUs: [family, $/h of .large, GiB per vCPU, sizes].
const SIZE_VCPUS: Readonly<Record<string, number>> = {
  medium: 1,
  large: 2,
  xlarge: 4,
  '2xlarge': 8,
  '4xlarge': 16,
  '8xlarge': 32,
  '9xlarge': 36,
  '12xlarge': 48,
  '16xlarge': 64,
  '18xlarge': 72,
  '24xlarge': 96,
  '32xlarge': 128,
  '48xlarge': 192,
};
const STD = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge'];
const GRAVITON3 = ['medium', ...STD.slice(0, 7)];
const LINEAR: readonly (readonly [string, number, number, readonly string[]])[] = [
  ['m5', 0.096, 4, STD],
  ['m6i', 0.096, 4, [...STD, '32xlarge']],
  ['m7i', 0.1008, 4, [...STD, '48xlarge']],
  ['m7g', 0.0816, 4, GRAVITON3],
  ['c5', 0.085, 2, ['large', 'xlarge', '2xlarge', '4xlarge', '9xlarge', '12xlarge', '18xlarge', '24xlarge']],
  ['c6i', 0.085, 2, [...STD, '32xlarge']],
  ['c7i', 0.08925, 2, [...STD, '48xlarge']],
  ['c7g', 0.0725, 2, GRAVITON3],
  ['r5', 0.126, 8, STD],
  ['r6i', 0.126, 8, [...STD, '32xlarge']],
];
for (const [family, large, gibPerVcpu, sizes] of LINEAR) {
  for (const size of sizes) {
    const vcpus = SIZE_VCPUS[size] ?? 2;
    row(`${family}.${size}`, Math.round(((large * vcpus) / 2) * 1e5) / 1e5, vcpus, vcpus * gibPerVcpu);
  }
}

// Accelerated families, one row each: type, $/h, vCPUs, GiB, GPUs.
const ACCELERATED: readonly (readonly [string, number, number, number, number | undefined])[] = [
  ['g4dn.xlarge', 0.526, 4, 16, 1],
  ['g4dn.2xlarge', 0.752, 8, 32, 1],
  ['g4dn.4xlarge', 1.204, 16, 64, 1],
  ['g4dn.8xlarge', 2.176, 32, 128, 1],
  ['g4dn.12xlarge', 3.912, 48, 192, 4],
  ['g4dn.16xlarge', 4.352, 64, 256, 1],
  ['g4dn.metal', 7.824, 96, 384, 8],
  ['g5.xlarge', 1.006, 4, 16, 1],
  ['g5.2xlarge', 1.212, 8, 32, 1],
  ['g5.4xlarge', 1.624, 16, 64, 1],
  ['g5.8xlarge', 2.448, 32, 128, 1],
  ['g5.12xlarge', 5.672, 48, 192, 4],
  ['g5.16xlarge', 4.096, 64, 256, 1],
  ['g5.24xlarge', 8.144, 96, 384, 4],
  ['g5.48xlarge', 16.288, 192, 768, 8],
  ['g6.xlarge', 0.8048, 4, 16, 1],
  ['g6.2xlarge', 0.9776, 8, 32, 1],
  ['g6.4xlarge', 1.3232, 16, 64, 1],
  ['g6.8xlarge', 2.0144, 32, 128, 1],
  ['g6.12xlarge', 4.6016, 48, 192, 4],
  ['g6.16xlarge', 3.3968, 64, 256, 1],
  ['g6.24xlarge', 6.6752, 96, 384, 4],
  ['g6.48xlarge', 13.3504, 192, 768, 8],
  ['p3.2xlarge', 3.06, 8, 61, 1],
  ['p3.8xlarge', 12.24, 32, 244, 4],
  ['p3.16xlarge', 24.48, 64, 488, 8],
  // p4d and p5 after AWS's June 2025 on-demand price reduction for P4/P5.
  ['p4d.24xlarge', 21.96, 96, 1152, 8],
  ['p5.48xlarge', 55.04, 192, 2048, 8],
  ['inf2.xlarge', 0.7582, 4, 16, undefined],
  ['inf2.8xlarge', 1.9679, 32, 128, undefined],
  ['inf2.24xlarge', 6.4906, 96, 384, undefined],
  ['inf2.48xlarge', 12.9813, 192, 768, undefined],
];
for (const [type, price, vcpus, gib, gpus] of ACCELERATED) row(type, price, vcpus, gib, gpus);

/**
 * Regional price level relative to us-east-1 (estimated from general-purpose list prices, e.g. m5.large
 * at $0.107 in eu-west-1 against $0.096). Every commercial region whose level was known is here.
 */
const REGION_FACTOR: Readonly<Record<string, number>> = {
  'us-east-1': 1,
  'us-east-2': 1,
  'us-west-1': 1.167,
  'us-west-2': 1,
  'ca-central-1': 1.115,
  'ca-west-1': 1.115,
  'mx-central-1': 1.1,
  'sa-east-1': 1.594,
  'eu-west-1': 1.115,
  'eu-west-2': 1.156,
  'eu-west-3': 1.167,
  'eu-central-1': 1.198,
  'eu-central-2': 1.318,
  'eu-north-1': 1.063,
  'eu-south-1': 1.167,
  'eu-south-2': 1.115,
  'il-central-1': 1.18,
  'me-south-1': 1.219,
  'me-central-1': 1.225,
  'af-south-1': 1.323,
  'ap-south-1': 1.052,
  'ap-south-2': 1.052,
  'ap-east-1': 1.375,
  'ap-northeast-1': 1.292,
  'ap-northeast-2': 1.229,
  'ap-northeast-3': 1.292,
  'ap-southeast-1': 1.25,
  'ap-southeast-2': 1.25,
  'ap-southeast-3': 1.25,
  'ap-southeast-4': 1.25,
  'ap-southeast-5': 1.12,
  'ap-southeast-7': 1.15,
};

/** The regions the table prices (for tests and for the UI's "prices known for" note). */
export const PRICED_REGIONS: readonly string[] = Object.keys(REGION_FACTOR);

/** Approximate Linux on-demand USD per hour, or undefined when the type or region is not in the table. */
export function priceFor(region: string, type: string): number | undefined {
  const base = rows.get(type)?.price;
  const factor = REGION_FACTOR[region];
  if (base === undefined || factor === undefined) return undefined;
  // Four decimals as AWS lists them, but never rounded down to zero for the smallest types.
  return Math.max(0.0001, Math.round(base * factor * 1e4) / 1e4);
}

/** The regional price level relative to us-east-1 the table uses, or undefined for a region it does not know. */
export function regionPriceFactor(region: string): number | undefined {
  return REGION_FACTOR[region];
}

/** vCPU / memory / GPU count from the bundled table, for when DescribeInstanceTypes cannot be asked. */
export function typeFacts(type: string): InstanceTypeFacts | undefined {
  return rows.get(type)?.facts;
}

/** Every type the table knows, e.g. for a test that checks each has a price in every priced region. */
export function knownInstanceTypes(): string[] {
  return [...rows.keys()];
}
