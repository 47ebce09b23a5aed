/**
 * npm run bench:terminal
 *
 * (a) Keystroke echo latency over 300 keystrokes: service write → ssh2 → sshd → the login shell's echo →
 *     terminal.data event → parsed into an xterm buffer (@xterm/headless, the same parser the app's xterm uses).
 * (b) Time to stream 50 MB of shell output (`head -c 37M /dev/urandom | base64`) through the service into that
 *     xterm buffer, acknowledging bytes as xterm finishes them (the app's flow control), with the peak RSS
 *     of this process (the service) sampled every 20 ms. As in the app, xterm runs in another process
 *     (bench/xterm-sink.cjs) and batches cross a serialising channel to reach it.
 * (c) The floor: the same output through OpenSSH `ssh host …` to /dev/null, in the same run.
 *
 * What this does not measure: the bridge and Chromium's painting. Those are covered by the E2E tests for
 * correctness; the hot path they add is one WebSocket frame per ~16 ms batch.
 * Informational lines go to stderr; the last line on stdout is one JSON object.
 */
import { fork, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventHub } from '../src/main/services/app/event-hub';
import { createAwsClientPool } from '../src/main/services/aws/aws-client-pool';
import { createEc2Service } from '../src/main/services/ec2/ec2-service';
import { silentLogger } from '../src/main/services/logging/logger';
import { createSettingsFileBackend } from '../src/main/services/settings/settings-file-backend';
import { createSettingsStore } from '../src/main/services/settings/settings-store';
import { createTerminalService } from '../src/main/services/ssh/create-terminal-service';
import type { Events } from '../src/shared/ipc/contract';
import type { TerminalDataEvent } from '../src/shared/models/ssh';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator } from '../test/support/ec2-simulator/index';
import { startSshd } from '../test/support/sshd';
import { stubKeyStore } from '../test/support/stub-key-store';

const KEYSTROKES = 300;
const log = (line: string): void => void process.stderr.write(`${line}\n`);
const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const round = (n: number): number => Math.round(n * 100) / 100;

const work = await mkdtemp(join(tmpdir(), 'hangar-bench-terminal-'));
const home = join(work, 'home');
await import('node:fs/promises').then((fs) => fs.mkdir(home));
const sshd = await startSshd({ extraConfig: [`SetEnv HOME=${home}`] });
const sim = await startEc2Simulator();
const pool = createAwsClientPool({
  credentialsFor: () => async () => ({ accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }),
  endpoint: sim.url,
});
const keys = stubKeyStore(sshd.userPrivateKey);
const events = createEventHub<Events>();
const settings = createSettingsStore(createSettingsFileBackend(join(work, 'settings')));
const terminals = createTerminalService({
  settings,
  keys,
  ec2: createEc2Service({ clientsFor: (id) => pool.clientsFor(id) }),
  events,
  logger: silentLogger,
  userCandidates: () => [sshd.username],
});
const instanceId = sim.addInstance('us-east-1', { publicIp: '203.0.113.7', keyName: 'bench' });
terminals.setOverride(instanceId, { host: `127.0.0.1:${sshd.port}` });

const renderer = fork(new URL('./xterm-sink.cjs', import.meta.url).pathname, [], { serialization: 'advanced' });
let onDrained: (() => void) | undefined;
renderer.on('message', (message: { t: 'ack'; bytes: number } | { t: 'drained' }) => {
  if (message.t === 'ack') terminals.ack(sid, message.bytes);
  else onDrained?.();
});
const toXterm = (event: TerminalDataEvent): void => {
  renderer.send({ t: 'data', data: event.data, bytes: event.bytes });
};
let onData: ((event: TerminalDataEvent) => void) | undefined;
events.subscribe((name, payload) => {
  if (name === 'terminal.data') onData?.(payload as TerminalDataEvent);
});

const session = await terminals.open({
  accountId: 'bench',
  region: 'us-east-1',
  instanceId,
  cols: 120,
  rows: 40,
  acceptHostKey: sshd.hostKeyFingerprintSha256,
});
const sid = session.sessionId;

// Route output into xterm, acknowledging what it has parsed (what the renderer does).
let text = '';
onData = (event) => {
  text += event.data;
  if (text.length > 4096) text = text.slice(-4096);
  toXterm(event);
};
const waitFor = async (check: () => boolean, ms: number, what: string): Promise<void> => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
};
await new Promise((r) => setTimeout(r, 500));

// (a) echo latency
const latencies: number[] = [];
for (let i = 0; i < KEYSTROKES; i += 1) {
  const char = String.fromCharCode(97 + (i % 26));
  const mark = text.length;
  const before = text;
  const started = performance.now();
  terminals.write(sid, char);
  await waitFor(() => text !== before && text.slice(Math.max(0, mark - 1)).includes(char), 5000, 'echo');
  latencies.push(performance.now() - started);
  if (i % 60 === 59) {
    terminals.write(sid, '\u0015'); // Ctrl-U: keep the line short
    await new Promise((r) => setTimeout(r, 30));
  }
}
terminals.write(sid, '\u0015');
log(`echo: p50 ${percentile(latencies, 50).toFixed(2)} ms, p95 ${percentile(latencies, 95).toFixed(2)} ms over ${KEYSTROKES} keystrokes`);

// (b) 50 MB of output into xterm
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);
let streamed = 0;
let done = false;
onData = (event) => {
  streamed += event.bytes;
  text += event.data;
  if (text.length > 4096) text = text.slice(-4096);
  if (text.includes('HANGAR_BENCH_DONE')) done = true;
  toXterm(event);
};
await new Promise((r) => setTimeout(r, 200));
text = '';
const streamStarted = performance.now();
// The marker is split in the command line so only its output, not the echoed command, completes it.
terminals.write(sid, "head -c 37M /dev/urandom | base64; echo HANGAR_BENCH_''DONE\r");
await waitFor(() => done, 600_000, 'the 50 MB stream');
await new Promise<void>((resolve) => {
  onDrained = resolve;
  renderer.send({ t: 'drain' });
});
const render50MBMs = performance.now() - streamStarted;
clearInterval(sampler);
log(`50 MB: ${(render50MBMs / 1000).toFixed(2)} s through the service into xterm (${(streamed / 1e6).toFixed(1)} MB), peak RSS ${(peakRss / 1048576).toFixed(0)} MB`);

await terminals.close(sid);
terminals.dispose();
renderer.kill();

// (c) OpenSSH floor
const keyPath = join(work, 'id');
await writeFile(keyPath, sshd.userPrivateKey, { mode: 0o600 });
const floorStarted = performance.now();
await new Promise<void>((resolve, reject) => {
  const child = spawn(
    'ssh',
    ['-i', keyPath, '-p', String(sshd.port), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', `${sshd.username}@127.0.0.1`, 'head -c 37M /dev/urandom | base64'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ssh exited with ${code}`))));
});
const opensshFloorMs = performance.now() - floorStarted;
log(`OpenSSH floor: ${(opensshFloorMs / 1000).toFixed(2)} s; Hangar is ${(render50MBMs / opensshFloorMs).toFixed(2)} × the floor`);

pool.destroy();
await sim.close();
await sshd.stop();
await rm(work, { recursive: true, force: true });

console.log(
  JSON.stringify({
    echoP50Ms: round(percentile(latencies, 50)),
    echoP95Ms: round(percentile(latencies, 95)),
    render50MBMs: Math.round(render50MBMs),
    opensshFloorMs: Math.round(opensshFloorMs),
    peakRssMB: Math.round(peakRss / 1048576),
    ratioToFloor: round(render50MBMs / opensshFloorMs),
  }),
);
process.exit(0);
