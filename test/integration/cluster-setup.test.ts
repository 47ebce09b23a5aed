import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventHub } from '../../src/main/services/app/event-hub';
import { createAwsClientPool, type AwsClientPool } from '../../src/main/services/aws/aws-client-pool';
import { createClusterSetup, type ClusterSetupService } from '../../src/main/services/cluster/cluster-setup';
import { createEc2Service, type Ec2Service } from '../../src/main/services/ec2/ec2-service';
import { silentLogger } from '../../src/main/services/logging/logger';
import { createSettingsFileBackend } from '../../src/main/services/settings/settings-file-backend';
import { createSettingsStore } from '../../src/main/services/settings/settings-store';
import { createConnectionManager, type ConnectionManager } from '../../src/main/services/ssh/create-connection-manager';
import type { Events } from '../../src/shared/ipc/contract';
import type { ClusterSetupReport } from '../../src/shared/models/cluster';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';
import { isolateAwsEnv } from '../support/isolated-aws-env';
import { lockEtcHosts } from '../support/etc-hosts-lock';
import { createMemorySecretStore } from '../support/memory-secret-store';
import { startSshd, type Sshd } from '../support/sshd';
import { stubKeyStore } from '../support/stub-key-store';

// Three nodes, each a real sshd on its own loopback address and port 22, which is also its private IP. They
// share this machine, so /etc/hosts is one file for all three (written alike by each, and restored after),
// and each node's user has its own $HOME (~/.ssh, ~/hostfile are per node).
const ADDRESSES = ['127.0.0.101', '127.0.0.102', '127.0.0.103'];
const NAMES = ['master', 'node001', 'node002'];
const REGION = 'eu-west-1';
const CLUSTER = 'it-lab';

let restoreEnv: () => void = () => undefined;
let unlockHosts: () => Promise<void> = async () => undefined;
let nodes: Sshd[] = [];
let sim: Ec2Simulator;
let pool: AwsClientPool;
let ec2: Ec2Service;
let work: string;
let manager: ConnectionManager;
let setup: ClusterSetupService;
let originalHosts: string;
let refs: { accountId: string; region: string; instanceId: string; name: string }[] = [];
const progress: ClusterSetupReport[] = [];

beforeAll(async () => {
  restoreEnv = isolateAwsEnv();
  unlockHosts = await lockEtcHosts();
  originalHosts = await readFile('/etc/hosts', 'utf8');
  work = await mkdtemp(join(tmpdir(), 'hangar-cluster-'));
  const first = await startSshd({ listenHost: ADDRESSES[0], port: 22 });
  nodes = [first, ...(await Promise.all(ADDRESSES.slice(1).map((a) => startSshd({ listenHost: a, port: 22, authorizedKeys: [first.userPublicKey] }))))];
  sim = await startEc2Simulator();
  pool = createAwsClientPool({
    credentialsFor: () => async () => ({ accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }),
    endpoint: sim.url,
  });
  ec2 = createEc2Service({ clientsFor: (id) => pool.clientsFor(id) });
  const settings = createSettingsStore(createSettingsFileBackend(join(work, 'settings')));
  refs = nodes.map((sshd, i) => ({
    accountId: 'acct',
    region: REGION,
    instanceId: sim.addInstance(REGION, { publicIp: sshd.host, privateIp: sshd.host, instanceType: 't3.medium', keyName: 'lab', tags: { 'hangar:cluster': CLUSTER } }),
    name: NAMES[i] as string,
  }));
  settings.mutate((s) => ({
    ...s,
    hostKeys: Object.fromEntries(refs.map((r, i) => [r.instanceId, { keyType: 'ssh-ed25519', fingerprintSha256: nodes[i]?.hostKeyFingerprintSha256 ?? '', verifiedBy: 'user' as const, pinnedAt: new Date().toISOString() }])),
  }));
  manager = createConnectionManager({ settings, keys: stubKeyStore(first.userPrivateKey, 'lab'), ec2, logger: silentLogger, userCandidates: () => [first.username], refusedRetryMs: 0 });
  const events = createEventHub<Events>();
  events.subscribe((name, payload) => {
    if (name === 'clusters.progress') progress.push(payload as ClusterSetupReport);
  });
  setup = createClusterSetup({ connections: manager, ec2, secrets: createMemorySecretStore(), events });
}, 60_000);

afterAll(async () => {
  if (originalHosts !== undefined) await writeFile('/etc/hosts', originalHosts);
  manager?.dispose();
  pool?.destroy();
  await sim?.close();
  await Promise.all(nodes.map((n) => n.stop()));
  await rm(work, { recursive: true, force: true });
  restoreEnv();
  await unlockHosts();
});

async function onNode(i: number, script: string): Promise<string> {
  const { connection } = await manager.acquire(refs[i] as (typeof refs)[number]);
  try {
    const { stdout, code } = await connection.run({ script }, 20_000);
    if (code !== 0) throw new Error(`exit ${code}: ${stdout}`);
    return stdout;
  } finally {
    connection.release();
  }
}

describe('cluster set-up', () => {
  it('writes hosts, hostfile, the cluster key and known_hosts: node to node SSH by name, no password, no prompt', async () => {
    const report = await setup.setUp({ clusterName: CLUSTER, nodes: refs.map(({ accountId, region, instanceId, name }) => ({ accountId, region, instanceId, name })) });
    expect(report.nodes.map((n) => [n.name, n.state])).toEqual(NAMES.map((n) => [n, 'done']));
    expect(progress.some((p) => p.nodes.some((n) => n.state === 'configuring'))).toBe(true);

    // t3.medium has 2 vCPUs: two MPI slots per node.
    expect(await onNode(0, 'cat "$HOME/hostfile"')).toBe('master slots=2\nnode001 slots=2\nnode002 slots=2\n');
    expect(await readFile('/etc/hosts', 'utf8')).toContain(`${ADDRESSES[2]} node002`);
    // From master: BatchMode (no password) and StrictHostKeyChecking (no prompt); -F because the rig's nodes
    // share one passwd entry, and ssh reads ~ from it rather than from $HOME.
    const answer = await onNode(0, 'ssh -F "$HOME/.ssh/config" -o BatchMode=yes node002 \'echo "reached $(echo $SSH_CONNECTION | cut -d" " -f3)"\'');
    expect(answer.trim()).toBe(`reached ${ADDRESSES[2]}`);
    const back = await onNode(2, 'ssh -F "$HOME/.ssh/config" -o BatchMode=yes master true && echo back');
    expect(back.trim()).toBe('back');
  });

  it('is idempotent: a second run leaves one key line and one block in each file', async () => {
    const input = { clusterName: CLUSTER, nodes: refs.map(({ accountId, region, instanceId, name }) => ({ accountId, region, instanceId, name })) };
    await setup.setUp(input);
    const counts = await onNode(1, 'grep -c hangar-cluster-it-lab "$HOME/.ssh/authorized_keys"; grep -c ">>> hangar cluster it-lab" "$HOME/.ssh/known_hosts" "$HOME/.ssh/config" /etc/hosts');
    expect(counts.trim().split('\n')).toEqual(['1', `${nodes[1]?.home}/.ssh/known_hosts:1`, `${nodes[1]?.home}/.ssh/config:1`, '/etc/hosts:1']);
  });

  it('reports a node that does not answer and sets up the others', async () => {
    const lost = sim.addInstance(REGION, { publicIp: null, privateIp: '127.0.0.109', instanceType: 't3.medium', keyName: 'lab' });
    const report = await setup.setUp({
      clusterName: CLUSTER,
      nodes: [...refs.slice(0, 2).map(({ accountId, region, instanceId, name }) => ({ accountId, region, instanceId, name })), { accountId: 'acct', region: REGION, instanceId: lost, name: 'node002' }],
    });
    expect(report.nodes.map((n) => n.state)).toEqual(['done', 'done', 'failed']);
    expect(report.nodes[2]?.detail).toMatch(/^Not reached: .*no public IP.*run the set-up again/);
    expect(await onNode(0, 'cat "$HOME/hostfile"')).toBe('master slots=2\nnode001 slots=2\n');
  });
});
