/**
 * npm run bench:regions
 *
 * How long Hangar takes to a complete all-regions instance table, against what a user's shell loop
 * (`for r in $(aws ec2 describe-regions …); do aws ec2 describe-instances --region $r; done`) costs through
 * the same SDK, and against one region alone; then the first render of 5,000 rows in Chromium.
 *
 * Everything talks to the EC2 simulator (test/support) with a fixed latency on every call, so the numbers
 * measure round-trip structure (parallelism, waves, pagination), not the network of the machine running it.
 * The simulator runs in a worker thread: building 3 MB of EC2 XML per 1,000 instances is AWS's work, and in
 * the bench's own thread it would be charged to whichever client happens to be waiting.
 * Each figure is the median of several runs on fresh clients after one warm-up run.
 *
 * Reading the numbers: latency is parallelised, CPU is not. Deserialising EC2's XML in the SDK costs about
 * 0.25 ms per instance in Hangar's (single) main thread, so with many instances per region a scan becomes
 * CPU-bound — the sequential loop pays the same CPU on top of its 18 round trips.
 * Informational lines go to stderr; the last line on stdout is one JSON object.
 *
 * Environment: BENCH_RUNS (default 5), BENCH_PER_REGION (instances per region, default 10),
 * BENCH_LATENCY_MS (default 150), CHROMIUM_PATH (default /usr/bin/chromium), BENCH_SKIP_RENDER=1.
 */
import { DescribeInstancesCommand, DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createAwsClientFactory } from '../src/main/services/aws/aws-client-factory';
import { createAwsClientPool } from '../src/main/services/aws/aws-client-pool';
import { createEc2Service } from '../src/main/services/ec2/ec2-service';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator } from '../test/support/ec2-simulator/index';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PER_REGION = Number(process.env.BENCH_PER_REGION ?? 10);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 150);
const RENDER_ROWS = 5000;
// Frozen: the SDK tags credential objects it is handed (a `$source` key), so each use gets its own copy.
const KEYS = Object.freeze({ accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY });
const ACCOUNT = 'bench-account';
const ONE_REGION = 'us-east-1';
const RENDERED_MARK = 'hangar:instances-rendered';

interface SimHandle {
  readonly url: string;
  readonly regions: readonly string[];
  close(): Promise<void>;
}

interface SimWorkerData {
  latencyMs: number;
  /** Instances to seed: every enabled region gets `perRegion`, and `extra` adds more to one region. */
  perRegion: number;
  extra?: { region: string; count: number };
}

/** Starts the simulator in a worker thread (this same file, loaded through tsx) and seeds it there. */
async function startSimWorker(data: SimWorkerData): Promise<SimHandle> {
  // Workers do not inherit tsx's loader hooks: register them, then load this file as the worker's body.
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(bootstrap, { eval: true, workerData: data });
  const ready = await new Promise<{ url: string; regions: string[] }>((resolve, reject) => {
    worker.once('message', (message: { url: string; regions: string[] }) => resolve(message));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`simulator worker exited with ${code}`)));
  });
  return {
    ...ready,
    close: async () => {
      worker.postMessage('close');
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}

async function simWorker(data: SimWorkerData): Promise<void> {
  const sim = await startEc2Simulator({ latencyMs: data.latencyMs });
  const regions = sim.regions.filter((r) => r.optInStatus !== 'not-opted-in').map((r) => r.name);
  for (const region of regions) {
    for (let n = 0; n < data.perRegion; n++) {
      sim.addInstance(region, { name: `${region}-${n}`, instanceType: n % 5 === 0 ? 'g5.xlarge' : 't3.medium' });
    }
  }
  if (data.extra) {
    for (let n = 0; n < data.extra.count; n++) {
      sim.addInstance(data.extra.region, { name: `node-${String(n).padStart(4, '0')}`, instanceType: n % 7 === 0 ? 'g5.2xlarge' : 'm5.large' });
    }
  }
  parentPort?.on('message', (message) => {
    if (message === 'close') void sim.close().then(() => process.exit(0));
  });
  parentPort?.postMessage({ url: sim.url, regions });
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const value = sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return Math.round(value);
}

/** Keeps the host's AWS configuration (profiles, endpoints, IMDS) out of the measurement. */
function isolateAwsEnvironment(): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
  process.env.AWS_CONFIG_FILE = '/nonexistent/hangar-bench/config';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/hangar-bench/credentials';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
}

// A full GC and a pause before each measured run, so one run's garbage is not collected inside the next.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  collectGarbage();
  await sleep(50);
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
}

/** (a) Hangar: the account-scoped service through the per-account client pool, as the app builds it. */
async function hangarScan(sim: SimHandle, concurrency?: number): Promise<{ ms: number; instances: number; regions: number }> {
  const pool = createAwsClientPool({ credentialsFor: () => async () => ({ ...KEYS }), endpoint: sim.url });
  try {
    const service = createEc2Service({ clientsFor: pool.clientsFor });
    const { ms, value } = await timed(() =>
      service.scanAllRegions(ACCOUNT, { scanId: 'bench', ...(concurrency === undefined ? {} : { concurrency }) }),
    );
    const failed = value.filter((r) => r.error);
    if (failed.length > 0) throw new Error(`regions failed: ${failed.map((r) => `${r.region}: ${r.error?.message}`).join('; ')}`);
    return { ms, instances: value.reduce((n, r) => n + (r.instances?.length ?? 0), 0), regions: value.length };
  } finally {
    pool.destroy();
  }
}

/** (b) The shell loop: DescribeRegions, then DescribeInstances one region after another, same SDK. */
async function sequentialLoop(sim: SimHandle): Promise<{ ms: number; instances: number; regions: number }> {
  const clients = createAwsClientFactory({ credentials: { ...KEYS }, endpoint: sim.url });
  try {
    collectGarbage();
    await sleep(50);
    return await (async () => {
      const started = performance.now();
      const out = await clients.ec2('us-east-1').send(new DescribeRegionsCommand({}));
      const regions = (out.Regions ?? []).flatMap((r) => (r.RegionName === undefined ? [] : [r.RegionName]));
      let instances = 0;
      for (const region of regions) {
        let token: string | undefined;
        do {
          const page = await clients.ec2(region).send(new DescribeInstancesCommand({ MaxResults: 1000, NextToken: token }));
          for (const reservation of page.Reservations ?? []) instances += reservation.Instances?.length ?? 0;
          token = page.NextToken;
        } while (token);
      }
      return { ms: performance.now() - started, instances, regions: regions.length };
    })();
  } finally {
    clients.destroy();
  }
}

/** (c) One region alone, through Hangar's service. */
async function oneRegion(sim: SimHandle): Promise<{ ms: number; instances: number }> {
  const pool = createAwsClientPool({ credentialsFor: () => async () => ({ ...KEYS }), endpoint: sim.url });
  try {
    const service = createEc2Service({ clientsFor: pool.clientsFor });
    const { ms, value } = await timed(() => service.listInstances(ACCOUNT, ONE_REGION));
    return { ms, instances: value.length };
  } finally {
    pool.destroy();
  }
}

async function measureRegions(): Promise<{ regions: number; hangarMs: number; sequentialMs: number; oneRegionMs: number }> {
  const sim = await startSimWorker({ latencyMs: LATENCY_MS, perRegion: PER_REGION });
  try {
    const enabled = sim.regions;
    const expected = enabled.length * PER_REGION;
    log(`simulator: ${enabled.length} regions × ${PER_REGION} instances, ${LATENCY_MS} ms per call; ${RUNS} runs each, medians`);

    // Warm-up: module loading, JIT, the SDK's lazy initialisation.
    await hangarScan(sim);
    await sequentialLoop(sim);
    await oneRegion(sim);

    const hangar: number[] = [];
    const hangarAt6: number[] = [];
    const sequential: number[] = [];
    const single: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const a = await hangarScan(sim);
      if (a.instances !== expected || a.regions !== enabled.length) throw new Error(`scan saw ${a.instances} instances in ${a.regions} regions`);
      hangar.push(a.ms);
      hangarAt6.push((await hangarScan(sim, 6)).ms);
      const b = await sequentialLoop(sim);
      if (b.instances !== expected) throw new Error(`loop saw ${b.instances} instances`);
      sequential.push(b.ms);
      const c = await oneRegion(sim);
      if (c.instances !== PER_REGION) throw new Error(`one region saw ${c.instances} instances`);
      single.push(c.ms);
    }
    const result = {
      regions: enabled.length,
      hangarMs: median(hangar),
      sequentialMs: median(sequential),
      oneRegionMs: median(single),
    };
    log(`(a) hangar scanAllRegions:         ${result.hangarMs} ms  [runs: ${hangar.map(Math.round).join(', ')}]`);
    log(`    same scan with concurrency 6:  ${median(hangarAt6)} ms  (for comparison with a 6-region bound)`);
    log(`(b) sequential shell-style loop:   ${result.sequentialMs} ms  [runs: ${sequential.map(Math.round).join(', ')}]`);
    log(`(c) one region alone:              ${result.oneRegionMs} ms  [runs: ${single.map(Math.round).join(', ')}]`);
    log(`goal hangarMs <= 2 × oneRegionMs (${2 * result.oneRegionMs}): ${result.hangarMs <= 2 * result.oneRegionMs ? 'met' : 'NOT met'}`);
    return result;
  } finally {
    await sim.close();
  }
}

/**
 * (d) First render of 5,000 rows: the whole app (web harness: real services, bridge, built renderer) in
 * Chromium, an account whose default region holds 5,000 instances. Measured inside the page from the
 * arrival of the WebSocket message carrying the instances to the table's "rows rendered" mark (or, if the
 * UI sets no mark, to the first frame with data rows), so it times the renderer, not the AWS round trips;
 * the fetch and the time from navigation are logged alongside. Null (with the reason on stderr) when the
 * UI or the harness cannot do it yet.
 */
async function measureRender(): Promise<number | null> {
  if (process.env.BENCH_SKIP_RENDER === '1') {
    log('(d) render: skipped (BENCH_SKIP_RENDER=1)');
    return null;
  }
  const work = await mkdtemp(join(tmpdir(), 'hangar-bench-'));
  const sim = await startSimWorker({ latencyMs: LATENCY_MS, perRegion: 0, extra: { region: ONE_REGION, count: RENDER_ROWS } });
  let cleanup: (() => Promise<void>)[] = [];
  try {
    // Every SDK client the harness creates (STS for the account check, EC2 for the table) goes to the simulator.
    process.env.AWS_ENDPOINT_URL = sim.url;

    const rendererDir = join(work, 'renderer');
    const { build } = await import('vite');
    const { rendererConfig } = await import('../renderer.vite.config');
    await build({ ...rendererConfig, configFile: false, logLevel: 'error', build: { ...rendererConfig.build, outDir: rendererDir, emptyOutDir: true } });

    const { startWebHarness } = await import('../src/main/bridge/web-harness');
    const { createMemorySecretStore } = await import('../test/support/memory-secret-store');
    const { createLogger } = await import('../src/main/services/logging/logger');
    const harness = await startWebHarness({
      dataDir: join(work, 'data'),
      rendererDir,
      secrets: createMemorySecretStore(),
      logger: createLogger({ level: 'error' }),
    }).catch((error: unknown) => {
      throw new Error(`the web harness did not start: ${error instanceof Error ? error.message : String(error)}`);
    });
    cleanup.push(() => harness.close());
    await harness.services.accounts.add({ accessKeyId: KEYS.accessKeyId, secretAccessKey: KEYS.secretAccessKey, defaultRegion: ONE_REGION, label: 'bench' });

    const { chromium } = await import('playwright');
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    cleanup.push(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // Before any app code: note when the first big WebSocket message (the 5,000 instances) arrives.
    // A string, not a function: tsx's name-keeping helpers would not exist inside the page.
    await page.addInitScript(`
      (() => {
        window.__bench = {};
        const Native = window.WebSocket;
        window.WebSocket = class extends Native {
          constructor(url, protocols) {
            super(url, protocols);
            this.addEventListener('message', (event) => {
              const data = event.data;
              const size = typeof data === 'string' ? data.length : data instanceof ArrayBuffer ? data.byteLength : data instanceof Blob ? data.size : 0;
              if (size > 500000 && window.__bench.dataAt === undefined) {
                window.__bench.dataAt = performance.now();
                window.__bench.dataBytes = size;
              }
            });
          }
        };
      })();
    `);
    await page.goto(harness.url);
    const nav = page.getByRole('navigation', { name: 'Sections' });
    await nav.waitFor({ timeout: 15_000 });
    const instancesButton = nav.getByRole('button', { name: /Instances/ });
    if ((await instancesButton.count()) > 0) await instancesButton.first().click();

    const handle = await page.waitForFunction(
      (mark) => {
        const entry = performance.getEntriesByName(mark)[0];
        const rows = document.querySelectorAll('[role="grid"] [role="row"]').length;
        const w = window as unknown as { __bench: { dataAt?: number } };
        if (entry) return { renderedAt: entry.startTime, via: 'mark', rows, dataAt: w.__bench.dataAt };
        if (rows > 1) return { renderedAt: performance.now(), via: 'rows', rows, dataAt: w.__bench.dataAt };
        return false;
      },
      RENDERED_MARK,
      { polling: 'raf', timeout: 60_000 },
    );
    const seen = (await handle.jsonValue()) as { renderedAt: number; via: string; rows: number; dataAt?: number };
    const rowCount = await page.evaluate(() => document.querySelector('[role="grid"]')?.getAttribute('aria-rowcount') ?? null);
    if (rowCount !== null && Number(rowCount) !== RENDER_ROWS + 1) {
      throw new Error(`the grid reports aria-rowcount=${rowCount}, expected ${RENDER_ROWS + 1} (5,000 rows and the header)`);
    }
    if (seen.dataAt === undefined) throw new Error('no WebSocket message large enough to hold 5,000 instances was seen');
    const renderMs = Math.round(seen.renderedAt - seen.dataAt);
    log(
      `(d) render of ${RENDER_ROWS} rows: ${renderMs} ms from data arrival to ${seen.via === 'mark' ? `the "${RENDERED_MARK}" mark` : 'the first frame with rows'}` +
        ` (${seen.rows} rows in the DOM, grid aria-rowcount ${rowCount ?? 'n/a'});` +
        ` data arrived ${Math.round(seen.dataAt)} ms after navigation, rows ${Math.round(seen.renderedAt)} ms after navigation`,
    );
    log(`goal render5000Ms < 300: ${renderMs < 300 ? 'met' : 'NOT met'}`);
    return renderMs;
  } catch (error) {
    log(`(d) render: not measured (null): ${error instanceof Error ? error.message : String(error)}`);
    return null;
  } finally {
    delete process.env.AWS_ENDPOINT_URL;
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
    cleanup = [];
    await sim.close();
    await rm(work, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  isolateAwsEnvironment();
  process.chdir(resolve(import.meta.dirname, '..'));
  const regions = await measureRegions();
  const render5000Ms = await measureRender();
  process.stdout.write(`${JSON.stringify({ ...regions, render5000Ms })}\n`);
}

if (isMainThread) {
  main().catch((error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  });
} else {
  void simWorker(workerData as SimWorkerData);
}
