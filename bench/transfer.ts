/**
 * npm run bench:transfer
 *
 * Hangar's upload engine against OpenSSH with the settings a user would type, both into the same real sshd
 * on loopback, in the same run:
 *   (a) one 1 GiB file vs `scp`              → bigMBps, scpBigMBps        (goal: ≥ 1.0 × scp)
 *   (b) 5,000 × 4 KiB files in 50 folders vs `scp -r` → smallS, scpSmallS (goal: ≥ 2.0 × faster)
 *   (c) 200 × 1 MiB files vs `scp -r`        → mediumS, scpMediumS       (goal: ≥ 1.1 × faster)
 *   (d) the service process's peak RSS during (a) and (c)                (goal: ≤ 150 MB)
 * The transfer path (connection manager + transfer engine + settings) runs in its own process
 * (bench/transfer-worker.ts, bundled with esbuild and run by plain node), one per scenario, so (d) is its
 * own kernel-measured peak (getrusage maxRSS); its EC2 lookups are answered by this process. The RSS the
 * AWS SDK's EC2 client adds to a process by being loaded is printed alongside (sdkEc2MB). Each scenario runs
 * BENCH_RUNS rounds (default 5), Hangar and scp interleaved and alternating who goes first; the headline
 * figures and ratios are medians, and the JSON also carries min / median / max of both sides (`spread`)
 * and the number of rounds (`rounds`). Hangar's times include connecting (as scp's do). Informational
 * lines go to stderr; the last line on stdout is one JSON object. bench/README.md describes the findings.
 */
import { execFileSync, fork, spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { createAwsClientPool } from '../src/main/services/aws/aws-client-pool';
import { createEc2Service, type Ec2Service } from '../src/main/services/ec2/ec2-service';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator } from '../test/support/ec2-simulator/index';
import { startSshd } from '../test/support/sshd';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const log = (line: string): void => void process.stderr.write(`${line}\n`);
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;
/** min / median / max of a side's round times, in seconds. */
const spreadOf = (ms: number[]): { min: number; median: number; max: number } =>
  ms.length === 0
    ? { min: Number.NaN, median: Number.NaN, max: Number.NaN }
    : { min: round(Math.min(...ms) / 1000, 3), median: round(median(ms) / 1000, 3), max: round(Math.max(...ms) / 1000, 3) };

const work = await mkdtemp(join(tmpdir(), 'hangar-bench-transfer-'));
const home = join(work, 'home');
const data = join(work, 'data');
await mkdir(home, { recursive: true });
await mkdir(data, { recursive: true });
const sshd = await startSshd({ extraConfig: [`SetEnv HOME=${home}`] });
const sim = await startEc2Simulator();
const instanceId = sim.addInstance('us-east-1', { publicIp: '203.0.113.9', keyName: 'bench' });
const pool = createAwsClientPool({
  credentialsFor: () => async () => ({ accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }),
  endpoint: sim.url,
});
const ec2: Ec2Service = createEc2Service({ clientsFor: (id) => pool.clientsFor(id) });
const workerFile = new URL('../node_modules/.cache/hangar-bench/transfer-worker.mjs', import.meta.url).pathname;
// Bundled once and run by plain node, as the app's main process runs bundled code (tsx's loader alone adds ~40 MB).
await build({
  entryPoints: [new URL('./transfer-worker.ts', import.meta.url).pathname],
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  outfile: workerFile,
  logLevel: 'error',
});
const sdkEc2MB = Number(
  execFileSync(process.execPath, [
    '-e',
    "const a=process.memoryUsage().rss;require('@aws-sdk/client-ec2');console.log((process.memoryUsage().rss-a)/1048576)",
  ]).toString(),
);
const keyPath = join(work, 'id');
await writeFile(keyPath, sshd.userPrivateKey, { mode: 0o600 });

async function randomFile(path: string, bytes: number): Promise<void> {
  const handle = await open(path, 'w');
  const chunk = Buffer.alloc(Math.min(bytes, 8 << 20));
  for (let written = 0; written < bytes; ) {
    const n = Math.min(chunk.length, bytes - written);
    randomFillSync(chunk, 0, n);
    await handle.write(chunk, 0, n);
    written += n;
  }
  await handle.close();
}

/*
 * Investigation knobs (the published figures use none of them): BENCH_ONLY=a,c runs a subset of the
 * scenarios; BENCH_SIDE=hangar (or scp) runs one side only; BENCH_PERF=<path prefix> records a system-wide
 * `perf record -a -g` of each round (<prefix>-<scenario>-<side>-<round>.data), to see sshd, the kernel and
 * the worker side by side.
 */
const only = new Set((process.env.BENCH_ONLY ?? 'a,b,c').split(','));
const sides = new Set((process.env.BENCH_SIDE ?? 'hangar,scp').split(','));
const perfPrefix = process.env.BENCH_PERF;
async function startPerf(label: string): Promise<() => Promise<void>> {
  if (perfPrefix === undefined) return async () => undefined;
  const child = spawn('perf', ['record', '-a', '-g', '-q', '-o', `${perfPrefix}-${label}.data`], { stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 500));
  return () =>
    new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGINT');
    });
}

log('preparing data…');
const bigFile = join(data, 'big.bin');
if (only.has('a')) await randomFile(bigFile, 1 << 30);
const smallDir = join(data, 'small');
for (let d = 0; d < 50 && only.has('b'); d += 1) {
  await mkdir(join(smallDir, `dir-${d}`), { recursive: true });
  for (let f = 0; f < 100; f += 1) await randomFile(join(smallDir, `dir-${d}`, `file-${f}.dat`), 4096);
}
const mediumDir = join(data, 'medium');
await mkdir(mediumDir);
for (let f = 0; f < 200 && only.has('c'); f += 1) await randomFile(join(mediumDir, `part-${f}.bin`), 1 << 20);

async function clearRemote(): Promise<string> {
  const dest = join(home, 'dest');
  await rm(dest, { recursive: true, force: true });
  await mkdir(dest);
  // The previous run's dirty pages and the delete above are written back now, not during the next run
  // (which would otherwise pay for its predecessor: the same for scp and for Hangar).
  execFileSync('sync');
  return dest;
}

async function scp(args: string[], dest: string): Promise<number> {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      'scp',
      ['-q', '-i', keyPath, '-P', String(sshd.port), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', ...args, `${sshd.username}@127.0.0.1:${dest}`],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`scp exited with ${code}`))));
  });
  return performance.now() - started;
}

interface Worker {
  upload(paths: string[], remoteDir: string): Promise<number>;
  finish(): Promise<number>;
}

async function startWorker(): Promise<Worker> {
  // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each worker (one per scenario) there, for bench/README.md;
  // BENCH_NODE_ARGS adds node flags to the worker (e.g. --trace-gc). Without them it runs under plain node:
  // fork() would otherwise pass on tsx's loader from this process's execArgv.
  const profDir = process.env.BENCH_CPU_PROF;
  const child = fork(workerFile, [], {
    execArgv: [
      ...(profDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profDir]),
      ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== ''),
    ],
    env: {
      ...process.env,
      HANGAR_BENCH_SETUP: JSON.stringify({
        instanceId,
        sshPort: sshd.port,
        username: sshd.username,
        privateKey: sshd.userPrivateKey,
        hostKeyFingerprint: sshd.hostKeyFingerprintSha256,
        work,
      }),
    },
  });
  child.on('message', (message: { t: string; id?: number; method?: 'describeInstance' | 'consoleOutput'; args?: [string, string, string] }) => {
    if (message.t !== 'ec2' || message.method === undefined || message.args === undefined) return;
    const [accountId, region, id] = message.args;
    ec2[message.method](accountId, region, id).then(
      (value) => child.send({ t: 'ec2-reply', id: message.id, ok: true, value }),
      (error: unknown) => child.send({ t: 'ec2-reply', id: message.id, ok: false, value: String(error) }),
    );
  });
  const next = (): Promise<{ t: string; ms?: number; cpuS?: number; maxRssKiB?: number; message?: string; job?: { state: string; failures: unknown[] } }> =>
    new Promise((resolve, reject) => {
      const onMessage = (m: { t: string }): void => {
        if (m.t === 'ec2') return;
        child.off('message', onMessage);
        resolve(m as never);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
    });
  await next();
  return {
    async upload(paths, remoteDir) {
      const reply = next();
      child.send({ t: 'upload', paths, remoteDir });
      const message = await reply;
      if (message.t !== 'done' || message.job?.state !== 'completed' || (message.job.failures.length ?? 0) > 0) {
        throw new Error(`upload did not complete: ${JSON.stringify(message).slice(0, 500)}`);
      }
      log(`  Hangar ${((message.ms ?? 0) / 1000).toFixed(2)} s, service CPU ${(message.cpuS ?? 0).toFixed(2)} s`);
      return message.ms ?? Number.NaN;
    },
    async finish() {
      const reply = next();
      child.send({ t: 'exit' });
      return ((await reply).maxRssKiB ?? 0) / 1024;
    },
  };
}

async function scenario(name: string, paths: string[], scpArgs: string[], bytes: number) {
  const hangarMs: number[] = [];
  const scpMs: number[] = [];
  const worker = await startWorker();
  for (let run = 0; run < RUNS; run += 1) {
    // Alternate who goes first so neither always gets the warmer page cache.
    const order = run % 2 === 0 ? ['hangar', 'scp'] : ['scp', 'hangar'];
    for (const who of order) {
      if (!sides.has(who)) continue;
      const dest = await clearRemote();
      const perf = await startPerf(`${name.slice(1, 2)}-${who}-${run}`);
      if (who === 'hangar') hangarMs.push(await worker.upload(paths, dest));
      else scpMs.push(await scp([...scpArgs, ...paths], dest));
      await perf();
    }
  }
  const peakRssMB = await worker.finish();
  const h = median(hangarMs);
  const s = median(scpMs);
  log(`${name}: Hangar ${(h / 1000).toFixed(2)} s [${hangarMs.map((v) => (v / 1000).toFixed(2)).join(', ')}], scp ${(s / 1000).toFixed(2)} s [${scpMs.map((v) => (v / 1000).toFixed(2)).join(', ')}], ${(bytes / 1048576 / (h / 1000)).toFixed(0)} vs ${(bytes / 1048576 / (s / 1000)).toFixed(0)} MB/s, service peak RSS ${peakRssMB.toFixed(0)} MB`);
  return { hangarS: h / 1000, scpS: s / 1000, peakRssMB, hangar: spreadOf(hangarMs), scp: spreadOf(scpMs) };
}

const skipped = { hangarS: Number.NaN, scpS: Number.NaN, peakRssMB: 0, hangar: spreadOf([]), scp: spreadOf([]) };
const big = only.has('a') ? await scenario('(a) 1 GiB', [bigFile], [], 1 << 30) : skipped;
const small = only.has('b') ? await scenario('(b) 5,000 × 4 KiB', [smallDir], ['-r'], 5000 * 4096) : skipped;
const medium = only.has('c') ? await scenario('(c) 200 × 1 MiB', [mediumDir], ['-r'], 200 << 20) : skipped;

pool.destroy();
await sim.close();
await sshd.stop();
await rm(work, { recursive: true, force: true });

const bigMBps = 1024 / big.hangarS;
const scpBigMBps = 1024 / big.scpS;
console.log(
  JSON.stringify({
    bigMBps: round(bigMBps, 1),
    scpBigMBps: round(scpBigMBps, 1),
    smallS: round(small.hangarS),
    scpSmallS: round(small.scpS),
    mediumS: round(medium.hangarS),
    scpMediumS: round(medium.scpS),
    peakRssMB: Math.round(Math.max(big.peakRssMB, medium.peakRssMB)),
    bigRatio: round(bigMBps / scpBigMBps),
    smallSpeedup: round(small.scpS / small.hangarS),
    mediumSpeedup: round(medium.scpS / medium.hangarS),
    sdkEc2MB: Math.round(sdkEc2MB),
    rounds: RUNS,
    // Seconds per round, both sides of each scenario.
    spread: {
      big: { hangar: big.hangar, scp: big.scp },
      small: { hangar: small.hangar, scp: small.scp },
      medium: { hangar: medium.hangar, scp: medium.scp },
    },
  }),
);
process.exit(0);
