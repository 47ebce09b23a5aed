import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventHub } from '../../src/main/services/app/event-hub';
import { createAwsClientPool, type AwsClientPool } from '../../src/main/services/aws/aws-client-pool';
import { createEc2Service } from '../../src/main/services/ec2/ec2-service';
import { silentLogger } from '../../src/main/services/logging/logger';
import { createRunManyService, type RunManyService } from '../../src/main/services/run-many/run-many-service';
import { createSettingsFileBackend } from '../../src/main/services/settings/settings-file-backend';
import { createSettingsStore } from '../../src/main/services/settings/settings-store';
import { createConnectionManager, type ConnectionManager } from '../../src/main/services/ssh/create-connection-manager';
import type { Events } from '../../src/shared/ipc/contract';
import { runSummary, type RunInfo } from '../../src/shared/models/run-many';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';
import { isolateAwsEnv } from '../support/isolated-aws-env';
import { startSshd, type Sshd } from '../support/sshd';
import { stubKeyStore } from '../support/stub-key-store';

// Three instances, each a real sshd on its own loopback address, port 22 (as the EC2 simulator's launch rig does).
const ADDRESSES = ['127.0.0.81', '127.0.0.82', '127.0.0.83'];
const REGION = 'eu-west-1';

let restoreEnv: () => void = () => undefined;
let hosts: Sshd[] = [];
let sim: Ec2Simulator;
let pool: AwsClientPool;
let work: string;
let manager: ConnectionManager;
let targets: { accountId: string; region: string; instanceId: string; name: string }[] = [];
const changes: RunInfo[] = [];

beforeAll(async () => {
  restoreEnv = isolateAwsEnv();
  work = await mkdtemp(join(tmpdir(), 'hangar-run-many-'));
  const first = await startSshd({ listenHost: ADDRESSES[0], port: 22 });
  hosts = [first, ...(await Promise.all(ADDRESSES.slice(1).map((address) => startSshd({ listenHost: address, port: 22, authorizedKeys: [first.userPublicKey] }))))];
  sim = await startEc2Simulator();
  pool = createAwsClientPool({
    credentialsFor: () => async () => ({ accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }),
    endpoint: sim.url,
  });
  const settings = createSettingsStore(createSettingsFileBackend(join(work, 'settings')));
  targets = hosts.map((sshd, i) => {
    const name = `node00${i + 1}`;
    const instanceId = sim.addInstance(REGION, { publicIp: sshd.host, keyName: 'lab', name });
    return { accountId: 'acct', region: REGION, instanceId, name };
  });
  settings.mutate((s) => ({
    ...s,
    hostKeys: Object.fromEntries(
      targets.map((t, i) => [t.instanceId, { keyType: 'ssh-ed25519', fingerprintSha256: hosts[i]?.hostKeyFingerprintSha256 ?? '', verifiedBy: 'user' as const, pinnedAt: new Date().toISOString() }]),
    ),
  }));
  manager = createConnectionManager({
    settings,
    keys: stubKeyStore(first.userPrivateKey, 'lab'),
    ec2: createEc2Service({ clientsFor: (id) => pool.clientsFor(id) }),
    logger: silentLogger,
    userCandidates: () => [first.username],
    refusedRetryMs: 0,
  });
}, 60_000);

afterAll(async () => {
  manager?.dispose();
  pool?.destroy();
  await sim?.close();
  await Promise.all(hosts.map((h) => h.stop()));
  await rm(work, { recursive: true, force: true });
  restoreEnv();
});

function service(concurrency?: number): RunManyService {
  const events = createEventHub<Events>();
  events.subscribe((name, payload) => {
    if (name === 'runs.changed') changes.push(payload as RunInfo);
  });
  return createRunManyService({ connections: manager, events, ...(concurrency === undefined ? {} : { concurrency }) });
}

async function finished(svc: RunManyService, runId: string): Promise<RunInfo> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const run = svc.get(runId);
    if (run.finished) return run;
    if (Date.now() > deadline) throw new Error(`run not finished: ${JSON.stringify(run.hosts.map((h) => h.state))}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('Run command on many instances', () => {
  it('runs on every host in parallel, each with its own output and exit code', async () => {
    const svc = service();
    const run = await finished(svc, svc.start({ targets, command: 'echo "on=$(echo $SSH_CONNECTION | cut -d" " -f3)"' }).runId);
    expect(run.hosts.map((h) => [h.name, h.state, h.exitCode, h.output.trim()])).toEqual(
      targets.map((t, i) => [t.name, 'ok', 0, `on=${ADDRESSES[i]}`]),
    );
    expect(runSummary(run.hosts)).toBe('3 ok');
  });

  it('says which host failed and runs again on the failed one only', async () => {
    const svc = service();
    const command = 'case "$SSH_CONNECTION" in *127.0.0.82*) echo broken >&2; exit 3;; esac; echo fine';
    const run = await finished(svc, svc.start({ targets, command }).runId);
    expect(runSummary(run.hosts)).toBe('2 ok, 1 failed');
    const failed = run.hosts.find((h) => h.state === 'failed');
    expect(failed).toMatchObject({ name: 'node002', exitCode: 3 });
    expect(failed?.output).toContain('broken');
    const again = svc.rerunFailed(run.runId);
    expect(again.hosts.map((h) => h.name)).toEqual(['node002']);
    expect((await finished(svc, again.runId)).hosts[0]?.exitCode).toBe(3);
  });

  it('keeps at most `concurrency` hosts running and queues the rest', async () => {
    const svc = service(2);
    changes.length = 0;
    const run = await finished(svc, svc.start({ targets, command: 'sleep 0.4; echo done' }).runId);
    expect(runSummary(run.hosts)).toBe('3 ok');
    const peak = Math.max(...changes.filter((c) => c.runId === run.runId).map((c) => c.hosts.filter((h) => h.state === 'running').length));
    expect(peak).toBe(2);
  });

  it('cancel ends the remote command (its process is gone) and reports the host cancelled', async () => {
    const svc = service();
    const started = svc.start({ targets: targets.slice(0, 1), command: 'echo "pid=$$"; exec sleep 301' });
    let pid: number | undefined;
    const deadline = Date.now() + 10_000;
    while (pid === undefined && Date.now() < deadline) {
      const m = /pid=(\d+)/.exec(svc.get(started.runId).hosts[0]?.output ?? '');
      if (m?.[1]) pid = Number(m[1]);
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(pid).toBeDefined();
    svc.cancel(started.runId);
    const run = await finished(svc, started.runId);
    expect(run.hosts[0]?.state).toBe('cancelled');
    // The "instance" is this machine: the remote sleep must be gone.
    const alive = (): boolean => {
      try {
        process.kill(pid as number, 0);
        return true;
      } catch {
        return false;
      }
    };
    const until = Date.now() + 5000;
    while (alive() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(alive()).toBe(false);
  });

  it('reports a host it cannot reach and runs on the others', async () => {
    const svc = service();
    const unreachable = sim.addInstance(REGION, { publicIp: null, keyName: 'lab', name: 'private-box' });
    const run = await finished(svc, svc.start({ targets: [...targets.slice(0, 1), { accountId: 'acct', region: REGION, instanceId: unreachable, name: 'private-box' }], command: 'echo hi' }).runId);
    expect(runSummary(run.hosts)).toBe('1 ok, 1 failed');
    expect(run.hosts[1]?.error?.message).toContain('no public IP');
  });
});
