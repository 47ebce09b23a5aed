import { createHash } from 'node:crypto';
import { listPriceEstimate, SIM_INSTANCE_TYPES, type SimInstanceType } from './instance-types';

/**
 * The simulator's own price facts (its own table, deliberately not the app's): us-east-1 list prices for a
 * handful of common types, the catalogue estimate for the rest, and a per-region factor close to AWS's
 * usual regional spread. Tests pin exact numbers with `sim.setPrices(...)`.
 */
interface RegionFacts {
  /** The Price List `location` attribute. */
  readonly location: string;
  /** Usage-type prefix ("EUW2"); us-east-1's EC2 usage types carry none, its VPC ones "USE1". */
  readonly usagePrefix: string;
  readonly factor: number;
}

const REGION_FACTS: Readonly<Record<string, RegionFacts>> = {
  'us-east-1': { location: 'US East (N. Virginia)', usagePrefix: 'USE1', factor: 1 },
  'us-east-2': { location: 'US East (Ohio)', usagePrefix: 'USE2', factor: 1 },
  'us-west-1': { location: 'US West (N. California)', usagePrefix: 'USW1', factor: 1.17 },
  'us-west-2': { location: 'US West (Oregon)', usagePrefix: 'USW2', factor: 1 },
  'ca-central-1': { location: 'Canada (Central)', usagePrefix: 'CAN1', factor: 1.1 },
  'eu-west-1': { location: 'EU (Ireland)', usagePrefix: 'EU', factor: 1.1 },
  'eu-west-2': { location: 'EU (London)', usagePrefix: 'EUW2', factor: 1.14 },
  'eu-west-3': { location: 'EU (Paris)', usagePrefix: 'EUW3', factor: 1.14 },
  'eu-central-1': { location: 'EU (Frankfurt)', usagePrefix: 'EUC1', factor: 1.15 },
  'eu-north-1': { location: 'EU (Stockholm)', usagePrefix: 'EUN1', factor: 1.04 },
  'ap-south-1': { location: 'Asia Pacific (Mumbai)', usagePrefix: 'APS3', factor: 1.07 },
  'ap-northeast-1': { location: 'Asia Pacific (Tokyo)', usagePrefix: 'APN1', factor: 1.3 },
  'ap-northeast-2': { location: 'Asia Pacific (Seoul)', usagePrefix: 'APN2', factor: 1.24 },
  'ap-northeast-3': { location: 'Asia Pacific (Osaka)', usagePrefix: 'APN3', factor: 1.3 },
  'ap-southeast-1': { location: 'Asia Pacific (Singapore)', usagePrefix: 'APS1', factor: 1.26 },
  'ap-southeast-2': { location: 'Asia Pacific (Sydney)', usagePrefix: 'APS2', factor: 1.27 },
  'sa-east-1': { location: 'South America (Sao Paulo)', usagePrefix: 'SAE1', factor: 1.61 },
  'af-south-1': { location: 'Africa (Cape Town)', usagePrefix: 'AFS1', factor: 1.3 },
  'ap-east-1': { location: 'Asia Pacific (Hong Kong)', usagePrefix: 'APE1', factor: 1.38 },
  'me-south-1': { location: 'Middle East (Bahrain)', usagePrefix: 'MES1', factor: 1.23 },
};

/** us-east-1 on-demand Linux prices, USD per hour. */
const US_EAST_1_HOURLY: Readonly<Record<string, number>> = {
  't2.micro': 0.0116,
  't3.nano': 0.0052,
  't3.micro': 0.0104,
  't3.small': 0.0208,
  't3.medium': 0.0416,
  't3.large': 0.0832,
  't3.xlarge': 0.1664,
  't4g.micro': 0.0084,
  't4g.small': 0.0168,
  't4g.medium': 0.0336,
  'm5.large': 0.096,
  'm5.xlarge': 0.192,
  'm6i.large': 0.096,
  'm7i.large': 0.1008,
  'c5.large': 0.085,
  'r5.large': 0.126,
  'g4dn.xlarge': 0.526,
  'g5.xlarge': 1.006,
  'g6.xlarge': 0.8048,
  'p3.2xlarge': 3.06,
};

/** us-east-1 EBS storage, USD per GB-month, by volumeApiName. */
const US_EAST_1_VOLUME: Readonly<Record<string, number>> = { gp3: 0.08, gp2: 0.1, io1: 0.125, io2: 0.125, st1: 0.045, sc1: 0.015, standard: 0.05 };
const VOLUME_NAMES: Readonly<Record<string, [string, string]>> = {
  gp3: ['General Purpose', 'SSD-backed'],
  gp2: ['General Purpose', 'SSD-backed'],
  io1: ['Provisioned IOPS', 'SSD-backed'],
  io2: ['Provisioned IOPS', 'SSD-backed'],
  st1: ['Throughput Optimized HDD', 'HDD-backed'],
  sc1: ['Cold HDD', 'HDD-backed'],
  standard: ['Magnetic', 'HDD-backed'],
};
const SNAPSHOT_GB_MONTH = 0.05;
const SNAPSHOT_ARCHIVE_GB_MONTH = 0.0125;
const PUBLIC_IPV4_HOURLY = 0.005;

/** Per-region (or, without `region`, global) price overrides for `sim.setPrices`. */
export interface SimPriceOverrides {
  region?: string;
  /** On-demand Linux, shared tenancy, USD per hour, by instance type. */
  instanceHourly?: Record<string, number>;
  /** USD per GB-month, by volume type (volumeApiName). */
  volumeGbMonth?: Record<string, number>;
  /** Standard-tier snapshot storage, USD per GB-month. */
  snapshotGbMonth?: number;
  /** Every public IPv4 address (in use or idle, Elastic or auto-assigned), USD per hour. */
  publicIpv4Hourly?: number;
}

/** One Price List product with its single on-demand price dimension. */
export interface PriceProduct {
  readonly sku: string;
  readonly serviceCode: 'AmazonEC2' | 'AmazonVPC';
  readonly productFamily: string | undefined;
  readonly attributes: Readonly<Record<string, string>>;
  readonly unit: string;
  readonly price: number;
  readonly description: string;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function regionFacts(region: string): RegionFacts {
  return REGION_FACTS[region] ?? { location: region, usagePrefix: region.toUpperCase().replace(/-/g, ''), factor: 1 };
}

/** The prices every simulated region charges, plus what tests override. */
export class PriceBook {
  private readonly overrides: SimPriceOverrides[] = [];
  private readonly cache = new Map<string, PriceProduct[]>();

  set(overrides: SimPriceOverrides): void {
    this.overrides.push(overrides);
    this.cache.clear();
  }

  private override<T>(region: string, pick: (o: SimPriceOverrides) => T | undefined): T | undefined {
    for (let k = this.overrides.length - 1; k >= 0; k--) {
      const o = this.overrides[k];
      if (o && (o.region === undefined || o.region === region)) {
        const value = pick(o);
        if (value !== undefined) return value;
      }
    }
    return undefined;
  }

  instanceHourly(region: string, instanceType: string): number | undefined {
    const pinned = this.override(region, (o) => o.instanceHourly?.[instanceType]);
    if (pinned !== undefined) return pinned;
    const type = SIM_INSTANCE_TYPES.get(instanceType);
    if (!type) return undefined;
    return round((US_EAST_1_HOURLY[instanceType] ?? listPriceEstimate(type)) * regionFacts(region).factor, 4);
  }

  volumeGbMonth(region: string, volumeType: string): number | undefined {
    const base = US_EAST_1_VOLUME[volumeType];
    return this.override(region, (o) => o.volumeGbMonth?.[volumeType]) ?? (base === undefined ? undefined : round(base * regionFacts(region).factor, 3));
  }

  snapshotGbMonth(region: string): number {
    return this.override(region, (o) => o.snapshotGbMonth) ?? (regionFacts(region).factor > 1.5 ? 0.068 : SNAPSHOT_GB_MONTH);
  }

  publicIpv4Hourly(region: string): number {
    return this.override(region, (o) => o.publicIpv4Hourly) ?? PUBLIC_IPV4_HOURLY;
  }

  /**
   * The region's products, built once (until prices change). With `instanceType`, only that type's compute
   * products (plus storage and addresses): a ledger asks per type, and building every type of every region
   * for each such question would make the simulator, not the app, the slow part of a benchmark.
   */
  products(region: string, scope: { instanceType?: string; instanceTypes?: readonly string[]; compute?: boolean } = {}): PriceProduct[] {
    const { compute = true } = scope;
    // One type (TERM_MATCH) or a few (ANY_OF): only those are built; building all of them costs ~0.4 s a region.
    const wanted = scope.instanceType !== undefined ? [scope.instanceType] : scope.instanceTypes === undefined ? undefined : [...new Set(scope.instanceTypes)].sort();
    const key = `${region}|${compute ? (wanted?.join(',') ?? '*') : '-'}`;
    let list = this.cache.get(key);
    if (!list) {
      const types = !compute ? [] : wanted === undefined ? [...SIM_INSTANCE_TYPES.values()] : wanted.flatMap((t) => SIM_INSTANCE_TYPES.get(t) ?? []);
      list = [...this.instanceProducts(region, types), ...this.storageProducts(region), ...this.addressProducts(region)];
      this.cache.set(key, list);
    }
    return list;
  }

  private instanceProducts(region: string, types: readonly SimInstanceType[]): PriceProduct[] {
    const facts = regionFacts(region);
    const ec2Prefix = region === 'us-east-1' ? '' : `${facts.usagePrefix}-`;
    const out: PriceProduct[] = [];
    for (const t of types) {
      const linux = this.instanceHourly(region, t.type) ?? 0;
      const shared = instanceAttributes(t);
      // The variants a filter must narrow down: OS, tenancy, capacity status and pre-installed software.
      const variants: [string, string, string, string, number][] = [];
      for (const os of ['Linux', 'Windows']) {
        const osPrice = os === 'Windows' ? linux + t.vcpus * (t.burstable ? 0.0046 : 0.046) : linux;
        for (const tenancy of ['Shared', 'Dedicated']) {
          const price = tenancy === 'Dedicated' ? osPrice * 1.1 : osPrice;
          for (const capacity of ['Used', 'UnusedCapacityReservation']) variants.push([os, tenancy, capacity, 'NA', price]);
        }
      }
      variants.push(['Linux', 'Shared', 'Used', 'SQL Web', linux + t.vcpus * 0.02]);
      for (const [os, tenancy, capacity, software, price] of variants) {
        const usage = `${ec2Prefix}${capacity === 'Used' ? (tenancy === 'Shared' ? 'BoxUsage' : 'DedicatedUsage') : tenancy === 'Shared' ? 'UnusedBox' : 'UnusedDed'}:${t.type}`;
        const operation = os === 'Windows' ? 'RunInstances:0002' : software === 'NA' ? 'RunInstances' : 'RunInstances:0200';
        const rounded = round(price, 4);
        out.push(
          this.product(region, 'AmazonEC2', 'Compute Instance', {
            ...shared,
            tenancy,
            operatingSystem: os,
            licenseModel: os === 'Windows' || software !== 'NA' ? 'License included' : 'No License required',
            preInstalledSw: software,
            capacitystatus: capacity,
            usagetype: usage,
            operation,
            marketoption: 'OnDemand',
          }, 'Hrs', rounded, `$${rounded.toFixed(4)} per On Demand ${os}${software === 'NA' ? '' : ` with ${software}`} ${t.type} Instance Hour`),
        );
      }
    }
    return out;
  }

  private storageProducts(region: string): PriceProduct[] {
    const facts = regionFacts(region);
    const p = region === 'us-east-1' ? '' : `${facts.usagePrefix}-`;
    const out: PriceProduct[] = [];
    for (const [api, [volumeType, media]] of Object.entries(VOLUME_NAMES)) {
      const price = this.volumeGbMonth(region, api) ?? 0;
      out.push(
        this.product(region, 'AmazonEC2', 'Storage', {
          volumeApiName: api,
          volumeType,
          storageMedia: media,
          maxVolumeSize: api === 'standard' ? '1 TiB' : '16 TiB',
          usagetype: api === 'standard' ? `${p}EBS:VolumeUsage` : `${p}EBS:VolumeUsage.${api}`,
          operation: '',
        }, 'GB-Mo', price, `$${price} per GB-month of ${volumeType} (${api}) provisioned storage - ${facts.location}`),
      );
    }
    const iops = round(0.005 * facts.factor, 4);
    out.push(this.product(region, 'AmazonEC2', 'System Operation', { volumeApiName: 'gp3', group: 'EBS IOPS', usagetype: `${p}EBS:VolumeP-IOPS.gp3`, operation: '' }, 'IOPS-Mo', iops, `$${iops} per IOPS-month provisioned - ${facts.location}`));
    const throughput = round(0.04 * facts.factor, 4);
    out.push(this.product(region, 'AmazonEC2', 'Provisioned Throughput', { volumeApiName: 'gp3', group: 'EBS Throughput', usagetype: `${p}EBS:VolumeP-Throughput.gp3`, operation: '' }, 'MiBps-Mo', throughput, `$${throughput} per MiBps-month provisioned - ${facts.location}`));
    const snapshot = this.snapshotGbMonth(region);
    out.push(this.product(region, 'AmazonEC2', 'Storage Snapshot', { storageMedia: 'Amazon S3', usagetype: `${p}EBS:SnapshotUsage`, operation: '' }, 'GB-Mo', snapshot, `$${snapshot} per GB-Month of snapshot data stored - ${facts.location}`));
    out.push(this.product(region, 'AmazonEC2', 'Storage Snapshot', { storageMedia: 'Amazon S3 Glacier', usagetype: `${p}EBS:SnapshotArchiveStorage`, operation: '' }, 'GB-Mo', SNAPSHOT_ARCHIVE_GB_MONTH, `$${SNAPSHOT_ARCHIVE_GB_MONTH} per GB-Month of snapshot archive data stored - ${facts.location}`));
    return out;
  }

  /**
   * Public IPv4: since February 2024 billed under AmazonVPC (group VPCPublicIPv4Address, no product family);
   * the EC2 offer still lists its "IP Address" products for Elastic IPs.
   */
  private addressProducts(region: string): PriceProduct[] {
    const facts = regionFacts(region);
    const p = region === 'us-east-1' ? '' : `${facts.usagePrefix}-`;
    const hourly = this.publicIpv4Hourly(region);
    return [
      this.product(region, 'AmazonEC2', 'IP Address', { group: 'ElasticIP:Address', groupDescription: 'Elastic IP address not attached to a running instance per hour (prorated)', usagetype: `${p}ElasticIP:IdleAddress`, operation: 'AssociateAddress' }, 'Hrs', hourly, `$${hourly} per Elastic IP address not attached to a running instance per hour (prorated)`),
      this.product(region, 'AmazonEC2', 'IP Address', { group: 'ElasticIP:Address', groupDescription: 'Additional Elastic IP address attached to a running instance per hour (prorated)', usagetype: `${p}ElasticIP:AdditionalAddress`, operation: 'AssociateAddressVPC' }, 'Hrs', hourly, `$${hourly} per Additional Elastic IP address attached to a running instance per hour (prorated)`),
      this.product(region, 'AmazonVPC', undefined, { group: 'VPCPublicIPv4Address', groupDescription: 'Hourly charge for In-use Public IPv4 Addresses', usagetype: `${facts.usagePrefix}-PublicIPv4:InUseAddress`, operation: '' }, 'Hrs', hourly, `$${hourly} per In-use public IPv4 address per hour`),
      this.product(region, 'AmazonVPC', undefined, { group: 'VPCPublicIPv4Address', groupDescription: 'Hourly charge for Idle Public IPv4 Addresses', usagetype: `${facts.usagePrefix}-PublicIPv4:IdleAddress`, operation: '' }, 'Hrs', hourly, `$${hourly} per Idle public IPv4 address per hour`),
    ];
  }

  private product(region: string, serviceCode: PriceProduct['serviceCode'], productFamily: string | undefined, attributes: Record<string, string>, unit: string, price: number, description: string): PriceProduct {
    const all: Record<string, string> = {
      ...attributes,
      location: regionFacts(region).location,
      locationType: 'AWS Region',
      regionCode: region,
      servicecode: serviceCode,
      servicename: serviceCode === 'AmazonEC2' ? 'Amazon Elastic Compute Cloud' : 'Amazon Virtual Private Cloud',
    };
    // SKUs are 16 upper-case alphanumerics, stable for the same product.
    const sku = createHash('sha256').update(JSON.stringify([serviceCode, productFamily, attributes, region])).digest('base64').replace(/[^A-Za-z0-9]/g, '').toUpperCase().slice(0, 16);
    return { sku, serviceCode, productFamily, attributes: all, unit, price, description };
  }
}

function instanceFamily(t: SimInstanceType): string {
  if (t.gpu) return 'GPU instance';
  const family = t.type.split('.')[0] ?? '';
  if (family.startsWith('c')) return 'Compute optimized';
  if (family.startsWith('r') || family.startsWith('x')) return 'Memory optimized';
  return 'General purpose';
}

function instanceAttributes(t: SimInstanceType): Record<string, string> {
  const gib = t.memoryMiB / 1024;
  return {
    instanceType: t.type,
    instanceFamily: instanceFamily(t),
    vcpu: String(t.vcpus),
    memory: `${Number.isInteger(gib) ? gib : gib.toFixed(1)} GiB`,
    ...(t.gpu ? { gpu: String(t.gpu.count), gpuMemory: `${(t.gpu.count * t.gpu.memoryMiB) / 1024} GiB` } : {}),
    physicalProcessor: t.cpuManufacturer === 'Amazon Web Services' ? 'AWS Graviton' : `${t.cpuManufacturer} processor`,
    processorArchitecture: '64-bit',
    clockSpeed: `${t.clockGhz} GHz`,
    networkPerformance: t.burstable ? 'Up to 5 Gigabit' : 'Up to 10 Gigabit',
    storage: 'EBS only',
    currentGeneration: t.type.startsWith('t2.') ? 'No' : 'Yes',
  };
}
