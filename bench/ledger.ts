/**
 * npm run bench:ledger
 *
 * How long the Costs ledger takes for an account with 2,000 billing resources spread over the 17 regions
 * every commercial account has, against the ledger of one region alone, with 150 ms of simulated latency on
 * every AWS call. Required: ledgerMs ≤ 2 × oneRegionMs — all regions at once cost about what one does.
 *
 * Both are measured the way the app runs them: the costs service through the per-account client pool, the
 * six listings per region, DescribeRegions alongside, and prices from the Price List (GetProducts) with a
 * fresh (empty) price cache each run, so every run pays for its prices too; a warm-cache figure is logged
 * for comparison. The simulator runs in a worker thread, as in bench:regions: building AWS's XML is AWS's
 * work, not the app's. Each figure is the median of several runs on fresh clients after one warm-up run.
 * Informational lines go to stderr; the last line on stdout is one JSON object.
 *
 * Environment: BENCH_RUNS (default 5), BENCH_RESOURCES (default 2000), BENCH_LATENCY_MS (default 150).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance as nodePerformance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createAwsClientPool, type AwsClientPool } from '../src/main/services/aws/aws-client-pool';
import { createCostsService } from '../src/main/services/costs/costs-service';
import { createPriceCache } from '../src/main/services/costs/price-cache';
import { createPriceSource } from '../src/main/services/costs/price-source';
import { createLogger } from '../src/main/services/logging/logger';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../test/support/ec2-simulator/index';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const RESOURCES = Number(process.env.BENCH_RESOURCES ?? 2000);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 150);
const KEYS = Object.freeze({ accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY });
const ACCOUNT = 'bench-account';
const ONE_REGION = 'us-east-1';

interface SimReady {
  url: string;
  regions: string[];
  /** Resources seeded per region. */
  perRegion: Record<string, number>;
}

/**
 * What each resource of the 2,000 is, in turn: a lab account after a term of work, where the machines are
 * the fewest things and the storage they leave behind the most (3 in 20 are instances, one of them stopped;
 * 5 volumes, 6 snapshots, 2 AMIs, 2 Elastic IPs and 2 spot requests). Every instance also has its root volume.
 */
const MIX = [
  'snapshot', 'volume', 'instance', 'snapshot', 'volume', 'image', 'snapshot', 'address', 'volume', 'stopped',
  'snapshot', 'spot-request', 'volume', 'snapshot', 'instance', 'image', 'volume', 'snapshot', 'address', 'spot-request',
] as const;
const TYPES = ['t3.micro', 't3.medium', 'm5.large', 'g4dn.xlarge', 'g5.xlarge', 'c5.large', 'r5.large'];

function seed(sim: Ec2Simulator, regions: readonly string[], total: number): Record<string, number> {
  const perRegion: Record<string, number> = {};
  for (let n = 0; n < total; n++) {
    const region = regions[n % regions.length] ?? ONE_REGION;
    perRegion[region] = (perRegion[region] ?? 0) + 1;
    const kind = MIX[Math.floor(n / regions.length) % MIX.length];
    const name = `${kind}-${n}`;
    const type = TYPES[n % TYPES.length] ?? 't3.micro';
    switch (kind) {
      case 'instance':
        sim.seed.instance(region, { name, instanceType: type, ...(n % 5 === 0 ? { instanceLifecycle: 'spot' as const } : {}) });
        break;
      case 'stopped':
        sim.seed.instance(region, { name, instanceType: type, state: 'stopped', publicIp: null, rootVolume: { size: 50 } });
        break;
      case 'volume':
        sim.seed.volume(region, { size: 10 + (n % 500), type: n % 3 === 0 ? 'gp2' : 'gp3', tags: { Name: name } });
        break;
      case 'snapshot':
        sim.seed.snapshot(region, { volumeSize: 8 + (n % 200), tags: { Name: name } });
        break;
      case 'image':
        sim.seed.image(region, { name, volumeSize: 30 });
        break;
      case 'address':
        sim.seed.address(region, { tags: { Name: name } });
        break;
      case 'spot-request':
        sim.seed.spotRequest(region, { state: 'open', instanceType: type, tags: { Name: name } });
        break;
      default:
        break;
    }
  }
  return perRegion;
}

async function simWorker(data: { latencyMs: number; resources: number }): Promise<void> {
  // AWS verifies signatures on its own servers, in parallel; here that work would share the bench's two
  // cores with the app being measured, so the simulator trusts the (still signed) requests.
  const sim = await startEc2Simulator({ verifySignatures: false });
  const regions = sim.regions.filter((r) => r.optInStatus !== 'not-opted-in').map((r) => r.name);
  const perRegion = seed(sim, regions, data.resources);
  // Latency only once seeded (seeding does not go over the wire anyway).
  sim.latencyMs = data.latencyMs;
  parentPort?.on('message', (message) => {
    if (message === 'close') void sim.close().then(() => process.exit(0));
  });
  parentPort?.postMessage({ url: sim.url, regions, perRegion } satisfies SimReady);
}

async function startSimWorker(): Promise<SimReady & { close(): Promise<void> }> {
  // Workers do not inherit tsx's loader hooks: register them, then load this file as the worker's body.
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(bootstrap, { eval: true, workerData: { latencyMs: LATENCY_MS, resources: RESOURCES } });
  const ready = await new Promise<SimReady>((resolvePromise, reject) => {
    worker.once('message', (message: SimReady) => resolvePromise(message));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`simulator worker exited with ${code}`)));
  });
  return {
    ...ready,
    close: async () => {
      worker.postMessage('close');
      await new Promise((r) => worker.once('exit', r));
    },
  };
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return Math.round(sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2);
}

function isolateAwsEnvironment(): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
  process.env.AWS_CONFIG_FILE = '/nonexistent/hangar-bench/config';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/hangar-bench/credentials';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
}

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const logger = createLogger({ level: 'error' });

let sharedPool: AwsClientPool | undefined;

/**
 * One ledger; `cacheDir` empty for a cold price cache, reused for a warm one. The clients are the app's:
 * one pool for the process, reused from ledger to ledger (BENCH_FRESH_CLIENTS=1: new clients every run).
 */
async function ledger(url: string, cacheDir: string, regions?: string[]): Promise<{ ms: number; rows: number; regions: number }> {
  const fresh = process.env.BENCH_FRESH_CLIENTS === '1';
  sharedPool ??= createAwsClientPool({ credentialsFor: () => async () => ({ ...KEYS }), endpoint: url });
  const pool = fresh ? createAwsClientPool({ credentialsFor: () => async () => ({ ...KEYS }), endpoint: url }) : sharedPool;
  try {
    const prices = createPriceSource({ clientsFor: pool.clientsFor, cache: createPriceCache({ dir: cacheDir, logger }), logger });
    const costs = createCostsService({ clientsFor: pool.clientsFor, prices, accounts: { list: async () => [] }, act: async () => [], stateDir: cacheDir, logger });
    collectGarbage();
    await sleep(50);
    const started = performance.now();
    const cpu = process.cpuUsage();
    const elu = nodePerformance.eventLoopUtilization();
    const results = await costs.ledger([ACCOUNT], { scanId: 'bench', ...(regions ? { regions } : {}) });
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const busy = nodePerformance.eventLoopUtilization(elu);
    if (process.env.BENCH_CPU === '1') {
      log(`  ${regions ? 'one' : 'all'}: ${Math.round(ms)} ms wall; main thread busy ${Math.round(busy.active)} ms; ${Math.round((used.user + used.system) / 1000)} ms CPU in both threads`);
    }
    const failed = results.filter((r) => r.error);
    if (failed.length > 0) throw new Error(`regions failed: ${failed.map((r) => `${r.region}: ${r.error?.message}`).join('; ')}`);
    const unpriced = results.flatMap((r) => r.rows ?? []).filter((row) => row.billing !== 'not-billed' && (row.hourly === undefined || row.priceSource?.source === 'bundled'));
    if (unpriced.length > 0) throw new Error(`${unpriced.length} rows were not priced from the Price List (e.g. ${unpriced[0]?.key})`);
    await costs.flush();
    return { ms, rows: results.reduce((n, r) => n + (r.rows?.length ?? 0), 0), regions: results.filter((r) => r.rows).length };
  } finally {
    if (fresh) pool.destroy();
  }
}

async function main(): Promise<void> {
  isolateAwsEnvironment();
  process.chdir(resolve(import.meta.dirname, '..'));
  const sim = await startSimWorker();
  const work = await mkdtemp(join(tmpdir(), 'hangar-bench-ledger-'));
  let dirs = 0;
  const freshDir = async (): Promise<string> => mkdtemp(join(work, `cache-${dirs++}-`));
  try {
    log(`simulator: ${sim.regions.length} regions, ${RESOURCES} resources (${sim.perRegion[ONE_REGION] ?? 0} in ${ONE_REGION}), ${LATENCY_MS} ms per call; ${RUNS} runs each, medians`);
    // Warm-up: module loading, JIT, the SDK's lazy initialisation, the simulator's price tables.
    await ledger(sim.url, await freshDir());
    await ledger(sim.url, await freshDir(), [ONE_REGION]);

    const all: number[] = [];
    const one: number[] = [];
    const warm: number[] = [];
    let rows = 0;
    const warmDir = await freshDir();
    await ledger(sim.url, warmDir);
    for (let run = 0; run < RUNS; run++) {
      const a = await ledger(sim.url, await freshDir());
      if (a.regions !== sim.regions.length) throw new Error(`the ledger covered ${a.regions} regions, not ${sim.regions.length}`);
      rows = a.rows;
      all.push(a.ms);
      one.push((await ledger(sim.url, await freshDir(), [ONE_REGION])).ms);
      warm.push((await ledger(sim.url, warmDir)).ms);
    }
    const result = { regions: sim.regions.length, resources: RESOURCES, ledgerMs: median(all), oneRegionMs: median(one) };
    log(`(a) ledger of every region, cold price cache: ${result.ledgerMs} ms  [runs: ${all.map(Math.round).join(', ')}]; ${rows} rows`);
    log(`(b) ledger of ${ONE_REGION} alone, cold price cache: ${result.oneRegionMs} ms  [runs: ${one.map(Math.round).join(', ')}]`);
    log(`    every region with the price cache warm:  ${median(warm)} ms  [runs: ${warm.map(Math.round).join(', ')}]`);
    log(`goal ledgerMs <= 2 × oneRegionMs (${2 * result.oneRegionMs}): ${result.ledgerMs <= 2 * result.oneRegionMs ? 'met' : 'NOT met'}`);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    sharedPool?.destroy();
    await sim.close();
    await rm(work, { recursive: true, force: true });
  }
}

if (isMainThread) {
  main().catch((error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  });
} else {
  void simWorker(workerData as { latencyMs: number; resources: number });
}
