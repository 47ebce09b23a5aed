import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventHub } from '../../src/main/services/app/event-hub';
import { createAwsClientPool, type AwsClientPool } from '../../src/main/services/aws/aws-client-pool';
import type { SlurmLayout } from '../../src/main/services/cluster/slurm-config';
import { createSlurmService, type SlurmService } from '../../src/main/services/cluster/slurm-service';
import { createEc2Service } from '../../src/main/services/ec2/ec2-service';
import { silentLogger } from '../../src/main/services/logging/logger';
import { createSettingsFileBackend } from '../../src/main/services/settings/settings-file-backend';
import { createSettingsStore } from '../../src/main/services/settings/settings-store';
import { createConnectionManager, type ConnectionManager } from '../../src/main/services/ssh/create-connection-manager';
import type { HangarError } from '../../src/shared/errors/hangar-error';
import type { Events } from '../../src/shared/ipc/contract';
import type { SlurmJob } from '../../src/shared/models/slurm';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';
import { isolateAwsEnv } from '../support/isolated-aws-env';
import { stopSlurmDaemons } from '../support/slurm-daemons';
import { createMemorySecretStore } from '../support/memory-secret-store';
import { startSshd, type Sshd } from '../support/sshd';
import { stubKeyStore } from '../support/stub-key-store';
import { requireBinary } from '../support/system-deps';

// A one-host Slurm cluster on loopback (issue 16): master is a real sshd (as root), and Hangar's set-up runs
// Debian's munged, slurmctld and slurmd there, each started directly (no systemd here) with its files in a
// temp folder and its ports free ones, through the same service code and scripts as on an instance.
const REGION = 'eu-west-1';
const CLUSTER = 'slurm-lab';
let restoreEnv: () => void = () => undefined;
let sshd: Sshd;
let sim: Ec2Simulator;
let pool: AwsClientPool;
let manager: ConnectionManager;
let slurm: SlurmService;
let work: string;
let layout: SlurmLayout;
const ref = { accountId: 'acct', region: REGION, clusterName: CLUSTER };

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function until(what: string, check: () => Promise<SlurmJob | undefined>, timeoutMs = 30_000): Promise<SlurmJob> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await check();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

beforeAll(async () => {
  requireBinary('slurmctld', 'slurmctld');
  requireBinary('slurmd', 'slurmd');
  requireBinary('sbatch', 'slurm-client');
  requireBinary('munged', 'munge');
  if (process.getuid?.() !== 0) throw new Error('the Slurm daemons run as root here: run these tests as root, as CI does');
  restoreEnv = isolateAwsEnv();
  work = await mkdtemp(join(tmpdir(), 'hangar-slurm-'));
  layout = {
    confDir: join(work, 'etc-slurm'),
    mungeKey: join(work, 'munge', 'munge.key'),
    mungeSocket: join(work, 'munge.socket'),
    stateDir: join(work, 'state'),
    spoolDir: join(work, 'spool'),
    logDir: join(work, 'log'),
    runDir: join(work, 'run'),
    ctldPort: await freePort(),
    slurmdPort: await freePort(),
    start: 'direct',
  };
  sshd = await startSshd({ listenHost: '127.0.0.151', port: 22 });
  sim = await startEc2Simulator();
  pool = createAwsClientPool({ credentialsFor: () => async () => ({ accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }), endpoint: sim.url });
  const ec2 = createEc2Service({ clientsFor: (id) => pool.clientsFor(id) });
  const settings = createSettingsStore(createSettingsFileBackend(join(work, 'settings')));
  const id = sim.addInstance(REGION, { publicIp: sshd.host, privateIp: sshd.host, instanceType: 't3.medium', keyName: 'lab', tags: { Name: 'master', 'hangar:cluster': CLUSTER } });
  settings.mutate((s) => ({ ...s, hostKeys: { [id]: { keyType: 'ssh-ed25519', fingerprintSha256: sshd.hostKeyFingerprintSha256, verifiedBy: 'user' as const, pinnedAt: new Date().toISOString() } } }));
  manager = createConnectionManager({ settings, keys: stubKeyStore(sshd.userPrivateKey, 'lab'), ec2, logger: silentLogger, userCandidates: () => [sshd.username], refusedRetryMs: 0 });
  slurm = createSlurmService({ clientsFor: (a) => pool.clientsFor(a), connections: manager, secrets: createMemorySecretStore(), events: createEventHub<Events>(), layout });
}, 60_000);

afterAll(async () => {
  if (layout) await stopSlurmDaemons(layout.runDir);
  manager?.dispose();
  pool?.destroy();
  await sim?.close();
  await sshd?.stop();
  if (work) await rm(work, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  restoreEnv();
});

describe('Slurm on a cluster', () => {
  it('sets up munge, slurmctld and slurmd on master from its real CPUs and memory', async () => {
    const report = await slurm.setUp(ref);
    expect(report.nodes).toEqual([expect.objectContaining({ name: 'master', state: 'done', detail: expect.stringContaining('slurmctld and slurmd running') })]);
    const conf = await readFile(join(layout.confDir, 'slurm.conf'), 'utf8');
    expect(conf).toMatch(/^NodeName=master NodeHostname=\S+ NodeAddr=127\.0\.0\.151 CPUs=\d+ RealMemory=\d+ State=UNKNOWN$/m);
    expect(conf).toContain('PartitionName=main Nodes=master Default=YES');
  }, 60_000);

  it('a submitted job runs and its output file holds what it printed', async () => {
    const { jobId } = await slurm.submit({ ...ref, script: '#!/bin/sh\necho "hello from $(hostname) job $SLURM_JOB_ID on $SLURM_JOB_NODELIST"\n', fileName: 'hello.sh', nodes: 1, gpusPerNode: 0, timeLimit: '5' });
    const done = await until('the job to finish', async () => (await slurm.jobs(ref)).finished.find((j) => j.id === jobId));
    expect(done).toMatchObject({ state: 'COMPLETED', name: 'hello', exitCode: '0:0' });
    const output = await slurm.output({ ...ref, jobId });
    expect(output.path).toMatch(/hangar-jobs\/hello-\d+\.out$/);
    expect(output.text).toContain(`job ${jobId} on master`);
  }, 60_000);

  it('a long job is in the queue, running; cancel ends it', async () => {
    const { jobId } = await slurm.submit({ ...ref, script: '#!/bin/sh\nsleep 120\n', fileName: 'long.sh', jobName: 'long-one', nodes: 1, gpusPerNode: 0 });
    const running = await until('the job to run', async () => (await slurm.jobs(ref)).queue.find((j) => j.id === jobId && j.state === 'RUNNING'));
    expect(running).toMatchObject({ name: 'long-one', where: 'master', nodes: '1' });
    await slurm.cancel({ ...ref, jobId });
    const ended = await until('the job to be cancelled', async () => (await slurm.jobs(ref)).finished.find((j) => j.id === jobId));
    expect(ended.state).toBe('CANCELLED');
    expect((await slurm.jobs(ref)).queue.some((j) => j.id === jobId)).toBe(false);
  }, 60_000);

  it('sbatch refusing a job is said with its own words; set-up again changes nothing and Slurm still runs jobs', async () => {
    let refusal: HangarError | undefined;
    try {
      await slurm.submit({ ...ref, script: '#!/bin/sh\ntrue\n', fileName: 'big.sh', nodes: 4, gpusPerNode: 0 });
    } catch (error) {
      refusal = error as HangarError;
    }
    expect(refusal?.code).toBe('SLURM_REJECTED');
    expect(refusal?.message).toMatch(/^sbatch: error: Batch job submission failed: (More processors requested than permitted|Node count specification invalid)/);
    const before = await readFile(join(layout.confDir, 'slurm.conf'), 'utf8');
    const again = await slurm.setUp(ref);
    expect(again.nodes[0]?.state).toBe('done');
    expect(await readFile(join(layout.confDir, 'slurm.conf'), 'utf8')).toBe(before);
    const { jobId } = await slurm.submit({ ...ref, script: '#!/bin/sh\necho after-again\n', fileName: 'again.sh', nodes: 1, gpusPerNode: 0 });
    await until('the job after set-up again', async () => (await slurm.jobs(ref)).finished.find((j) => j.id === jobId && j.state === 'COMPLETED'));
    expect((await slurm.output({ ...ref, jobId })).text).toContain('after-again');
  }, 90_000);
});
