/**
 * npm run bench:tunnel
 *
 * Hangar's port forward (ssh2 forwardOut over the shared connection) against OpenSSH's `ssh -N -L`, in the
 * same run, to the same sshd on loopback, default settings on both:
 * (a) throughput: download 200 MB over HTTP from a server on the "remote" side (median of 5 runs each, after a warm-up);
 * (b) connection setup: 100 sequential HTTP requests, each on a new TCP connection (so each one opens a new
 *     SSH channel), p50 / p95 latency.
 * The HTTP server and the HTTP client each run in a worker thread, so the only thing in the bench's main
 * thread is what Hangar's main process runs: the tunnel service.
 * Informational lines go to stderr; the last line on stdout is one JSON object.
 * Environment: BENCH_MB (default 200), BENCH_RUNS (default 5), BENCH_REQUESTS (default 100).
 * Both sides share the machine's cores with the bench's client and server: on a busy machine the figures are noisy.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createEventHub } from '../src/main/services/app/event-hub';
import { createAwsClientPool } from '../src/main/services/aws/aws-client-pool';
import { createEc2Service } from '../src/main/services/ec2/ec2-service';
import { silentLogger } from '../src/main/services/logging/logger';
import { createSettingsFileBackend } from '../src/main/services/settings/settings-file-backend';
import { createSettingsStore } from '../src/main/services/settings/settings-store';
import { createConnectionManager } from '../src/main/services/ssh/create-connection-manager';
import { createTunnelService } from '../src/main/services/tunnels/create-tunnel-service';
import type { Events } from '../src/shared/ipc/contract';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator } from '../test/support/ec2-simulator/index';
import { startSshd } from '../test/support/sshd';
import { stubKeyStore } from '../test/support/stub-key-store';

const MB = Number(process.env.BENCH_MB ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100);
const log = (line: string): void => void process.stderr.write(`${line}\n`);
const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};
const median = (values: number[]): number => percentile(values, 50);
const round = (n: number): number => Math.round(n * 100) / 100;

// The "remote" HTTP server: /big streams BENCH_MB from a 1 MiB buffer with backpressure, /small answers "ok".
const SERVER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const chunk = Buffer.alloc(1 << 20, 7);
const server = http.createServer((req, res) => {
  if (req.url === '/big') {
    const total = workerData.mb * (1 << 20);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(total) });
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!res.write(chunk)) { res.once('drain', pump); return; }
      }
      res.end();
    };
    pump();
  } else {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
    res.end('ok');
  }
});
server.keepAliveTimeout = 1000;
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
`;

// The browser's side: downloads and timed requests, each on a fresh TCP connection (no keep-alive agent).
const CLIENT = `
const { parentPort } = require('node:worker_threads');
const http = require('node:http');
function get(port, path) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let bytes = 0;
      res.on('data', (d) => { bytes += d.length; });
      res.on('end', () => resolve({ ms: performance.now() - started, bytes, status: res.statusCode }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}
parentPort.on('message', async (m) => {
  try {
    if (m.op === 'download') parentPort.postMessage(await get(m.port, '/big'));
    else {
      const times = [];
      for (let i = 0; i < m.n; i++) {
        const r = await get(m.port, '/small');
        if (r.status !== 200 || r.bytes !== 2) throw new Error('bad answer ' + r.status);
        times.push(r.ms);
      }
      parentPort.postMessage({ times });
    }
  } catch (e) { parentPort.postMessage({ error: String(e) }); }
});
`;

function ask<T>(worker: Worker, message: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    worker.once('message', (answer: T & { error?: string }) => (answer.error === undefined ? resolve(answer) : reject(new Error(answer.error))));
    worker.postMessage(message);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

async function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const work = await mkdtemp(join(tmpdir(), 'hangar-bench-tunnel-'));
const home = join(work, 'home');
await mkdir(home);
const sshd = await startSshd({ extraConfig: [`SetEnv HOME=${home}`] });
const sim = await startEc2Simulator();
const pool = createAwsClientPool({
  credentialsFor: () => async () => ({ accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }),
  endpoint: sim.url,
});
const keys = stubKeyStore(sshd.userPrivateKey);
const settings = createSettingsStore(createSettingsFileBackend(join(work, 'settings')));
const ec2 = createEc2Service({ clientsFor: (id) => pool.clientsFor(id) });
const connections = createConnectionManager({ settings, keys, ec2, logger: silentLogger, userCandidates: () => [sshd.username] });
const tunnels = createTunnelService({ connections, settings, events: createEventHub<Events>(), ec2, logger: silentLogger, openExternal: async () => undefined });
const instanceId = sim.addInstance('us-east-1', { publicIp: '203.0.113.7', keyName: 'bench' });
settings.mutate((s) => ({ ...s, connections: { ...s.connections, [instanceId]: { host: `127.0.0.1:${sshd.port}` } } }));

const server = new Worker(SERVER, { eval: true, workerData: { mb: MB } });
const httpPort = await new Promise<number>((resolve) => server.once('message', resolve));
const client = new Worker(CLIENT, { eval: true });

// Hangar's tunnel.
const tunnel = await tunnels.forward({
  instance: { accountId: 'bench', region: 'us-east-1', instanceId, acceptHostKey: sshd.hostKeyFingerprintSha256 },
  direction: 'local',
  localPort: await freePort(),
  remotePort: httpPort,
});
log(`Hangar tunnel: ${tunnel.localAddress} → ${tunnel.remoteAddress}`);

// OpenSSH's, to the same sshd with the same key.
const sshPort = await freePort();
const ssh: ChildProcess = spawn(
  'ssh',
  [
    '-N',
    '-L',
    `127.0.0.1:${sshPort}:127.0.0.1:${httpPort}`,
    '-i',
    sshd.userKeyPath,
    '-p',
    String(sshd.port),
    '-o',
    'StrictHostKeyChecking=no',
    '-o',
    'UserKnownHostsFile=/dev/null',
    '-o',
    'LogLevel=ERROR',
    '-o',
    'ExitOnForwardFailure=yes',
    `${sshd.username}@127.0.0.1`,
  ],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);
const sshDeadline = Date.now() + 15_000;
while (!(await portAnswers(sshPort))) {
  if (Date.now() > sshDeadline || ssh.exitCode !== null) throw new Error('ssh -L did not come up');
  await new Promise((r) => setTimeout(r, 50));
}
log(`ssh -L: 127.0.0.1:${sshPort} → 127.0.0.1:${httpPort}`);

const targets = { tunnel: tunnel.localPort, sshL: sshPort } as const;
// Warm-up, not measured: a few requests and one full download each (first channels, JIT of the cipher and
// stream paths; the app's main process is long-lived and warm).
for (const port of Object.values(targets)) {
  await ask(client, { op: 'latency', port, n: 5 });
  await ask(client, { op: 'download', port });
}

const speeds: Record<keyof typeof targets, number[]> = { tunnel: [], sshL: [] };
for (let run = 0; run < RUNS; run++) {
  // Alternate which goes first, so neither always gets the warmer machine.
  const order = (run % 2 === 0 ? ['tunnel', 'sshL'] : ['sshL', 'tunnel']) as (keyof typeof targets)[];
  for (const name of order) {
    const { ms, bytes } = await ask<{ ms: number; bytes: number }>(client, { op: 'download', port: targets[name] });
    if (bytes !== MB * (1 << 20)) throw new Error(`${name}: got ${bytes} bytes`);
    const mbps = bytes / (1 << 20) / (ms / 1000);
    speeds[name].push(mbps);
    log(`${name}: ${MB} MB in ${(ms / 1000).toFixed(2)} s = ${mbps.toFixed(1)} MB/s`);
  }
}

const latencies: Record<keyof typeof targets, number[]> = { tunnel: [], sshL: [] };
for (const name of ['tunnel', 'sshL'] as const) {
  const { times } = await ask<{ times: number[] }>(client, { op: 'latency', port: targets[name], n: REQUESTS });
  latencies[name] = times;
  log(`${name}: ${REQUESTS} sequential requests (new connection each): p50 ${median(times).toFixed(2)} ms, p95 ${percentile(times, 95).toFixed(2)} ms, max ${Math.max(...times).toFixed(2)} ms, ${times.filter((t) => t > 35).length} over 35 ms`);
}

ssh.kill('SIGTERM');
await client.terminate();
await server.terminate();
tunnels.dispose();
connections.dispose();
pool.destroy();
await sim.close();
await sshd.stop();
await rm(work, { recursive: true, force: true });

const tunnelMBps = median(speeds.tunnel);
const sshLMBps = median(speeds.sshL);
const tunnelP95Ms = percentile(latencies.tunnel, 95);
const sshLP95Ms = percentile(latencies.sshL, 95);
log(`throughput: ${(tunnelMBps / sshLMBps).toFixed(2)} × ssh -L (goal ≥ 0.9); p95 latency: ${(tunnelP95Ms / sshLP95Ms).toFixed(2)} × ssh -L (goal ≤ 2)`);
console.log(
  JSON.stringify({
    tunnelMBps: round(tunnelMBps),
    sshLMBps: round(sshLMBps),
    tunnelP95Ms: round(tunnelP95Ms),
    sshLP95Ms: round(sshLP95Ms),
    tunnelP50Ms: round(median(latencies.tunnel)),
    sshLP50Ms: round(median(latencies.sshL)),
    throughputRatio: round(tunnelMBps / sshLMBps),
    p95Ratio: round(tunnelP95Ms / sshLP95Ms),
  }),
);
process.exit(0);
