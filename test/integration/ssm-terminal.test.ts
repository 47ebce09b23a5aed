import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEventHub } from '../../src/main/services/app/event-hub';
import { createAwsClientPool, type AwsClientPool } from '../../src/main/services/aws/aws-client-pool';
import { createEc2Service, type Ec2Service } from '../../src/main/services/ec2/ec2-service';
import { createSsmSessionApi } from '../../src/main/services/keyless/ssm/ssm-session-api';
import { createSsmTerminalOpener } from '../../src/main/services/keyless/ssm/ssm-terminal-channel';
import { silentLogger } from '../../src/main/services/logging/logger';
import { createSettingsFileBackend } from '../../src/main/services/settings/settings-file-backend';
import { createSettingsStore } from '../../src/main/services/settings/settings-store';
import { createTerminalService } from '../../src/main/services/ssh/create-terminal-service';
import type { TerminalService } from '../../src/main/services/ssh/terminal-service';
import type { Events } from '../../src/shared/ipc/contract';
import type { TerminalClosedEvent, TerminalDataEvent } from '../../src/shared/models/ssh';
import { caught } from '../support/caught';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';
import { isolateAwsEnv } from '../support/isolated-aws-env';
import { stubKeyStore } from '../support/stub-key-store';
import { requireBinary } from '../support/system-deps';

/**
 * A Session Manager shell as a terminal tab: the terminal service with `access: 'session-manager'` against the
 * simulator's StartSession and its agent's real bash. No sshd runs in this file at all.
 */
const REGION = 'eu-west-1';
const ACCOUNT = 'acct-main';

let restoreEnv: () => void = () => undefined;
let sim: Ec2Simulator;
let pool: AwsClientPool;
let ec2: Ec2Service;
let work: string;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  requireBinary('python3', 'python3');
  restoreEnv = isolateAwsEnv();
  work = await mkdtemp(join(tmpdir(), 'hangar-ssm-terminal-'));
  sim = await startEc2Simulator();
  pool = createAwsClientPool({
    credentialsFor: () => async () => ({ accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }),
    endpoint: sim.url,
  });
  ec2 = createEc2Service({ clientsFor: (id) => pool.clientsFor(id) });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  pool.destroy();
  await sim.close();
  await rm(work, { recursive: true, force: true });
  restoreEnv();
});

interface Rig {
  svc: TerminalService;
  closed: TerminalClosedEvent[];
  output(sessionId: string): string;
  instanceId: string;
}

let counter = 0;

function rig(online = true): Rig {
  const settings = createSettingsStore(createSettingsFileBackend(join(work, `settings-${counter++}`)));
  const events = createEventHub<Events>();
  const data: TerminalDataEvent[] = [];
  const closed: TerminalClosedEvent[] = [];
  events.subscribe((name, payload) => {
    if (name === 'terminal.data') data.push(payload as TerminalDataEvent);
    if (name === 'terminal.closed') closed.push(payload as TerminalClosedEvent);
  });
  const svc = createTerminalService({
    settings,
    // No key is held for anything: Session Manager needs none.
    keys: stubKeyStore('', 'no-such-key-pair'),
    ec2,
    events,
    logger: silentLogger,
    openSsmTerminal: createSsmTerminalOpener({
      api: createSsmSessionApi({ clientsFor: (id) => pool.clientsFor(id) }),
      describeInstance: (a, r, i, s) => ec2.describeInstance(a, r, i, s),
      timing: { initialRetransmitMs: 100, resendCheckMs: 20 },
    }),
  });
  cleanups.push(() => svc.dispose());
  const instanceId = sim.addInstance(REGION, { name: 'lab-1' });
  if (online) sim.sessionManager.setAgentOnline(instanceId, true);
  return {
    svc,
    closed,
    instanceId,
    output: (sessionId) => Buffer.concat(data.filter((d) => d.sessionId === sessionId).map((d) => d.data)).toString('utf8'),
  };
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

const open = (r: Rig) => r.svc.open({ accountId: ACCOUNT, region: REGION, instanceId: r.instanceId, cols: 90, rows: 30, access: 'session-manager' });

describe('Session Manager terminal tab', () => {
  it('opens a shell with no key and no SSH, runs a command, follows a resize and closes', async () => {
    const r = rig();
    const session = await open(r);
    expect(session).toMatchObject({ instanceId: r.instanceId, title: 'lab-1 — Session Manager', hostKey: { verifiedBy: 'session-manager' } });
    r.svc.write(session.sessionId, 'echo hi-$((6*7)); echo "size=$(stty size)"\r');
    await waitFor(() => /size=30 90/.test(r.output(session.sessionId)), 'the first size');
    expect(r.output(session.sessionId)).toMatch(/hi-42/);
    // The pty marker Hangar puts first is taken out before output reaches the tab.
    expect(r.output(session.sessionId)).not.toContain('HangarTty');
    r.svc.resize(session.sessionId, 120, 40);
    r.svc.write(session.sessionId, 'echo "now=$(stty size)"\r');
    await waitFor(() => /now=40 120/.test(r.output(session.sessionId)), 'the new size');
    expect(await r.svc.busy(session.sessionId)).toBe(false);
    await r.svc.close(session.sessionId);
    await waitFor(() => r.closed.find((c) => c.sessionId === session.sessionId), 'the closed event');
    expect(r.closed.at(-1)?.reason).toBe('closed');
    await waitFor(() => sim.sessionManager.sessions.find((s) => s.instanceId === r.instanceId)?.status === 'Terminated', 'TerminateSession');
  });

  it('reports the shell exiting as an exit', async () => {
    const r = rig();
    const session = await open(r);
    r.svc.write(session.sessionId, 'exit\r');
    const closed = await waitFor(() => r.closed.find((c) => c.sessionId === session.sessionId), 'the closed event');
    expect(closed.reason).toBe('exit');
  });

  it('says a dropped data channel is lost, and reconnect opens a new session that works', async () => {
    const r = rig();
    const session = await open(r);
    r.svc.write(session.sessionId, 'echo first-$((1+1))\r');
    await waitFor(() => r.output(session.sessionId).includes('first-2'), 'the first command');
    sim.sessionManager.dropConnections();
    const closed = await waitFor(() => r.closed.find((c) => c.sessionId === session.sessionId), 'the lost event');
    expect(closed.reason).toBe('lost');
    const again = await r.svc.reconnect(session.sessionId, 90, 30);
    expect(again.sessionId).toBe(session.sessionId);
    r.svc.write(session.sessionId, 'echo second-$((2+2))\r');
    await waitFor(() => r.output(session.sessionId).includes('second-4'), 'the command after reconnecting');
    expect(sim.sessionManager.sessions.filter((s) => s.instanceId === r.instanceId)).toHaveLength(2);
  });

  it('refuses an instance whose agent is offline with SSM_AGENT_OFFLINE', async () => {
    const r = rig(false);
    const error = await caught(open(r));
    expect(error.code).toBe('SSM_AGENT_OFFLINE');
    expect(error.hint).toMatch(/SSM agent/);
  });
});
