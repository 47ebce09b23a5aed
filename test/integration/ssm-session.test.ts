import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeInstanceInformationCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClientPool, type AwsClientPool } from '../../src/main/services/aws/aws-client-pool';
import type { SsmChannelEnd } from '../../src/main/services/keyless/ssm/ssm-data-channel';
import { startSsmPortForward } from '../../src/main/services/keyless/ssm/ssm-port-forward';
import { createSsmSessionApi, type SsmSessionApi, type SsmTarget } from '../../src/main/services/keyless/ssm/ssm-session-api';
import { openSsmShell, type SsmShell } from '../../src/main/services/keyless/ssm/ssm-shell';
import { caught } from '../support/caught';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';
import { isolateAwsEnv } from '../support/isolated-aws-env';
import { requireBinary } from '../support/system-deps';

/**
 * Session Manager below the UI: the real SSM SDK client against the simulator's StartSession, and Hangar's
 * data-channel client against the simulator's agent, which runs a real bash in a pty (python3's pty module)
 * or relays to a real TCP port. Nothing on port 22 is involved.
 */
const REGION = 'eu-west-1';
const ACCOUNT = 'acct-main';

let restoreEnv: () => void = () => undefined;
let sim: Ec2Simulator;
let pool: AwsClientPool;
let api: SsmSessionApi;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  requireBinary('python3', 'python3');
  requireBinary('bash', 'bash');
  restoreEnv = isolateAwsEnv();
  sim = await startEc2Simulator();
  pool = createAwsClientPool({
    credentialsFor: () => async () => ({ accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }),
    endpoint: sim.url,
  });
  api = createSsmSessionApi({ clientsFor: (id) => pool.clientsFor(id) });
}, 60_000);

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  sim.sessionManager.dropEvery = 0;
  sim.allowActions();
});

afterAll(async () => {
  pool.destroy();
  await sim.close();
  restoreEnv();
});

function onlineInstance(): SsmTarget {
  const instanceId = sim.addInstance(REGION, { imageId: 'ami-0a12023000000001' });
  sim.sessionManager.setAgentOnline(instanceId, true);
  return { accountId: ACCOUNT, region: REGION, instanceId, title: `lab box (${instanceId})` };
}

interface OpenedShell {
  shell: SsmShell;
  output: () => string;
  ends: SsmChannelEnd[];
  waitFor(pattern: RegExp, ms?: number): Promise<string>;
}

async function shellOn(target: SsmTarget, size = { cols: 80, rows: 24 }): Promise<OpenedShell> {
  let text = '';
  const ends: SsmChannelEnd[] = [];
  const shell = await openSsmShell(api, target, { ...size, onData: (b) => (text += b.toString('utf8')), onEnd: (e) => ends.push(e), timing: { initialRetransmitMs: 100, resendCheckMs: 20 } });
  cleanups.push(() => shell.close());
  return {
    shell,
    output: () => text,
    ends,
    waitFor: async (pattern, ms = 10_000) => {
      const deadline = Date.now() + ms;
      for (;;) {
        const m = pattern.exec(text);
        if (m) return m[0];
        if (Date.now() > deadline) throw new Error(`no ${String(pattern)} in shell output: ${JSON.stringify(text.slice(-400))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

describe('Session Manager shell', () => {
  it('runs a command in a real shell and sees its output', async () => {
    const target = onlineInstance();
    const { shell, waitFor } = await shellOn(target);
    expect(sim.sessionManager.sessions.at(-1)).toMatchObject({ instanceId: target.instanceId, documentName: 'SSM-SessionManagerRunShell', status: 'Connected' });
    shell.write(Buffer.from('echo hi-$((6*7))\r'));
    expect(await waitFor(/hi-42/)).toBe('hi-42');
  });

  it('sends the terminal size at start and on resize, and stty sees it', async () => {
    const { shell, waitFor } = await shellOn(onlineInstance(), { cols: 101, rows: 33 });
    shell.write(Buffer.from('echo "size=$(stty size)"\r'));
    expect(await waitFor(/size=\d+ \d+/)).toBe('size=33 101');
    shell.resize(140, 50);
    shell.write(Buffer.from('echo "now=$(stty size)"\r'));
    expect(await waitFor(/now=\d+ \d+/)).toBe('now=50 140');
  });

  it('still delivers everything in order when frames are lost in both directions', async () => {
    sim.sessionManager.dropEvery = 4;
    const { shell, waitFor } = await shellOn(onlineInstance());
    // Typed one key per frame, so some keystrokes are lost on the way and must be resent in order.
    for (const ch of 'seq 1 400 | tr "\\n" " "; echo END-$((20+22))\r') shell.write(Buffer.from(ch));
    await waitFor(/END-42/, 20_000);
    const session = sim.sessionManager.sessions.at(-1);
    expect(session?.inputSequence).toEqual([...Array(session?.inputSequence.length).keys()]);
    const numbers = /1 2 3 [\d ]*400 /.exec(await waitFor(/1 2 3 [\d ]*400 /, 5_000))?.[0].trim().split(' ').map(Number);
    expect(numbers).toEqual([...Array(400).keys()].map((i) => i + 1));
  });

  it('ends with channel_closed when the shell exits, and TerminateSession marks the session', async () => {
    const target = onlineInstance();
    const { shell, ends } = await shellOn(target);
    shell.write(Buffer.from('exit 0\r'));
    const deadline = Date.now() + 10_000;
    while (ends.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(ends[0]).toEqual({ kind: 'closed', output: '' });
    expect(sim.sessionManager.sessions.at(-1)?.status).toBe('Terminated');
  });

  it('refuses an offline agent with SSM_AGENT_OFFLINE and a hint naming what the instance needs', async () => {
    const target = onlineInstance();
    sim.sessionManager.setAgentOnline(target.instanceId, false);
    const error = await caught(openSsmShell(api, target, { cols: 80, rows: 24, onData: () => undefined }));
    expect(error.code).toBe('SSM_AGENT_OFFLINE');
    expect(error.message).toContain(target.instanceId);
    expect(error.hint).toMatch(/AmazonSSMManagedInstanceCore/);
    expect(await api.agentStatus(target)).toEqual({ kind: 'offline', pingStatus: 'ConnectionLost' });
  });

  it('says so when StartSession is denied', async () => {
    const target = onlineInstance();
    sim.denyActions(['ssm:StartSession']);
    const error = await caught(openSsmShell(api, target, { cols: 80, rows: 24, onData: () => undefined }));
    expect(error.code).toBe('AWS_UNAUTHORIZED');
    expect(error.hint).toContain('ssm:StartSession');
  });
});

describe('DescribeInstanceInformation', () => {
  it('lists the agents that are online, and a never-registered instance as unregistered', async () => {
    const target = onlineInstance();
    const other = sim.addInstance(REGION, {});
    expect(await api.agentStatus(target)).toMatchObject({ kind: 'online' });
    expect(await api.agentStatus({ ...target, instanceId: other })).toEqual({ kind: 'unregistered' });
    const raw = pool.clientsFor(ACCOUNT).client(SSMClient, REGION);
    const out = await raw.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'PingStatus', Values: ['Online'] }] }));
    expect(out.InstanceInformationList?.map((i) => i.InstanceId)).toContain(target.instanceId);
    expect(out.InstanceInformationList?.every((i) => i.PingStatus === 'Online')).toBe(true);
  });
});

describe('Session Manager port forwarding', () => {
  let web: Server;
  let webPort: number;
  beforeAll(async () => {
    web = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`notebook says hello to ${req.url ?? ''}`);
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', () => resolve()));
    webPort = (web.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => web.close(() => resolve())));

  function get(port: number, path: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('carries HTTP to a real port through AWS-StartPortForwardingSession, one session per connection', async () => {
    const target = onlineInstance();
    const errors: unknown[] = [];
    const forward = await startSsmPortForward(api, target, { remotePort: webPort, timing: { initialRetransmitMs: 100, resendCheckMs: 20 }, onConnectionError: (e) => errors.push(e) });
    cleanups.push(() => forward.close());
    const [a, b] = await Promise.all([get(forward.localPort, '/tree'), get(forward.localPort, '/api/status')]);
    expect(a).toEqual({ status: 200, body: 'notebook says hello to /tree' });
    expect(b).toEqual({ status: 200, body: 'notebook says hello to /api/status' });
    expect(errors).toEqual([]);
    const portSessions = sim.sessionManager.sessions.filter((s) => s.instanceId === target.instanceId);
    expect(portSessions.map((s) => s.documentName)).toEqual(['AWS-StartPortForwardingSession', 'AWS-StartPortForwardingSession']);
  });

  it('says when nothing listens on the remote port (the agent closes the session with its dial error)', async () => {
    const target = onlineInstance();
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const port = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(port));
      });
    });
    const errors: { code?: string; message?: string; hint?: string }[] = [];
    const forward = await startSsmPortForward(api, target, { remotePort: closedPort, onConnectionError: (e) => errors.push(e as { code?: string }) });
    cleanups.push(() => forward.close());
    await expect(get(forward.localPort, '/')).rejects.toThrow();
    const deadline = Date.now() + 5000;
    while (errors.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(errors[0]?.code).toBe('SSM_SESSION_FAILED');
    expect(errors[0]?.message).toContain('connection refused');
    expect(errors[0]?.hint).toContain(`port ${closedPort}`);
  });

  it('reports a connection whose session cannot start (agent offline) and closes it', async () => {
    const target = onlineInstance();
    sim.sessionManager.setAgentOnline(target.instanceId, false);
    const errors: unknown[] = [];
    const forward = await startSsmPortForward(api, target, { remotePort: webPort, onConnectionError: (e) => errors.push(e) });
    cleanups.push(() => forward.close());
    await expect(get(forward.localPort, '/')).rejects.toThrow();
    expect((errors[0] as { code?: string }).code).toBe('SSM_AGENT_OFFLINE');
  });
});
