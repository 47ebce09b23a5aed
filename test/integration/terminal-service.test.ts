import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect as netConnect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEventHub } from '../../src/main/services/app/event-hub';
import { createAwsClientPool, type AwsClientPool } from '../../src/main/services/aws/aws-client-pool';
import { createEc2Service, type Ec2Service } from '../../src/main/services/ec2/ec2-service';
import { silentLogger } from '../../src/main/services/logging/logger';
import { createSettingsFileBackend } from '../../src/main/services/settings/settings-file-backend';
import { createSettingsStore, type SettingsStore } from '../../src/main/services/settings/settings-store';
import { createTerminalService, type TerminalServiceDeps } from '../../src/main/services/ssh/create-terminal-service';
import { defaultUsers } from '../../src/main/services/ssh/default-users';
import type { TerminalService } from '../../src/main/services/ssh/terminal-service';
import type { Events } from '../../src/shared/ipc/contract';
import type { TerminalClosedEvent, TerminalDataEvent } from '../../src/shared/models/ssh';
import { caught } from '../support/caught';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';
import { generateKeyPair, startSshd, type Sshd } from '../support/sshd';
import { isolateAwsEnv } from '../support/isolated-aws-env';
import { stubKeyStore } from '../support/stub-key-store';

const REGION = 'eu-west-1';
const ACCOUNT = 'acct-main';
const KEY_PAIR = 'hangar-test';
const UBUNTU_AMI = 'ami-0ubuntu000000001';

let restoreEnv: () => void = () => undefined;

let sshd: Sshd;
let sim: Ec2Simulator;
let pool: AwsClientPool;
let ec2: Ec2Service;
let work: string;
let tmuxDir: string;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  restoreEnv = isolateAwsEnv();
  work = await mkdtemp(join(tmpdir(), 'hangar-terminal-'));
  tmuxDir = await mkdtemp(join(tmpdir(), 'hangar-tmux-'));
  const home = await mkdtemp(join(tmpdir(), 'hangar-home-'));
  // Our own HOME and tmux socket dir: the persistent-session test must not meet anybody else's tmux server.
  sshd = await startSshd({ extraConfig: [`SetEnv HOME=${home} TMUX_TMPDIR=${tmuxDir}`] });
  sim = await startEc2Simulator();
  sim.setImageName(UBUNTU_AMI, 'ubuntu/images/hvm-ssd/ubuntu-noble-24.04-amd64-server-20240423');
  pool = createAwsClientPool({
    credentialsFor: () => async () => ({ accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }),
    endpoint: sim.url,
  });
  ec2 = createEc2Service({ clientsFor: (id) => pool.clientsFor(id) });
  cleanups.push(() => rm(home, { recursive: true, force: true }));
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await promisify(execFile)('tmux', ['kill-server'], { env: { ...process.env, TMUX_TMPDIR: tmuxDir } }).catch(() => undefined);
  pool?.destroy();
  await sim?.close();
  await sshd?.stop();
  await rm(work, { recursive: true, force: true });
  await rm(tmuxDir, { recursive: true, force: true });
  restoreEnv();
});

interface Rig {
  svc: TerminalService;
  settings: SettingsStore;
  data: TerminalDataEvent[];
  closed: TerminalClosedEvent[];
  output(sessionId: string): string;
  instanceId: string;
}

let counter = 0;

async function rig(options: {
  deps?: Partial<TerminalServiceDeps>;
  privateKey?: string;
  instance?: Parameters<Ec2Simulator['addInstance']>[1];
  host?: string | null;
  persistent?: boolean;
} = {}): Promise<Rig> {
  const dir = join(work, `settings-${counter++}`);
  const settings = createSettingsStore(createSettingsFileBackend(dir));
  // Not what is under test: hands out the rig's user key for the key pair "hangar-test".
  const keys = stubKeyStore(options.privateKey ?? sshd.userPrivateKey, KEY_PAIR);
  const events = createEventHub<Events>();
  const data: TerminalDataEvent[] = [];
  const closed: TerminalClosedEvent[] = [];
  events.subscribe((name, payload) => {
    if (name === 'terminal.data') data.push(payload as TerminalDataEvent);
    if (name === 'terminal.closed') closed.push(payload as TerminalClosedEvent);
  });
  const svc = createTerminalService({
    settings,
    keys,
    ec2,
    events,
    logger: silentLogger,
    userCandidates: () => [sshd.username],
    refusedRetryMs: 0,
    ...options.deps,
  });
  cleanups.push(() => svc.dispose());
  const instanceId = sim.addInstance(REGION, { publicIp: '203.0.113.10', keyName: KEY_PAIR, name: 'web-1', ...options.instance });
  if (options.host !== null) {
    svc.setOverride(instanceId, { host: options.host ?? `127.0.0.1:${sshd.port}`, ...(options.persistent ? { persistent: true } : {}) });
  }
  return {
    svc,
    settings,
    data,
    closed,
    instanceId,
    output: (sessionId) =>
      Buffer.concat(data.filter((d) => d.sessionId === sessionId).map((d) => d.data)).toString('utf8'),
  };
}

function openInput(r: Rig, extra: { acceptHostKey?: string } = { acceptHostKey: sshd.hostKeyFingerprintSha256 }) {
  return { accountId: ACCOUNT, region: REGION, instanceId: r.instanceId, cols: 80, rows: 24, ...extra };
}

async function waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function caughtSync(run: () => unknown): { code?: string } {
  try {
    run();
  } catch (error) {
    return error as { code?: string };
  }
  throw new Error('expected an error');
}

/** The rig's sshd runs on this machine as this user: its shells are local processes. */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function listen(server: Server, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

describe('terminal service against a real sshd', () => {
  it('opens a shell, runs a command and follows a resize', async () => {
    const r = await rig();
    const session = await r.svc.open(openInput(r));
    expect(session.user).toBe(sshd.username);
    expect(session.title).toBe(`web-1 — ${sshd.username}`);
    expect(session.hostKey).toEqual({ fingerprintSha256: sshd.hostKeyFingerprintSha256, verifiedBy: 'user' });
    expect(r.settings.get().hostKeys[r.instanceId]?.verifiedBy).toBe('user');

    r.svc.write(session.sessionId, 'echo hello-$((6*7))\r');
    await waitFor(() => r.output(session.sessionId).includes('hello-42'), 'hello-42');
    expect(r.output(session.sessionId)).not.toContain('HangarTty');

    r.svc.resize(session.sessionId, 120, 40);
    r.svc.write(session.sessionId, 'echo size-$(stty size | tr " " x)\r');
    await waitFor(() => r.output(session.sessionId).includes('size-40x120'), 'stty size 40 120');

    // Multibyte characters survive chunking.
    r.svc.write(session.sessionId, "printf 'z\\303\\251\\342\\202\\254-%s\\n' done\r");
    await waitFor(() => r.output(session.sessionId).includes('zé€-done'), 'utf-8 output');

    expect(await r.svc.busy(session.sessionId)).toBe(false);
    r.svc.write(session.sessionId, 'sleep 3\r');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await r.svc.busy(session.sessionId)).toBe(true);

    await r.svc.close(session.sessionId);
    await waitFor(() => r.closed.find((c) => c.sessionId === session.sessionId), 'closed event');
    expect(r.closed[0]?.reason).toBe('closed');
  });

  it('reports the exit of the shell with its code', async () => {
    const r = await rig();
    const session = await r.svc.open(openInput(r));
    r.svc.write(session.sessionId, 'exit 3\r');
    const closed = await waitFor(() => r.closed.find((c) => c.sessionId === session.sessionId), 'exit');
    expect(closed).toMatchObject({ reason: 'exit', exitCode: 3 });
  });

  it('shares one connection between tabs of an instance', async () => {
    const r = await rig();
    const a = await r.svc.open(openInput(r));
    const b = await r.svc.open(openInput(r));
    r.svc.write(b.sessionId, 'echo tab-$((1+1))\r');
    await waitFor(() => r.output(b.sessionId).includes('tab-2'), 'tab b');
    // sshd forks one process per connection: both shells share one parent sshd.
    r.svc.write(a.sessionId, 'echo pp-$(ps -o ppid= -p $PPID | tr -d " ")\r');
    r.svc.write(b.sessionId, 'echo pp-$(ps -o ppid= -p $PPID | tr -d " ")\r');
    const pp = (id: string) => /pp-(\d+)/.exec(r.output(id))?.[1];
    await waitFor(() => pp(a.sessionId) && pp(b.sessionId), 'parents');
    expect(pp(a.sessionId)).toBe(pp(b.sessionId));
  });

  it('names the users and key tried when authentication fails', async () => {
    const other = await generateKeyPair('ed25519');
    const r = await rig({ privateKey: other.privateKey, deps: { userCandidates: () => ['ubuntu', sshd.username] } });
    const error = await caught(r.svc.open(openInput(r)));
    expect(error.code).toBe('SSH_AUTH_FAILED');
    expect(error.message).toContain('ubuntu');
    expect(error.message).toContain(sshd.username);
    expect(error.message).toContain(KEY_PAIR);
    expect(error.hint).toBeTruthy();
  });

  it('tries the AMI candidates in turn and remembers the user that worked', async () => {
    // The AMI's own candidates (ubuntu first, read from DescribeImages), with the rig's user appended as the last resort.
    const seen: (string | undefined)[] = [];
    const r2 = await rig({
      instance: { imageId: UBUNTU_AMI },
      deps: {
        userCandidates: (name) => {
          seen.push(name);
          return [...defaultUsers(name).slice(0, 2), sshd.username];
        },
      },
    });
    const session = await r2.svc.open(openInput(r2));
    expect(session.user).toBe(sshd.username);
    expect(seen[0]).toContain('ubuntu-noble');
    expect(defaultUsers(seen[0])[0]).toBe('ubuntu');
    expect(r2.settings.get().connections[r2.instanceId]?.rememberedUser).toBe(sshd.username);
  });

  it('blocks an unknown host key until the user accepts that exact fingerprint', async () => {
    const r = await rig();
    const error = await caught(r.svc.open(openInput(r, {})));
    expect(error.code).toBe('SSH_HOST_KEY_UNKNOWN');
    expect(error.details).toMatchObject({ fingerprintSha256: sshd.hostKeyFingerprintSha256, keyType: 'ssh-ed25519' });
    expect(r.settings.get().hostKeys[r.instanceId]).toBeUndefined();

    const wrong = await caught(r.svc.open(openInput(r, { acceptHostKey: 'SHA256:somethingelse' })));
    expect(wrong.code).toBe('SSH_HOST_KEY_UNKNOWN');

    const session = await r.svc.open(openInput(r, { acceptHostKey: sshd.hostKeyFingerprintSha256 }));
    expect(session.hostKey.verifiedBy).toBe('user');
    // Pinned now: later connections need no acceptance. (Drop every connection first: a reused one would
    // report how it was verified when it was made.)
    await r.svc.close(session.sessionId);
    r.svc.dispose();
    expect(r.settings.get().hostKeys[r.instanceId]).toMatchObject({ verifiedBy: 'user', fingerprintSha256: sshd.hostKeyFingerprintSha256 });
    const again = await r.svc.open(openInput(r, {}));
    expect(again.hostKey.verifiedBy).toBe('pinned');
  });

  it('accepts a key the console output vouches for, silently, and blocks one it contradicts', async () => {
    const good = await rig();
    sim.setConsoleOutput(
      good.instanceId,
      [
        'ec2: #############################################################',
        'ec2: -----BEGIN SSH HOST KEY FINGERPRINTS-----',
        'ec2: 256 SHA256:AAAAtherealoneisnotthisAAAAAAAAAAAAAAAAAAA root@ip-172-31-0-1 (ECDSA)',
        `ec2: 256 ${sshd.hostKeyFingerprintSha256} root@ip-172-31-0-1 (ED25519)`,
        'ec2: -----END SSH HOST KEY FINGERPRINTS-----',
        'ec2: #############################################################',
      ].join('\n'),
    );
    const session = await good.svc.open(openInput(good, {}));
    expect(session.hostKey.verifiedBy).toBe('console-output');
    expect(good.settings.get().hostKeys[good.instanceId]).toMatchObject({ verifiedBy: 'console-output', fingerprintSha256: sshd.hostKeyFingerprintSha256 });

    const bad = await rig();
    sim.setConsoleOutput(
      bad.instanceId,
      '-----BEGIN SSH HOST KEY FINGERPRINTS-----\n256 SHA256:Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmE root@x (ED25519)\n-----END SSH HOST KEY FINGERPRINTS-----\n',
    );
    // Not even an explicit acceptance overrides AWS's own record.
    const error = await caught(bad.svc.open(openInput(bad)));
    expect(error.code).toBe('SSH_HOST_KEY_CHANGED');
    expect(error.message).toContain("console output");
    expect(bad.settings.get().hostKeys[bad.instanceId]).toBeUndefined();
  });

  it('says which key pair is missing, and when there is no public address', async () => {
    const noKey = await rig({ instance: { keyName: 'prod-2021' } });
    const missing = await caught(noKey.svc.open(openInput(noKey)));
    expect(missing.code).toBe('SSH_KEY_MISSING');
    expect(missing.message).toContain('"prod-2021"');
    expect(missing.hint).toContain('Accounts → SSH keys');

    const privateOnly = await rig({ instance: { publicIp: null }, host: null });
    const noAddress = await caught(privateOnly.svc.open(openInput(privateOnly)));
    expect(noAddress.code).toBe('SSH_NO_ADDRESS');
    expect(noAddress.hint).toContain('Elastic IP');
  });

  it('times out on a silent port, naming the security group', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((s) => sockets.push(s));
    const port = await listen(silent);
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const s of sockets) s.destroy();
          silent.close(() => resolve());
        }),
    );
    const r = await rig({ host: `127.0.0.1:${port}`, deps: { readyTimeoutMs: 800 } });
    const error = await caught(r.svc.open(openInput(r)));
    expect(error.code).toBe('SSH_TIMEOUT');
    expect(error.hint).toMatch(/port 22.*sg-/i);
  });

  it('retries a refused connection while the instance boots, and gives up after the budget', async () => {
    const probe = createServer();
    const port = await listen(probe);
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const quick = await rig({ host: `127.0.0.1:${port}`, deps: { refusedRetryMs: 1200 } });
    const startedAt = Date.now();
    const refused = await caught(quick.svc.open(openInput(quick)));
    expect(refused.code).toBe('SSH_CONNECT_REFUSED');
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(900);

    // "sshd comes up" 1 s later on that port: a forwarder to the rig's sshd.
    const forwarder = createServer((inbound) => {
      const outbound = netConnect(sshd.port, '127.0.0.1');
      inbound.pipe(outbound).pipe(inbound);
      inbound.on('error', () => outbound.destroy());
      outbound.on('error', () => inbound.destroy());
    });
    const timer = setTimeout(() => void listen(forwarder, port), 1000);
    cleanups.push(() => {
      clearTimeout(timer);
      return new Promise<void>((resolve) => forwarder.close(() => resolve()));
    });
    const patient = await rig({ host: `127.0.0.1:${port}`, deps: { refusedRetryMs: 15_000 } });
    const session = await patient.svc.open(openInput(patient));
    patient.svc.write(session.sessionId, 'echo up-$((2*2))\r');
    await waitFor(() => patient.output(session.sessionId).includes('up-4'), 'shell after retry');
    await patient.svc.close(session.sessionId);
    patient.svc.dispose();
  });

  it('stops reading when output is not acknowledged, and resumes on ack', async () => {
    const high = 64 * 1024;
    const r = await rig({ deps: { flow: { highWaterBytes: high, lowWaterBytes: 16 * 1024 } } });
    const session = await r.svc.open(openInput(r));
    const bytes = () => r.data.filter((d) => d.sessionId === session.sessionId).reduce((n, d) => n + d.bytes, 0);
    r.svc.write(session.sessionId, 'head -c 8000000 /dev/zero | base64; echo DONE-$((1+1))\r');
    await waitFor(() => bytes() >= high, 'first window');
    await new Promise((resolve) => setTimeout(resolve, 800));
    const stalled = bytes();
    // One SSH packet (32 KiB) may land after the threshold is crossed; nothing more.
    expect(stalled).toBeLessThan(high + 64 * 1024);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bytes()).toBe(stalled);

    let acked = 0;
    await waitFor(
      () => {
        const total = bytes();
        if (total > acked) {
          r.svc.ack(session.sessionId, total - acked);
          acked = total;
        }
        return r.output(session.sessionId).includes('DONE-2');
      },
      'all output after acks',
      60_000,
    );
    expect(bytes()).toBeGreaterThan(10_000_000);
  });

  it('reports a dropped link as lost and reconnects under the same session id', async () => {
    const r = await rig();
    const session = await r.svc.open(openInput(r));
    r.svc.write(session.sessionId, 'echo first-$((1+1))\r');
    await waitFor(() => r.output(session.sessionId).includes('first-2'), 'first');
    await sshd.dropConnections();
    const lost = await waitFor(() => r.closed.find((c) => c.sessionId === session.sessionId), 'lost event');
    expect(lost.reason).toBe('lost');

    const again = await r.svc.reconnect(session.sessionId, 100, 30);
    expect(again.sessionId).toBe(session.sessionId);
    r.svc.write(session.sessionId, 'echo second-$(stty size | tr " " x)\r');
    await waitFor(() => r.output(session.sessionId).includes('second-30x100'), 'second');
    expect(r.closed.filter((c) => c.sessionId === session.sessionId)).toHaveLength(1);
  });

  it('keeps a persistent session running across a dropped link (tmux)', async () => {
    const r = await rig({ persistent: true });
    const session = await r.svc.open(openInput(r));
    expect(session).toMatchObject({ persistent: true, persistentTool: 'tmux' });
    r.svc.write(session.sessionId, 'i=0; while true; do i=$((i+1)); echo "tick-$i"; sleep 0.2; done\r');
    const ticks = (text: string) => [...text.matchAll(/tick-(\d+)/g)].map((m) => Number(m[1]));
    await waitFor(() => Math.max(0, ...ticks(r.output(session.sessionId))) >= 3, 'ticks before drop');
    await sshd.dropConnections();
    await waitFor(() => r.closed.find((c) => c.sessionId === session.sessionId && c.reason === 'lost'), 'lost');
    const before = Math.max(...ticks(r.output(session.sessionId)));
    const mark = r.data.length;
    await new Promise((resolve) => setTimeout(resolve, 600));

    await r.svc.reconnect(session.sessionId, 80, 24);
    const after = () => ticks(Buffer.concat(r.data.slice(mark).filter((d) => d.sessionId === session.sessionId).map((d) => d.data)).toString('utf8'));
    // The loop kept counting while nobody was attached: the redrawn screen already shows ticks past `before + 1`.
    await waitFor(() => Math.max(0, ...after()) > before + 2, 'counter still counting');
    r.svc.write(session.sessionId, '\x03');
  });

  it("detaches a closed window's shells: attached again they keep running and replay their latest output; left alone they close after the grace period", async () => {
    const r = await rig({ deps: { detachGraceMs: 400 } });
    const kept = await r.svc.open(openInput(r), undefined, 'window-a');
    const dropped = await r.svc.open(openInput(r), undefined, 'window-a');
    r.svc.write(kept.sessionId, 'echo "pid=$$"\r');
    const pid = Number((await waitFor(() => /pid=(\d+)/.exec(r.output(kept.sessionId)) ?? undefined, 'pid'))[1]);
    expect(r.svc.list().map((t) => [t.session.sessionId, t.detached, t.instanceName])).toEqual([
      [kept.sessionId, false, 'web-1'],
      [dropped.sessionId, false, 'web-1'],
    ]);

    // The window reloads: both wait; the new window takes one over, the other is left.
    r.svc.windowClosed('window-a');
    expect(r.svc.list().map((t) => t.detached)).toEqual([true, true]);
    const attached = r.svc.attach(kept.sessionId, 'window-b');
    expect(attached.session).toEqual(kept);
    expect(attached.recentOutput).toContain(`pid=${pid}`);
    await waitFor(() => r.closed.find((c) => c.sessionId === dropped.sessionId), 'the unclaimed shell closed', 5_000);
    expect(r.svc.list().map((t) => [t.session.sessionId, t.detached])).toEqual([[kept.sessionId, false]]);
    expect(caughtSync(() => r.svc.attach(dropped.sessionId, 'window-b')).code).toBe('SSH_SESSION_NOT_FOUND');

    // The same shell answers the new window.
    r.svc.write(kept.sessionId, 'echo "again=$$"\r');
    await waitFor(() => r.output(kept.sessionId).includes(`again=${pid}`), 'the same shell');

    // That window closes for good: after the grace period the shell is gone, on the instance too.
    r.svc.windowClosed('window-b');
    await waitFor(() => r.closed.find((c) => c.sessionId === kept.sessionId), 'the orphan closed', 5_000);
    expect(r.svc.list()).toEqual([]);
    await waitFor(() => !processAlive(pid), 'the remote shell ended', 5_000);
  });

  it('blocks the next connection after the host key changed', async () => {
    const r = await rig();
    const first = await r.svc.open(openInput(r));
    await r.svc.close(first.sessionId);
    r.svc.dispose();
    const old = sshd.hostKeyFingerprintSha256;
    await sshd.replaceHostKey();
    const error = await caught(r.svc.open(openInput(r, { acceptHostKey: sshd.hostKeyFingerprintSha256 })));
    expect(error.code).toBe('SSH_HOST_KEY_CHANGED');
    expect(error.message).toContain(old);
    expect(error.hint).toMatch(/re-created|intercept/);

    // The user confirms the instance was re-created: forgetting the pin lets the new key be verified afresh.
    r.svc.forgetHostKey(r.instanceId);
    expect(r.settings.get().hostKeys[r.instanceId]).toBeUndefined();
    const unknown = await caught(r.svc.open(openInput(r, {})));
    expect(unknown.code).toBe('SSH_HOST_KEY_UNKNOWN');
    const reopened = await r.svc.open(openInput(r, { acceptHostKey: sshd.hostKeyFingerprintSha256 }));
    expect(reopened.hostKey.fingerprintSha256).toBe(sshd.hostKeyFingerprintSha256);
    await r.svc.close(reopened.sessionId);
  });
});
