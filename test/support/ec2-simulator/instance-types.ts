import { createHash } from 'node:crypto';
import type { Ec2ActionContext } from './ec2-actions';
import { SimError } from './sim-error';
import { items, node, optText, text } from './xml';

/**
 * The simulator's own catalogue of instance types, written independently of Hangar's bundled facts table
 * so that tests can tell an answer from DescribeInstanceTypes from the fallback (m6a is here, not there).
 * Values follow EC2's published specs; clock speeds are the "sustained" figures EC2 reports.
 */
export interface SimInstanceType {
  readonly type: string;
  readonly vcpus: number;
  readonly cores: number;
  readonly threadsPerCore: number;
  readonly memoryMiB: number;
  readonly architecture: 'x86_64' | 'arm64';
  readonly clockGhz: number;
  readonly cpuManufacturer: 'Intel' | 'AMD' | 'Amazon Web Services';
  readonly gpu: { readonly name: string; readonly manufacturer: string; readonly count: number; readonly memoryMiB: number } | undefined;
  readonly hypervisor: 'xen' | 'nitro';
  readonly burstable: boolean;
  readonly freeTier: boolean;
  readonly hibernation: boolean;
}

type Cpu = Pick<SimInstanceType, 'architecture' | 'clockGhz' | 'cpuManufacturer' | 'hypervisor'>;
const INTEL = (clockGhz: number, hypervisor: 'xen' | 'nitro' = 'nitro'): Cpu => ({ architecture: 'x86_64', clockGhz, cpuManufacturer: 'Intel', hypervisor });
const AMD = (clockGhz: number): Cpu => ({ architecture: 'x86_64', clockGhz, cpuManufacturer: 'AMD', hypervisor: 'nitro' });
const GRAVITON = (clockGhz: number): Cpu => ({ architecture: 'arm64', clockGhz, cpuManufacturer: 'Amazon Web Services', hypervisor: 'nitro' });

const BURSTABLE_SIZES: readonly [string, number, number][] = [
  // size, vCPUs, GiB (t3/t3a/t4g; t2 differs below)
  ['nano', 2, 0.5],
  ['micro', 2, 1],
  ['small', 2, 2],
  ['medium', 2, 4],
  ['large', 2, 8],
  ['xlarge', 4, 16],
  ['2xlarge', 8, 32],
];
const T2_VCPUS: Readonly<Record<string, number>> = { nano: 1, micro: 1, small: 1, medium: 2, large: 2, xlarge: 4, '2xlarge': 8 };
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

function build(): Map<string, SimInstanceType> {
  const out = new Map<string, SimInstanceType>();
  const add = (spec: Omit<SimInstanceType, 'cores' | 'threadsPerCore' | 'hibernation'> & { hibernation?: boolean; threadsPerCore?: number }): void => {
    const threadsPerCore = spec.threadsPerCore ?? (spec.architecture === 'arm64' || spec.vcpus === 1 ? 1 : 2);
    out.set(spec.type, {
      ...spec,
      threadsPerCore,
      cores: Math.max(1, spec.vcpus / threadsPerCore),
      // EC2 cannot hibernate instances with more than 150 GiB of memory.
      hibernation: (spec.hibernation ?? true) && spec.memoryMiB <= 150 * 1024,
    });
  };

  for (const [family, cpu] of [
    ['t2', INTEL(2.5, 'xen')],
    ['t3', INTEL(2.5)],
    ['t3a', AMD(2.2)],
    ['t4g', GRAVITON(2.5)],
  ] as const) {
    for (const [size, vcpus, gib] of BURSTABLE_SIZES) {
      const v = family === 't2' ? (T2_VCPUS[size] ?? vcpus) : vcpus;
      add({
        type: `${family}.${size}`,
        vcpus: v,
        memoryMiB: gib * 1024,
        ...cpu,
        threadsPerCore: family === 't2' || family === 't4g' ? 1 : 2,
        gpu: undefined,
        burstable: true,
        freeTier: (family === 't2' || family === 't3') && size === 'micro',
      });
    }
  }

  // Fixed-performance families: memory is a multiple of vCPUs (GiB per vCPU).
  const families: readonly [string, Cpu, number, readonly string[]][] = [
    ['m5', INTEL(3.1), 4, ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge']],
    ['m6i', INTEL(3.5), 4, ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '32xlarge']],
    ['m6a', AMD(3.6), 4, ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '32xlarge', '48xlarge']],
    ['m7g', GRAVITON(2.6), 4, ['medium', 'large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge']],
    ['c5', INTEL(3.4), 2, ['large', 'xlarge', '2xlarge', '4xlarge', '9xlarge', '12xlarge', '18xlarge', '24xlarge']],
    ['c7g', GRAVITON(2.6), 2, ['medium', 'large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge']],
    ['m7i', INTEL(3.2), 4, ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '48xlarge']],
    ['c7i', INTEL(3.2), 2, ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '48xlarge']],
    ['r5', INTEL(3.1), 8, ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge']],
  ];
  for (const [family, cpu, gibPerVcpu, sizes] of families) {
    for (const size of sizes) {
      const vcpus = SIZE_VCPUS[size] ?? 2;
      add({ type: `${family}.${size}`, vcpus, memoryMiB: vcpus * gibPerVcpu * 1024, ...cpu, gpu: undefined, burstable: false, freeTier: false });
    }
  }

  // GPU families: [size, vCPUs, GiB, GPUs].
  const t4 = { name: 'T4', manufacturer: 'NVIDIA', memoryMiB: 16384 };
  for (const [size, vcpus, gib, gpus] of [
    ['xlarge', 4, 16, 1],
    ['2xlarge', 8, 32, 1],
    ['4xlarge', 16, 64, 1],
    ['8xlarge', 32, 128, 1],
    ['12xlarge', 48, 192, 4],
    ['16xlarge', 64, 256, 1],
  ] as const) {
    add({ type: `g4dn.${size}`, vcpus, memoryMiB: gib * 1024, ...INTEL(2.5), gpu: { ...t4, count: gpus }, burstable: false, freeTier: false });
  }
  const a10g = { name: 'A10G', manufacturer: 'NVIDIA', memoryMiB: 22888 };
  for (const [size, vcpus, gib, gpus] of [
    ['xlarge', 4, 16, 1],
    ['2xlarge', 8, 32, 1],
    ['4xlarge', 16, 64, 1],
    ['8xlarge', 32, 128, 1],
    ['12xlarge', 48, 192, 4],
    ['16xlarge', 64, 256, 1],
    ['24xlarge', 96, 384, 4],
    ['48xlarge', 192, 768, 8],
  ] as const) {
    add({ type: `g5.${size}`, vcpus, memoryMiB: gib * 1024, ...AMD(3.3), gpu: { ...a10g, count: gpus }, burstable: false, freeTier: false });
  }
  const l4 = { name: 'L4', manufacturer: 'NVIDIA', memoryMiB: 22888 };
  for (const [size, vcpus, gib, gpus] of [
    ['xlarge', 4, 16, 1],
    ['2xlarge', 8, 32, 1],
    ['4xlarge', 16, 64, 1],
    ['8xlarge', 32, 128, 1],
    ['12xlarge', 48, 192, 4],
    ['16xlarge', 64, 256, 1],
    ['24xlarge', 96, 384, 4],
    ['48xlarge', 192, 768, 8],
  ] as const) {
    add({ type: `g6.${size}`, vcpus, memoryMiB: gib * 1024, ...AMD(3.4), gpu: { ...l4, count: gpus }, burstable: false, freeTier: false });
  }
  const t4g = { name: 'T4g', manufacturer: 'NVIDIA', memoryMiB: 15360 };
  for (const [size, vcpus, gib, gpus] of [
    ['xlarge', 4, 8, 1],
    ['2xlarge', 8, 16, 1],
    ['4xlarge', 16, 32, 1],
    ['8xlarge', 32, 64, 1],
    ['16xlarge', 64, 128, 2],
  ] as const) {
    add({ type: `g5g.${size}`, vcpus, memoryMiB: gib * 1024, ...GRAVITON(2.5), gpu: { ...t4g, count: gpus }, burstable: false, freeTier: false });
  }
  const v100 = { name: 'V100', manufacturer: 'NVIDIA', memoryMiB: 16384 };
  for (const [size, vcpus, gib, gpus] of [
    ['2xlarge', 8, 61, 1],
    ['8xlarge', 32, 244, 4],
    ['16xlarge', 64, 488, 8],
  ] as const) {
    add({ type: `p3.${size}`, vcpus, memoryMiB: gib * 1024, ...INTEL(2.3), gpu: { ...v100, count: gpus }, burstable: false, freeTier: false, hibernation: false });
  }
  add({
    type: 'p4d.24xlarge',
    vcpus: 96,
    memoryMiB: 1152 * 1024,
    ...INTEL(3.0),
    gpu: { name: 'A100', manufacturer: 'NVIDIA', count: 8, memoryMiB: 40960 },
    burstable: false,
    freeTier: false,
    hibernation: false,
  });
  return out;
}

export const SIM_INSTANCE_TYPES: ReadonlyMap<string, SimInstanceType> = build();

/** One `<item>` of DescribeInstanceTypes' instanceTypeSet, in EC2's element order. */
function instanceTypeXml(t: SimInstanceType): string {
  return [
    text('instanceType', t.type),
    text('currentGeneration', t.type.startsWith('t2.') ? false : true),
    text('freeTierEligible', t.freeTier),
    items('supportedUsageClasses', ['on-demand', 'spot'], (u) => u),
    items('supportedRootDeviceTypes', ['ebs'], (u) => u),
    items('supportedVirtualizationTypes', ['hvm'], (u) => u),
    text('bareMetal', false),
    text('hypervisor', t.hypervisor),
    node(
      'processorInfo',
      items('supportedArchitectures', [t.architecture], (a) => a),
      text('sustainedClockSpeedInGhz', t.clockGhz),
      text('manufacturer', t.cpuManufacturer),
    ),
    node(
      'vCpuInfo',
      text('defaultVCpus', t.vcpus),
      text('defaultCores', t.cores),
      text('defaultThreadsPerCore', t.threadsPerCore),
    ),
    node('memoryInfo', text('sizeInMiB', t.memoryMiB)),
    text('instanceStorageSupported', false),
    node('ebsInfo', text('ebsOptimizedSupport', t.type.startsWith('t2.') ? 'unsupported' : 'default'), text('encryptionSupport', 'supported'), text('nvmeSupport', t.hypervisor === 'nitro' ? 'required' : 'unsupported')),
    node('networkInfo', text('networkPerformance', t.burstable ? 'Up to 5 Gigabit' : 'Up to 10 Gigabit'), text('maximumNetworkInterfaces', 3), text('ipv6Supported', true), text('enaSupport', t.hypervisor === 'nitro' ? 'required' : 'unsupported')),
    t.gpu
      ? node(
          'gpuInfo',
          items('gpus', [t.gpu], (g) =>
            text('name', g.name) + text('manufacturer', g.manufacturer) + text('count', g.count) + node('memoryInfo', text('sizeInMiB', g.memoryMiB)),
          ),
          text('totalGpuMemoryInMiB', t.gpu.count * t.gpu.memoryMiB),
        )
      : '',
    node('placementGroupInfo', items('supportedStrategies', t.burstable ? ['partition', 'spread'] : ['cluster', 'partition', 'spread'], (s) => s)),
    text('hibernationSupported', t.hibernation),
    text('burstablePerformanceSupported', t.burstable),
    text('dedicatedHostsSupported', !t.burstable),
    text('autoRecoverySupported', true),
    items('supportedBootModes', t.architecture === 'arm64' ? ['uefi'] : ['legacy-bios', 'uefi'], (m) => m),
    optText('nitroEnclavesSupport', t.hypervisor === 'nitro' ? (t.burstable ? 'unsupported' : 'supported') : undefined),
  ].join('');
}

const TYPE_FILTERS: Readonly<Record<string, (t: SimInstanceType) => string[]>> = {
  'instance-type': (t) => [t.type],
  'current-generation': (t) => [String(!t.type.startsWith('t2.'))],
  'processor-info.supported-architecture': (t) => [t.architecture],
  'vcpu-info.default-vcpus': (t) => [String(t.vcpus)],
  'hibernation-supported': (t) => [String(t.hibernation)],
  'burstable-performance-supported': (t) => [String(t.burstable)],
  'free-tier-eligible': (t) => [String(t.freeTier)],
  'memory-info.size-in-mib': (t) => [String(t.memoryMiB)],
  'supported-usage-class': () => ['on-demand', 'spot'],
  'bare-metal': () => ['false'],
  hypervisor: (t) => [t.hypervisor],
  'processor-info.manufacturer': (t) => [t.cpuManufacturer],
};

/**
 * The vCPU quota bucket a type counts against ("Running On-Demand <bucket> instances"), from its family's
 * leading letters as EC2 documents: A, C, D, H, I, M, R, T, Z are Standard; G and VT share one; P, F, Inf,
 * X, DL and Trn have their own.
 */
export function quotaBucketOf(instanceType: string): string {
  const family = instanceType.split('.')[0] ?? '';
  if (/^(vt|g)/.test(family)) return 'G and VT';
  if (family.startsWith('inf')) return 'Inf';
  if (family.startsWith('trn')) return 'Trn';
  if (family.startsWith('dl')) return 'DL';
  if (family.startsWith('p')) return 'P';
  if (family.startsWith('f')) return 'F';
  if (family.startsWith('x') || family.startsWith('u-')) return 'X';
  return 'Standard';
}

/** A plausible on-demand Linux price per hour in us-east-1, only to derive spot prices from. */
export function listPriceEstimate(t: SimInstanceType): number {
  const perGpu: Readonly<Record<string, number>> = { T4: 0.42, T4g: 0.3, A10G: 0.8, L4: 0.6, V100: 3.06, A100: 4.1 };
  const base = t.vcpus * 0.024 + (t.memoryMiB / 1024) * 0.0032;
  const gpu = t.gpu ? (perGpu[t.gpu.name] ?? 1) * t.gpu.count : 0;
  return (base + gpu) * (t.burstable ? 0.55 : 1) * (t.architecture === 'arm64' ? 0.8 : 1);
}

function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\/]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

/** DescribeInstanceTypes: InstanceType.N, Filter.N, MaxResults (5–100) and NextToken, as EC2 has them. */
export function describeInstanceTypes(ctx: Ec2ActionContext): string {
  const { params, region } = ctx;
  const requested = [...new Set(params.list('InstanceType'))];
  const unknown = requested.filter((t) => !SIM_INSTANCE_TYPES.has(t));
  if (unknown.length > 0) {
    throw new SimError('InvalidInstanceType', `The following supplied instance types do not exist: [${unknown.join(', ')}]`);
  }
  const maxRaw = params.get('MaxResults');
  let pageSize = 100;
  if (maxRaw !== undefined) {
    const max = Number(maxRaw);
    if (!Number.isInteger(max) || max < 5 || max > 100) {
      throw new SimError('InvalidParameterValue', `Value ( ${maxRaw} ) for parameter maxResults is invalid. Expecting a value between 5 and 100.`);
    }
    pageSize = max;
  }
  const filters = params.filters().map(({ name, values }) => {
    const field = TYPE_FILTERS[name];
    if (!field) throw new SimError('InvalidParameterValue', `The filter '${name}' is invalid`);
    const patterns = values.map(wildcard);
    return (t: SimInstanceType) => field(t).some((v) => patterns.some((p) => p.test(v)));
  });
  const fingerprint = createHash('sha256').update(JSON.stringify([region, requested, params.filters()])).digest('hex').slice(0, 16);
  let offset = 0;
  const token = params.get('NextToken');
  if (token !== undefined && token !== '') {
    const decoded = decodeOffset(token);
    if (!decoded || decoded.f !== fingerprint) {
      throw new SimError('InvalidParameterValue', `Value ( ${token} ) for parameter NextToken is invalid. The token is invalid.`);
    }
    offset = decoded.o;
  }
  if (params.bool('DryRun')) throw new SimError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.');

  const pool = requested.length > 0 ? requested.flatMap((t) => SIM_INSTANCE_TYPES.get(t) ?? []) : [...SIM_INSTANCE_TYPES.values()];
  const matching = pool.filter((t) => filters.every((f) => f(t)));
  const page = matching.slice(offset, offset + pageSize);
  const next = offset + page.length < matching.length ? encodeOffset(offset + page.length, fingerprint) : undefined;
  return items('instanceTypeSet', page, instanceTypeXml) + (next === undefined ? '' : text('nextToken', next));
}

function encodeOffset(o: number, f: string): string {
  return Buffer.from(JSON.stringify({ v: 1, o, f })).toString('base64url');
}

function decodeOffset(token: string): { o: number; f: string } | undefined {
  try {
    const data = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v?: unknown; o?: unknown; f?: unknown };
    if (data.v !== 1 || typeof data.o !== 'number' || typeof data.f !== 'string') return undefined;
    return { o: data.o, f: data.f };
  } catch {
    return undefined;
  }
}
