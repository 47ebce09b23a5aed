import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateInstanceConnectEndpointCommand, DescribeInstanceConnectEndpointsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWaysInService } from '../../src/main/services/access/ways-in-service';
import { createAwsClientPool, type AwsClientPool } from '../../src/main/services/aws/aws-client-pool';
import { createEc2Service } from '../../src/main/services/ec2/ec2-service';
import { createFirewallService } from '../../src/main/services/firewall/firewall-service';
import { createEiceRoute } from '../../src/main/services/keyless/eice/eice-route';
import { openEiceTunnel } from '../../src/main/services/keyless/eice/eice-tunnel';
import { createSsmSessionApi } from '../../src/main/services/keyless/ssm/ssm-session-api';
import { silentLogger } from '../../src/main/services/logging/logger';
import { createSettingsFileBackend } from '../../src/main/services/settings/settings-file-backend';
import { createSettingsStore } from '../../src/main/services/settings/settings-store';
import { createConnectionManager, type ConnectionManager } from '../../src/main/services/ssh/create-connection-manager';
import { argvCommand } from '../../src/main/services/ssh/remote-command';
import { caught } from '../support/caught';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';
import { startSshd, type Sshd } from '../support/sshd';
import { stubKeyStore } from '../support/stub-key-store';

/**
 * EC2 Instance Connect Endpoint (issue 15): an instance with no public address reached through the endpoint's
 * signed WebSocket tunnel (OpenTunnel), as the AWS CLI's open-tunnel does it, against the simulator's endpoint
 * (DescribeInstanceConnectEndpoints through the real SDK, the presigned query checked) relaying to a real sshd.
 */
const REGION = 'eu-west-1';
const ACCOUNT = 'acct-eice';
const credentials = { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY };
let sim: Ec2Simulator;
let sshd: Sshd;
let pool: AwsClientPool;
let manager: ConnectionManager;
let root: string;
let privateOnly: string;
let endpointId: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'hangar-eice-'));
  sshd = await startSshd();
  await writeFile(join(sshd.home, 'through-eice.txt'), 'hello\n');
  sim = await startEc2Simulator();
  pool = createAwsClientPool({ credentialsFor: () => async () => credentials, endpoint: sim.url });
  const ec2 = createEc2Service({ clientsFor: (id) => pool.clientsFor(id) });
  const settings = createSettingsStore(createSettingsFileBackend(join(root, 'settings')));
  manager = createConnectionManager({
    settings,
    keys: stubKeyStore(sshd.userPrivateKey, 'lab'),
    ec2,
    logger: silentLogger,
    userCandidates: () => [sshd.username],
    refusedRetryMs: 0,
    eice: createEiceRoute({ clientsFor: (id) => pool.clientsFor(id) }),
  });
  privateOnly = sim.addInstance(REGION, { publicIp: null, privateIp: '10.0.7.21', keyName: 'lab', name: 'private-gpu' });
  sim.attachSshd(privateOnly, sshd);
  const client = new EC2Client({ region: REGION, endpoint: sim.url, credentials });
  try {
    const made = await client.send(new CreateInstanceConnectEndpointCommand({ SubnetId: sim.instance(privateOnly)?.subnetId ?? '' }));
    endpointId = made.InstanceConnectEndpoint?.InstanceConnectEndpointId ?? '';
    const listed = await client.send(new DescribeInstanceConnectEndpointsCommand({ Filters: [{ Name: 'state', Values: ['create-complete'] }] }));
    expect(listed.InstanceConnectEndpoints?.map((e) => e.InstanceConnectEndpointId)).toEqual([endpointId]);
    expect(listed.InstanceConnectEndpoints?.[0]?.DnsName).toMatch(/\.ec2-instance-connect-endpoint\.eu-west-1\.amazonaws\.com$/);
  } finally {
    client.destroy();
  }
}, 60_000);

afterAll(async () => {
  manager?.dispose();
  pool?.destroy();
  await sim?.close();
  await sshd?.stop();
  await rm(root, { recursive: true, force: true });
});

describe('EC2 Instance Connect Endpoint', () => {
  it('an instance with no public address: SSH goes through the endpoint tunnel, host key checked; commands and SFTP work', async () => {
    const ref = { accountId: ACCOUNT, region: REGION, instanceId: privateOnly, acceptHostKey: sshd.hostKeyFingerprintSha256 };
    const { connection, target } = await manager.acquire(ref);
    try {
      expect(target.host).toBe('10.0.7.21');
      expect(target.route.eice?.endpointId).toBe(endpointId);
      const { stdout, code } = await connection.run(argvCommand(['sh', '-c', 'echo via-eice-$((6*7))']));
      expect({ stdout: stdout.trim(), code }).toEqual({ stdout: 'via-eice-42', code: 0 });
      const sftp = await connection.sftp();
      const names = await new Promise<string[]>((resolve, reject) => sftp.readdir(sshd.home, (error, list) => (error ? reject(error) : resolve(list.map((e) => e.filename)))));
      expect(names).toContain('through-eice.txt');
    } finally {
      connection.release();
    }
    expect(sim.instanceConnectEndpoints.tunnels.map((t) => [t.endpointId, t.privateIp, t.remotePort, t.instanceId])).toContainEqual([endpointId, '10.0.7.21', 22, privateOnly]);
  }, 60_000);

  it('the ways in say SSH goes through the endpoint', async () => {
    const settings = createSettingsStore(createSettingsFileBackend(join(root, 'settings-ways')));
    const ec2 = createEc2Service({ clientsFor: (id) => pool.clientsFor(id) });
    const ways = createWaysInService({
      ec2,
      keys: stubKeyStore(sshd.userPrivateKey, 'lab'),
      settings,
      firewall: createFirewallService({ clientsFor: (id) => pool.clientsFor(id), ec2 }),
      ssm: createSsmSessionApi({ clientsFor: (id) => pool.clientsFor(id) }),
      instanceConnect: false,
      endpoints: createEiceRoute({ clientsFor: (id) => pool.clientsFor(id) }),
    });
    const found = await ways.one({ accountId: ACCOUNT, region: REGION, instanceId: privateOnly });
    expect(found.best).toBe('ssh-key');
    expect(found.ways.find((w) => w.way === 'endpoint')).toMatchObject({ available: true, detail: expect.stringContaining(endpointId) as unknown });
  });

  it('no endpoint in its VPC: the error says how to reach it', async () => {
    const vpc = sim.addVpc(REGION);
    const lonely = sim.addInstance(REGION, { publicIp: null, privateIp: '10.9.0.5', keyName: 'lab', vpcId: vpc.vpcId, subnetId: vpc.subnetIds[0] ?? '' });
    const error = await caught(manager.acquire({ accountId: ACCOUNT, region: REGION, instanceId: lonely }));
    expect(error.code).toBe('SSH_NO_ADDRESS');
    expect(error.hint).toContain('EC2 Instance Connect Endpoint');
    expect(error.hint).toContain('Session Manager');
  });

  it('a wrong signature and a denied OpenTunnel are refused with 403, said with the fix', async () => {
    const target = { region: REGION, endpointId, dnsName: 'unused', privateIp: '10.0.7.21', remotePort: 22, endpointOverride: new URL(sim.url) };
    const forged = await caught(openEiceTunnel({ ...target, credentials: { ...credentials, secretAccessKey: 'not-the-secret' } }));
    expect(forged.code).toBe('AWS_UNAUTHORIZED');
    expect(forged.message).toContain('signature');
    sim.denyActions(['ec2-instance-connect:OpenTunnel']);
    try {
      const denied = await caught(openEiceTunnel({ ...target, credentials }));
      expect(denied.code).toBe('AWS_UNAUTHORIZED');
      expect(denied.message).toContain('ec2-instance-connect:OpenTunnel');
      expect(denied.hint).toContain('ec2-instance-connect:OpenTunnel');
    } finally {
      sim.allowActions();
    }
  });
});
