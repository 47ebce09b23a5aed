/**
 * npm run bench:terminal (bench/terminal.ts bundles this file and runs it under plain node, as the app runs
 * its bundled main process: see there why).
 *
 * (a) Keystroke echo latency over 300 keystrokes at the service: service write → ssh2 → sshd → the login
 *     shell's echo → terminal.data event → parsed into an xterm buffer (@xterm/headless, the parser the app's
 *     xterm uses).
 * (b) Time to stream 50 MB of shell output (`head -c 37M /dev/urandom | base64`) through the service into that
 *     xterm buffer, acknowledging bytes as xterm finishes them (the app's flow control), with the peak RSS
 *     of this process (the service) sampled every 20 ms. As in the app, xterm runs in another process
 *     (bench/xterm-sink.cjs) and batches cross a serialising channel to reach it, as bytes.
 * (c) The floor: the same output through OpenSSH `ssh host …` to /dev/null; and, for reference, through
 *     `ssh -tt host …` (a pty on the server, as every terminal has: see bench/README.md, "terminal").
 *     (b) and (c) run ROUNDS times, interleaved (the order flips every round), reported as min / median / max;
 *     the ratio is median over median.
 * (d) The whole keystroke path in Chromium (bench/terminal-full-echo.ts): key typed → bridge → service → sshd
 *     → echo parsed and painted by the app's xterm, 300 keystrokes. Runs after (b), so it does not count in
 *     the peak RSS of the service.
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
import { startSshd } from '../test/support/sshd';
import { stubKeyStore } from '../test/support/stub-key-store';

/** This file runs from a bundle elsewhere: its neighbours are found from the repository root. */
const BENCH_DIR = join(process.cwd(), 'bench');
const KEYSTROKES = 300;
const ROUNDS = 5;
const STREAM_COMMAND = 'head -c 37M /dev/urandom | base64';
const log = (line: string): void => void process.stderr.write(`${line}\n`);
const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const round = (n: number): number => Math.round(n * 100) / 100;
const spread = (values: number[]): { min: number; median: number; max: number } => ({
  min: Math.round(Math.min(...values)),
  median: Math.round(percentile(values, 50)),
  max: Math.round(Math.max(...values)),
});
/** The last bytes of a batch as text: enough to spot a marker, without decoding 50 MB in the bench itself. */
const tailText = (data: Uint8Array): string => Buffer.from(data.buffer, data.byteOffset, data.byteLength).subarray(-64).toString('latin1');

const work = await mkdtemp(join(tmpdir(), 'hangar-bench-terminal-'));
const home = join(work, 'home');
await import('node:fs/promises').then((fs) => fs.mkdir(home));
const sshd = await startSshd({ extraConfig: [`SetEnv HOME=${home}`] });
// The simulator runs in a process of its own (bench/ec2-sim-process.ts): AWS is not part of the service's memory.
const simProcess = fork(join(BENCH_DIR, 'ec2-sim-process.ts'), [], { execArgv: ['--import', 'tsx'] });
type SimInfo = { url: string; instanceId: string; accessKeyId: string; secretAccessKey: string };
const sim = await new Promise<SimInfo>((resolve, reject) => {
  simProcess.once('message', (message) => resolve(message as SimInfo));
  simProcess.once('exit', (code) => reject(new Error(`the EC2 simulator exited with ${code}`)));
});
const pool = createAwsClientPool({
  credentialsFor: () => async () => ({ accessKeyId: sim.accessKeyId, secretAccessKey: sim.secretAccessKey }),
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
const instanceId = sim.instanceId;
terminals.setOverride(instanceId, { host: `127.0.0.1:${sshd.port}` });

const renderer = fork(join(BENCH_DIR, 'xterm-sink.cjs'), [], { serialization: 'advanced' });
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
  text = (text + tailText(event.data)).slice(-4096);
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

// (b) 50 MB of output into xterm, and (c) the floors, interleaved.
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);
let streamed = 0;
let done = false;
onData = (event) => {
  streamed += event.bytes;
  text = (text + tailText(event.data)).slice(-128);
  if (text.includes('HANGAR_BENCH_DONE')) done = true;
  toXterm(event);
};
const hangarStream = async (): Promise<number> => {
  await new Promise((r) => setTimeout(r, 200));
  text = '';
  done = false;
  streamed = 0;
  const started = performance.now();
  // The marker is split in the command line so only its output, not the echoed command, completes it.
  terminals.write(sid, `${STREAM_COMMAND}; echo HANGAR_BENCH_''DONE\r`);
  await waitFor(() => done, 600_000, 'the 50 MB stream');
  await new Promise<void>((resolve) => {
    onDrained = resolve;
    renderer.send({ t: 'drain' });
  });
  const ms = performance.now() - started;
  log(`  Hangar: ${(ms / 1000).toFixed(2)} s through the service into xterm (${(streamed / 1e6).toFixed(1)} MB)`);
  return ms;
};
const keyPath = join(work, 'id');
await writeFile(keyPath, sshd.userPrivateKey, { mode: 0o600 });
const openssh = async (pty: boolean): Promise<number> => {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      'ssh',
      [...(pty ? ['-tt'] : []), '-i', keyPath, '-p', String(sshd.port), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', `${sshd.username}@127.0.0.1`, STREAM_COMMAND],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ssh exited with ${code}`))));
  });
  const ms = performance.now() - started;
  log(`  OpenSSH${pty ? ' -tt' : ''}: ${(ms / 1000).toFixed(2)} s to /dev/null`);
  return ms;
};
const hangarMs: number[] = [];
const floorMs: number[] = [];
const ptyFloorMs: number[] = [];
for (let r = 0; r < ROUNDS; r += 1) {
  log(`round ${r + 1} of ${ROUNDS}`);
  if (r % 2 === 0) {
    hangarMs.push(await hangarStream());
    floorMs.push(await openssh(false));
    ptyFloorMs.push(await openssh(true));
  } else {
    ptyFloorMs.push(await openssh(true));
    floorMs.push(await openssh(false));
    hangarMs.push(await hangarStream());
  }
}
clearInterval(sampler);
const ratio = percentile(hangarMs, 50) / percentile(floorMs, 50);
log(`50 MB: Hangar ${JSON.stringify(spread(hangarMs))} ms, OpenSSH ${JSON.stringify(spread(floorMs))} ms, OpenSSH -tt ${JSON.stringify(spread(ptyFloorMs))} ms; Hangar is ${ratio.toFixed(2)} × the floor; peak RSS ${(peakRss / 1048576).toFixed(0)} MB`);

await terminals.close(sid);
terminals.dispose();
renderer.kill();
pool.destroy();
simProcess.disconnect();
await sshd.stop();

// (d) the whole keystroke path, in Chromium. Loaded only now: the browser driver is not part of the service.
const { measureFullEcho } = await import('./terminal-full-echo');
const fullEcho = await measureFullEcho(KEYSTROKES, log);
log(`full echo: parsed p50 ${percentile(fullEcho.parsedMs, 50).toFixed(2)} / p95 ${percentile(fullEcho.parsedMs, 95).toFixed(2)} ms, painted p50 ${percentile(fullEcho.paintedMs, 50).toFixed(2)} / p95 ${percentile(fullEcho.paintedMs, 95).toFixed(2)} ms`);
await rm(work, { recursive: true, force: true });

console.log(
  JSON.stringify({
    echoP50Ms: round(percentile(latencies, 50)),
    echoP95Ms: round(percentile(latencies, 95)),
    fullEchoP50Ms: round(percentile(fullEcho.paintedMs, 50)),
    fullEchoP95Ms: round(percentile(fullEcho.paintedMs, 95)),
    fullEchoParsedP95Ms: round(percentile(fullEcho.parsedMs, 95)),
    rounds: ROUNDS,
    render50MBMs: spread(hangarMs),
    opensshFloorMs: spread(floorMs),
    opensshPtyFloorMs: spread(ptyFloorMs),
    peakRssMB: Math.round(peakRss / 1048576),
    ratioToFloor: round(ratio),
    ratioToPtyFloor: round(percentile(hangarMs, 50) / percentile(ptyFloorMs, 50)),
  }),
);
process.exit(0);
