import { CreateKeyPairCommand, CreatePlacementGroupCommand, CreateSecurityGroupCommand, DescribeImagesCommand, DescribeInstancesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventHub } from '../../src/main/services/app/event-hub';
import { createAwsClientPool, type AwsClientPool } from '../../src/main/services/aws/aws-client-pool';
import { createClusterNodes, type ClusterNodesService } from '../../src/main/services/cluster/cluster-nodes';
import { createClusterSetup } from '../../src/main/services/cluster/cluster-setup';
import { createEc2Service } from '../../src/main/services/ec2/ec2-service';
import { answersSsh } from '../../src/main/services/launch/ssh-probe';
import { silentLogger } from '../../src/main/services/logging/logger';
import { createSettingsFileBackend } from '../../src/main/services/settings/settings-file-backend';
import { createSettingsStore } from '../../src/main/services/settings/settings-store';
import { createConnectionManager, type ConnectionManager } from '../../src/main/services/ssh/create-connection-manager';
import type { HangarError } from '../../src/shared/errors/hangar-error';
import type { Events } from '../../src/shared/ipc/contract';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';
import { isolateAwsEnv } from '../support/isolated-aws-env';
import { createMemorySecretStore } from '../support/memory-secret-store';
import { stubKeyStore } from '../support/stub-key-store';
import { userInfo } from 'node:os';

// Add node / Remove node (issue 16): launched nodes are real sshds (the simulator's sshdForLaunches), each with its
// own home, reached and verified through their console output as in the app. /etc/hosts is shared: this cluster's
// block is taken out after.
const REGION = 'eu-west-1';
const CLUSTER = 'grow-lab';
let restoreEnv: () => void = () => undefined;
let sim: Ec2Simulator;
let pool: AwsClientPool;
let client: EC2Client;
let manager: ConnectionManager;
let nodes: ClusterNodesService;
let work: string;
const ref = { accountId: 'acct', region: REGION, clusterName: CLUSTER };

async function onNode(instanceId: string, script: string): Promise<string> {
  const { connection } = await manager.acquire({ accountId: 'acct', region: REGION, instanceId });
  try {
    return (await connection.run({ script }, 20_000)).stdout;
  } finally {
    connection.release();
  }
}

async function described(): Promise<{ id: string; name: string; state: string; group: string | undefined; sgs: string[] }[]> {
  const out = await client.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:hangar:cluster', Values: [CLUSTER] }] }));
  return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => ({
    id: i.InstanceId ?? '',
    name: i.Tags?.find((t) => t.Key === 'Name')?.Value ?? '',
    state: i.State?.Name ?? '',
    group: i.Placement?.GroupName,
    sgs: (i.SecurityGroups ?? []).map((g) => g.GroupId ?? ''),
  }));
}

beforeAll(async () => {
  restoreEnv = isolateAwsEnv();
  work = await mkdtemp(join(tmpdir(), 'hangar-cluster-nodes-'));
  sim = await startEc2Simulator({ sshdForLaunches: true, timings: { pendingMs: 100, stoppingMs: 100, shuttingDownMs: 100, terminatedRetentionMs: 60_000 } });
  client = new EC2Client({ region: REGION, endpoint: sim.url, credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }, maxAttempts: 1 });
  pool = createAwsClientPool({ credentialsFor: () => async () => ({ accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }), endpoint: sim.url });
  const key = await client.send(new CreateKeyPairCommand({ KeyName: 'grow-key', KeyType: 'ed25519' }));
  const ami = (await client.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-*-x86_64'] }] }))).Images?.[0]?.ImageId ?? '';
  await client.send(new CreatePlacementGroupCommand({ GroupName: `${CLUSTER}-pg`, Strategy: 'spread' }));
  const sg = await client.send(new CreateSecurityGroupCommand({ GroupName: `${CLUSTER}-members`, Description: 'cluster members' }));
  for (const name of ['master', 'node001']) {
    await client.send(
      new RunInstancesCommand({
        ImageId: ami,
        InstanceType: 't3.medium',
        MinCount: 1,
        MaxCount: 1,
        KeyName: 'grow-key',
        SecurityGroupIds: [sg.GroupId ?? ''],
        Placement: { GroupName: `${CLUSTER}-pg` },
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: name }, { Key: 'hangar:cluster', Value: CLUSTER }] }],
      }),
    );
  }
  const ec2 = createEc2Service({ clientsFor: (id) => pool.clientsFor(id) });
  const settings = createSettingsStore(createSettingsFileBackend(join(work, 'settings')));
  manager = createConnectionManager({ settings, keys: stubKeyStore(key.KeyMaterial ?? '', 'grow-key'), ec2, logger: silentLogger, userCandidates: () => [userInfo().username], refusedRetryMs: 0 });
  const events = createEventHub<Events>();
  const setup = createClusterSetup({ connections: manager, ec2, secrets: createMemorySecretStore(), events });
  nodes = createClusterNodes({
    clientsFor: (id) => pool.clientsFor(id),
    setup,
    events,
    pollMs: 100,
    answersSsh: async ({ instanceId }) => {
      const out = await client.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
      const ip = out.Reservations?.[0]?.Instances?.[0]?.PublicIpAddress;
      return ip !== undefined && answersSsh(ip, 22, 1_000);
    },
  });
  // The cluster as launched: both nodes set up.
  for (let i = 0; i < 100 && (await described()).some((n) => n.state !== 'running'); i += 1) await new Promise((r) => setTimeout(r, 100));
  const first = await described();
  const report = await setup.setUp({ clusterName: CLUSTER, nodes: first.map((n) => ({ accountId: 'acct', region: REGION, instanceId: n.id, name: n.name })) });
  expect(report.nodes.map((n) => n.state)).toEqual(['done', 'done']);
}, 60_000);

afterAll(async () => {
  // Only this cluster's block goes: other test files may have theirs in the shared /etc/hosts right now.
  const hosts = await readFile('/etc/hosts', 'utf8');
  await writeFile('/etc/hosts', hosts.replace(new RegExp(`# >>> hangar cluster ${CLUSTER} >>>[\\s\\S]*?# <<< hangar cluster ${CLUSTER} <<<\\n?`, 'g'), ''));
  manager?.dispose();
  client?.destroy();
  pool?.destroy();
  await sim?.close();
  if (work) await rm(work, { recursive: true, force: true });
  restoreEnv();
});

describe('cluster nodes', () => {
  it('adds node002 like master (type, placement group, security group, tag) and every node knows it', async () => {
    const report = await nodes.addNode(ref);
    expect(report.nodes.map((n) => [n.name, n.state])).toEqual([
      ['master', 'done'],
      ['node001', 'done'],
      ['node002', 'done'],
    ]);
    const all = await described();
    const added = all.find((n) => n.name === 'node002');
    const master = all.find((n) => n.name === 'master');
    expect(added).toMatchObject({ state: 'running', group: `${CLUSTER}-pg`, sgs: master?.sgs });
    const hostfile = await onNode(master?.id ?? '', 'cat ~/hostfile');
    expect(hostfile).toMatch(/^node002 slots=\d+$/m);
    // From master, the new node answers by name, with no password and no host-key question (-F: the rig's nodes
    // have their own $HOME, while ssh reads the passwd home's config).
    expect((await onNode(master?.id ?? '', 'ssh -F "$HOME/.ssh/config" -o BatchMode=yes node002 echo reached-$((40+2)) 2>&1')).trim()).toBe('reached-42');
  }, 60_000);

  it('removes node001: terminated, and the others no longer list it; master is not removed on its own', async () => {
    const before = await described();
    const node001 = before.find((n) => n.name === 'node001');
    const master = before.find((n) => n.name === 'master');
    const report = await nodes.removeNode({ ...ref, instanceId: node001?.id ?? '' });
    expect(report.nodes.map((n) => n.name)).toEqual(['master', 'node002']);
    expect((await described()).find((n) => n.name === 'node001')?.state).toMatch(/shutting-down|terminated/);
    const hostfile = await onNode(master?.id ?? '', 'cat ~/hostfile');
    expect(hostfile).not.toContain('node001');
    expect(hostfile).toContain('node002');
    let refusal: HangarError | undefined;
    try {
      await nodes.removeNode({ ...ref, instanceId: master?.id ?? '' });
    } catch (error) {
      refusal = error as HangarError;
    }
    expect(refusal?.code).toBe('INVALID_ARGUMENT');
    expect(refusal?.hint).toContain('Terminate the whole cluster');
  }, 60_000);
});
