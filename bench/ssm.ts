/**
 * npm run bench:ssm: a shell through Session Manager against the same shell through SSH, both through the
 * terminal service (the path a terminal tab takes), in one run.
 *
 * (a) Keystroke echo: 300 keystrokes each way, service write → (SSM: data channel → simulated agent → pty |
 *     SSH: ssh2 → sshd → pty) → the echo's terminal.data event. p50 / p95.
 * (b) 50 MB of shell output (`head -c 37M /dev/urandom | base64`) to the last byte's event, acknowledged as it
 *     arrives, ROUNDS times with the order flipped every round; medians.
 * The SSM side's agent is the simulator's (bench/ssm-sim-process.ts, its own process; a python3 pty relay
 * runs the shell), so its figures say what Hangar's data-channel client costs, not what AWS's path costs.
 * Required: ssmEchoP95Ms ≤ 2 × sshEchoP95Ms + 5. Informational lines go to stderr; the last stdout line is JSON.
 */
import { fork } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventHub } from '../src/main/services/app/event-hub';
import { createAwsClientPool } from '../src/main/services/aws/aws-client-pool';
import { createEc2Service } from '../src/main/services/ec2/ec2-service';
import { createSsmSessionApi } from '../src/main/services/keyless/ssm/ssm-session-api';
import { createSsmTerminalOpener } from '../src/main/services/keyless/ssm/ssm-terminal-channel';
import { silentLogger } from '../src/main/services/logging/logger';
import { createSettingsFileBackend } from '../src/main/services/settings/settings-file-backend';
import { createSettingsStore } from '../src/main/services/settings/settings-store';
import { createTerminalService } from '../src/main/services/ssh/create-terminal-service';
import type { Events } from '../src/shared/ipc/contract';
import type { TerminalDataEvent } from '../src/shared/models/ssh';
import { startSshd } from '../test/support/sshd';
import { stubKeyStore } from '../test/support/stub-key-store';

const KEYSTROKES = 300;
const ROUNDS = Number(process.env.BENCH_RUNS ?? 3);
const STREAM_COMMAND = 'head -c 37M /dev/urandom | base64';
const log = (line: string): void => void process.stderr.write(`${line}\n`);
const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const round = (n: number): number => Math.round(n * 100) / 100;
const tailText = (data: Uint8Array): string => Buffer.from(data.buffer, data.byteOffset, data.byteLength).subarray(-64).toString('latin1');

const work = await mkdtemp(join(tmpdir(), 'hangar-bench-ssm-'));
const home = join(work, 'home');
await mkdir(home);
const sshd = await startSshd({ extraConfig: [`SetEnv HOME=${home}`] });
const simProcess = fork(join(process.cwd(), 'bench', 'ssm-sim-process.ts'), [], { execArgv: ['--import', 'tsx'] });
type SimInfo = { url: string; instanceId: string; accessKeyId: string; secretAccessKey: string };
const sim = await new Promise<SimInfo>((resolve, reject) => {
  simProcess.once('message', (message) => resolve(message as SimInfo));
  simProcess.once('exit', (code) => reject(new Error(`the EC2 simulator exited with ${code}`)));
});
const pool = createAwsClientPool({
  credentialsFor: () => async () => ({ accessKeyId: sim.accessKeyId, secretAccessKey: sim.secretAccessKey }),
  endpoint: sim.url,
});
const ec2 = createEc2Service({ clientsFor: (id) => pool.clientsFor(id) });
const events = createEventHub<Events>();
const terminals = createTerminalService({
  settings: createSettingsStore(createSettingsFileBackend(join(work, 'settings'))),
  keys: stubKeyStore(sshd.userPrivateKey),
  ec2,
  events,
  logger: silentLogger,
  userCandidates: () => [sshd.username],
  openSsmTerminal: createSsmTerminalOpener({
    api: createSsmSessionApi({ clientsFor: (id) => pool.clientsFor(id) }),
    describeInstance: (a, r, i, s) => ec2.describeInstance(a, r, i, s),
  }),
});
terminals.setOverride(sim.instanceId, { host: `127.0.0.1:${sshd.port}` });

const sinks = new Map<string, (event: TerminalDataEvent) => void>();
events.subscribe((name, payload) => {
  if (name !== 'terminal.data') return;
  const event = payload as TerminalDataEvent;
  terminals.ack(event.sessionId, event.bytes);
  sinks.get(event.sessionId)?.(event);
});
const waitFor = async (check: () => boolean, ms: number, what: string): Promise<void> => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
};

interface Side {
  readonly name: 'ssm' | 'ssh';
  readonly sid: string;
  text: string;
}

async function openSide(name: 'ssm' | 'ssh'): Promise<Side> {
  const session = await terminals.open({
    accountId: 'bench',
    region: 'us-east-1',
    instanceId: sim.instanceId,
    cols: 120,
    rows: 40,
    ...(name === 'ssm' ? { access: 'session-manager' as const } : { acceptHostKey: sshd.hostKeyFingerprintSha256 }),
  });
  const side: Side = { name, sid: session.sessionId, text: '' };
  sinks.set(side.sid, (event) => {
    side.text = (side.text + tailText(event.data)).slice(-4096);
  });
  await new Promise((r) => setTimeout(r, 500));
  return side;
}

async function echo(side: Side): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < KEYSTROKES; i += 1) {
    const char = String.fromCharCode(97 + (i % 26));
    const before = side.text;
    const started = performance.now();
    terminals.write(side.sid, char);
    await waitFor(() => side.text !== before && side.text.slice(-8).includes(char), 5000, `${side.name} echo`);
    latencies.push(performance.now() - started);
    if (i % 60 === 59) {
      terminals.write(side.sid, '\u0015');
      await new Promise((r) => setTimeout(r, 30));
    }
  }
  terminals.write(side.sid, '\u0015');
  log(`${side.name} echo: p50 ${percentile(latencies, 50).toFixed(2)} ms, p95 ${percentile(latencies, 95).toFixed(2)} ms`);
  return latencies;
}

async function stream(side: Side): Promise<number> {
  await new Promise((r) => setTimeout(r, 200));
  let bytes = 0;
  let done = false;
  let tail = '';
  sinks.set(side.sid, (event) => {
    bytes += event.bytes;
    tail = (tail + tailText(event.data)).slice(-128);
    if (tail.includes('HANGAR_BENCH_DONE')) done = true;
  });
  const started = performance.now();
  terminals.write(side.sid, `${STREAM_COMMAND}; echo HANGAR_BENCH_''DONE\r`);
  await waitFor(() => done, 600_000, `${side.name} 50 MB`);
  const ms = performance.now() - started;
  log(`  ${side.name}: ${(ms / 1000).toFixed(2)} s for ${(bytes / 1e6).toFixed(1)} MB`);
  return ms;
}

const ssm = await openSide('ssm');
const ssh = await openSide('ssh');
const sshEcho = await echo(ssh);
const ssmEcho = await echo(ssm);
const ssmMs: number[] = [];
const sshMs: number[] = [];
for (let r = 0; r < ROUNDS; r += 1) {
  log(`round ${r + 1} of ${ROUNDS}`);
  if (r % 2 === 0) {
    ssmMs.push(await stream(ssm));
    sshMs.push(await stream(ssh));
  } else {
    sshMs.push(await stream(ssh));
    ssmMs.push(await stream(ssm));
  }
}
await terminals.close(ssm.sid);
await terminals.close(ssh.sid);
terminals.dispose();
pool.destroy();
simProcess.disconnect();
await sshd.stop();
await rm(work, { recursive: true, force: true });
const ssmEchoP95Ms = round(percentile(ssmEcho, 95));
const sshEchoP95Ms = round(percentile(sshEcho, 95));
log(`required: ssmEchoP95Ms ${ssmEchoP95Ms} ≤ ${round(2 * sshEchoP95Ms + 5)} — ${ssmEchoP95Ms <= 2 * sshEchoP95Ms + 5 ? 'met' : 'NOT met'}`);
console.log(
  JSON.stringify({
    ssmEchoP95Ms,
    sshEchoP95Ms,
    ssm50MBMs: Math.round(percentile(ssmMs, 50)),
    ssh50MBMs: Math.round(percentile(sshMs, 50)),
    ssmEchoP50Ms: round(percentile(ssmEcho, 50)),
    sshEchoP50Ms: round(percentile(sshEcho, 50)),
    rounds: ROUNDS,
  }),
);
process.exit(0);
