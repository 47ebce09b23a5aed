import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sshOnlyGuard } from '../../src/main/services/access/ssh-only-guard';
import { createWaysInService, type WaysInService } from '../../src/main/services/access/ways-in-service';
import { createAwsClientPool, type AwsClientPool } from '../../src/main/services/aws/aws-client-pool';
import { createEc2Service } from '../../src/main/services/ec2/ec2-service';
import { createFirewallService } from '../../src/main/services/firewall/firewall-service';
import { createSsmSessionApi } from '../../src/main/services/keyless/ssm/ssm-session-api';
import { createSettingsFileBackend } from '../../src/main/services/settings/settings-file-backend';
import { createSettingsStore, type SettingsStore } from '../../src/main/services/settings/settings-store';
import type { ConnectionManager } from '../../src/main/services/ssh/create-connection-manager';
import { caught } from '../support/caught';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';
import { stubKeyStore } from '../support/stub-key-store';

/**
 * The ways into an instance (issue 15), decided from what the simulator's EC2 and Session Manager say
 * through the real SDK clients: security-group rules, the image's name, the held keys and the SSM agent.
 */
const REGION = 'eu-west-1';
const ACCOUNT = 'acct-ways';
let sim: Ec2Simulator;
let pool: AwsClientPool;
let settings: SettingsStore;
let ways: WaysInService;
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'hangar-ways-'));
  sim = await startEc2Simulator();
  pool = createAwsClientPool({
    credentialsFor: () => async () => ({ accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }),
    endpoint: sim.url,
  });
  const ec2 = createEc2Service({ clientsFor: (id) => pool.clientsFor(id) });
  settings = createSettingsStore(createSettingsFileBackend(join(root, 'settings')));
  ways = createWaysInService({
    ec2,
    // Hangar holds the key of the key pair "held" only.
    keys: stubKeyStore('(no key material: the ways in only ask which key pairs are held)', 'held'),
    settings,
    firewall: createFirewallService({ clientsFor: (id) => pool.clientsFor(id), ec2 }),
    ssm: createSsmSessionApi({ clientsFor: (id) => pool.clientsFor(id) }),
    instanceConnect: true,
    cacheMs: 0,
  });
}, 30_000);

afterAll(async () => {
  pool?.destroy();
  await sim?.close();
  await rm(root, { recursive: true, force: true });
});

const ref = (instanceId: string) => ({ accountId: ACCOUNT, region: REGION, instanceId });

let sshGroup: { id: string; name: string } | undefined;

/** A security group letting SSH in from one outside address (made once, through the SDK). */
async function sshOpen(): Promise<{ id: string; name: string }> {
  if (sshGroup !== undefined) return sshGroup;
  const client = new EC2Client({ region: REGION, endpoint: sim.url, credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY } });
  const made = await client.send(new CreateSecurityGroupCommand({ GroupName: 'ssh-from-lab', Description: 'SSH from the lab' }));
  await client.send(
    new AuthorizeSecurityGroupIngressCommand({ GroupId: made.GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '198.51.100.7/32' }] }] }),
  );
  client.destroy();
  sshGroup = { id: made.GroupId ?? '', name: 'ssh-from-lab' };
  return sshGroup;
}

describe('ways in', () => {
  it('port 22 open and the key held: SSH with the key is best; Instance Connect also works on Amazon Linux 2023', async () => {
    const id = sim.addInstance(REGION, { publicIp: '203.0.113.31', keyName: 'held', name: 'a', securityGroups: [await sshOpen()] });
    sim.setImageName(sim.instance(id)?.imageId ?? '', 'al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64');
    const [found] = await ways.waysIn([ref(id)]);
    expect(found?.best).toBe('ssh-key');
    expect(found?.sshReachable).toBe(true);
    expect(found?.ways.map((w) => [w.way, w.available])).toEqual([
      ['ssh-key', true],
      ['instance-connect', true],
      ['session-manager', false],
      ['endpoint', false],
    ]);
    expect(found?.ways[3]?.detail).toContain('not needed');
    expect(found?.ways[0]?.detail).toContain('"held"');
    expect(found?.ways[2]?.detail).toContain('never registered');
  });

  it('no key held and an image without Instance Connect: nothing works, each way says why', async () => {
    const id = sim.addInstance(REGION, { publicIp: '203.0.113.32', keyName: 'lost-key', name: 'b', securityGroups: [await sshOpen()] });
    sim.setImageName(sim.instance(id)?.imageId ?? '', 'debian-12-amd64-20241004-1890');
    sim.sessionManager.setAgentOnline(id, false);
    const found = await ways.one(ref(id));
    expect(found.best).toBeUndefined();
    expect(found.ways[0]?.detail).toContain('"lost-key" is not in Hangar\'s keychain');
    expect(found.ways[1]?.detail).toContain('does not come with EC2 Instance Connect');
    expect(found.ways[2]?.detail).toContain('not connected');
  });

  it('a members-only security group: SSH cannot reach it, Session Manager is the way in, and Files fail at once saying so', async () => {
    const id = sim.addInstance(REGION, { publicIp: '203.0.113.33', keyName: 'held', name: 'c' });
    sim.sessionManager.setAgentOnline(id, true);
    const found = await ways.one(ref(id));
    expect(found.sshReachable).toBe(false);
    expect(found.best).toBe('session-manager');
    expect(found.ways[0]?.detail).toContain('port 22 is closed');

    let tried = false;
    const connections = { acquire: async () => { tried = true; throw new Error('no SSH here'); } } as unknown as ConnectionManager;
    const error = await caught(sshOnlyGuard(connections, ways, 'Files').acquire(ref(id)));
    expect(error.code).toBe('SSH_ONLY_SESSION_MANAGER');
    expect(error.message).toContain('Files need SSH, and this instance is reachable only through Session Manager');
    expect(tried).toBe(false);

    // A host of the user's own in the connection settings (a VPN, a tunnel) is trusted: SSH is tried.
    settings.mutate((s) => ({ ...s, connections: { ...s.connections, [id]: { host: '10.8.0.5' } } }));
    expect((await ways.one(ref(id))).best).toBe('ssh-key');
    await sshOnlyGuard(connections, ways, 'Files').acquire(ref(id)).catch(() => undefined);
    expect(tried).toBe(true);
  });

  it('Session Manager refused (no ssm:DescribeInstanceInformation): said on that way, the others still decided', async () => {
    const id = sim.addInstance(REGION, { publicIp: '203.0.113.34', keyName: 'held', name: 'd', securityGroups: [await sshOpen()] });
    sim.denyActions(['ssm:DescribeInstanceInformation']);
    try {
      const found = await ways.one(ref(id));
      expect(found.best).toBe('ssh-key');
      expect(found.ways[2]).toMatchObject({ available: false, detail: expect.stringContaining('could not ask Session Manager') as unknown });
    } finally {
      sim.allowActions();
    }
  });
});
