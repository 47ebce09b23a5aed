import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateKeyPairCommand } from '@aws-sdk/client-ec2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClientPool, type AwsClientPool } from '../../src/main/services/aws/aws-client-pool';
import { createEc2Service } from '../../src/main/services/ec2/ec2-service';
import { createLaunchService } from '../../src/main/services/launch/create-launch-service';
import type { LaunchService } from '../../src/main/services/launch/launch-service';
import { sshPrivateKey } from '../../src/main/services/secrets/secret-keys';
import type { SecretStore } from '../../src/main/services/secrets/secret-store';
import { createSettingsFileBackend } from '../../src/main/services/settings/settings-file-backend';
import { createSettingsStore, type SettingsStore } from '../../src/main/services/settings/settings-store';
import { createKeysService } from '../../src/main/services/ssh/create-keys-service';
import { parsePrivateKey } from '../../src/main/services/ssh/keys/parse-private-key';
import type { KeysService } from '../../src/main/services/ssh/keys-service';
import { priceFor } from '../../src/shared/models/instance-prices';
import { IMAGE_PRESETS, type LaunchRequest } from '../../src/shared/models/launch';
import { caught } from '../support/caught';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';
import { OPENSSH_KEY_HEADER } from '../support/key-headers';
import { createMemorySecretStore } from '../support/memory-secret-store';
import { generateKeyPair, startSshd } from '../support/sshd';
import { isolateAwsEnv } from '../support/isolated-aws-env';
import { ubuntuRequest as sharedUbuntuRequest } from '../support/ubuntu-launch-request';

const REGION = 'us-east-1';
const ACCOUNT = 'acct-launch';
let restoreEnv: () => void = () => undefined;

let sim: Ec2Simulator;
let pool: AwsClientPool;
let work: string;
let echo: Server;
let echoUrl: string;
/** What the IP echo service answers next. */
let echoAnswer = '203.0.113.7\n';

interface Rig {
  svc: LaunchService;
  keys: KeysService;
  secrets: SecretStore;
  settings: SettingsStore;
}

let counter = 0;
function rig(ipEchoUrl = echoUrl): Rig {
  const settings = createSettingsStore(createSettingsFileBackend(join(work, `settings-${counter++}`)));
  const secrets = createMemorySecretStore();
  const keys = createKeysService({ settings, secrets });
  const ec2 = createEc2Service({ clientsFor: (id) => pool.clientsFor(id) });
  const svc = createLaunchService({ clientsFor: (id) => pool.clientsFor(id), keys, settings, ec2, ipEchoUrl, sshProbeTimeoutMs: 2_000 });
  return { svc, keys, secrets, settings };
}

const scope = { accountId: ACCOUNT, region: REGION };

function ubuntuRequest(svc: LaunchService, extra: Partial<LaunchRequest> = {}): Promise<LaunchRequest> {
  return sharedUbuntuRequest(svc, scope, extra);
}

beforeAll(async () => {
  restoreEnv = isolateAwsEnv();
  work = await mkdtemp(join(tmpdir(), 'hangar-launch-'));
  sim = await startEc2Simulator({ timings: { pendingMs: 100, stoppingMs: 100, shuttingDownMs: 100 } });
  pool = createAwsClientPool({
    credentialsFor: () => async () => ({ accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }),
    endpoint: sim.url,
  });
  echo = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(echoAnswer));
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/`;
});

afterEach(() => {
  sim.allowActions();
  sim.clearCapacityFailures();
  echoAnswer = '203.0.113.7\n';
});

afterAll(async () => {
  pool?.destroy();
  await sim?.close();
  await new Promise((resolve) => echo?.close(resolve));
  await rm(work, { recursive: true, force: true });
  restoreEnv();
});

describe('images and instance types', () => {
  it('resolves every preset through SSM in the region, with region-specific ids, users and My AMIs', async () => {
    const { svc } = rig();
    const east = await svc.images(scope);
    expect(east.missingPresets).toEqual([]);
    expect(east.presets.map((p) => p.presetId)).toEqual(IMAGE_PRESETS.map((p) => p.id));
    for (const image of east.presets) {
      const preset = IMAGE_PRESETS.find((p) => p.id === image.presetId);
      expect(image.architecture, image.presetId).toBe(preset?.architecture);
      expect(sim.image(REGION, image.imageId)?.name).toBe(image.name);
    }
    const ubuntu = east.presets.find((p) => p.presetId === 'ubuntu-24.04-x86_64');
    expect(ubuntu).toMatchObject({ user: 'ubuntu', rootDeviceName: '/dev/sda1', rootSizeGiB: 8, gpu: false, needsRsa: false });
    expect(ubuntu?.name).toMatch(/ubuntu-noble-24\.04-amd64-server/);
    expect(east.presets.find((p) => p.presetId === 'al2023-x86_64')?.user).toBe('ec2-user');
    expect(east.presets.find((p) => p.presetId === 'dlami-pytorch-x86_64')?.gpu).toBe(true);

    const west = await svc.images({ accountId: ACCOUNT, region: 'eu-west-1' });
    expect(west.presets.find((p) => p.presetId === 'ubuntu-24.04-x86_64')?.imageId).not.toBe(ubuntu?.imageId);

    const mine = sim.addImage(REGION, { name: 'my-model-2025', architecture: 'arm64', volumeSize: 30 });
    const again = await svc.images(scope);
    expect(again.mine.map((i) => [i.imageId, i.name, i.architecture, i.rootSizeGiB])).toEqual([[mine, 'my-model-2025', 'arm64', 30]]);
    expect((await svc.searchImages(scope, mine)).map((i) => i.imageId)).toEqual([mine]);
    const found = await svc.searchImages(scope, 'ubuntu-noble-24.04-arm64');
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((i) => i.name.includes('ubuntu-noble-24.04-arm64') && i.architecture === 'arm64')).toBe(true);
  });

  it('lists only types offered here of the image’s architecture, with GPU, free-tier facts and prices', async () => {
    const { svc } = rig();
    sim.setInstanceTypeOffered(REGION, 'p3.2xlarge', []);
    const x86 = await svc.instanceTypes(scope, 'x86_64');
    const byName = new Map(x86.map((t) => [t.instanceType, t]));
    expect(x86.every((t) => t.architectures.includes('x86_64'))).toBe(true);
    expect(byName.has('t4g.micro')).toBe(false);
    expect(byName.has('p3.2xlarge')).toBe(false);
    expect(byName.get('t3.micro')).toMatchObject({ vcpus: 2, memoryMiB: 1024, freeTier: true, gpus: 0, pricePerHour: priceFor(REGION, 't3.micro') });
    expect(byName.get('g6.xlarge')).toMatchObject({ gpus: 1, gpuModel: 'NVIDIA L4', freeTier: false });
    expect(byName.get('g4dn.xlarge')?.pricePerHour).toBe(priceFor(REGION, 'g4dn.xlarge'));
    const prices = x86.flatMap((t) => (t.pricePerHour === undefined ? [] : [t.pricePerHour]));
    expect(prices).toEqual([...prices].sort((a, b) => a - b));

    const arm = await svc.instanceTypes(scope, 'arm64');
    expect(arm.map((t) => t.instanceType)).toContain('t4g.micro');
    expect(arm.map((t) => t.instanceType)).toContain('g5g.xlarge');
    expect(arm.some((t) => t.instanceType === 't3.micro')).toBe(false);
  });

  it('reads the vCPU quota of a GPU family, explains when it cannot, and gives the spot price', async () => {
    const { svc } = rig();
    sim.setVcpuQuota('G and VT', 4, { region: REGION });
    const quota = await svc.vcpuQuota(scope, 'g5.xlarge', false);
    expect(quota).toMatchObject({ bucket: 'G and VT', quotaCode: 'L-DB2E81BA', limit: 4 });
    expect(quota.hint).toContain('up to 4 vCPUs');
    sim.setVcpuQuota('P', 0, { region: REGION });
    expect((await svc.vcpuQuota(scope, 'p3.2xlarge', false)).hint).toContain('0 vCPUs');
    sim.denyActions(['servicequotas:GetServiceQuota']);
    const unknown = await svc.vcpuQuota(scope, 'g5.xlarge', false);
    expect(unknown.limit).toBeUndefined();
    expect(unknown.hint).toContain('servicequotas:GetServiceQuota');
    expect(unknown.hint).toContain('console.aws.amazon.com/servicequotas');

    const spot = await svc.spotPrice(scope, 'g4dn.xlarge');
    expect(spot?.price).toBeGreaterThan(0.05);
    expect(spot?.availabilityZone).toMatch(/^us-east-1[abc]$/);
  });
});

describe('key pairs', () => {
  it('creates an ED25519 pair whose private key goes to the keychain, lists it as held, and saves a 0600 .pem', async () => {
    const { svc, keys, secrets } = rig();
    const created = await svc.createKeyPair({ ...scope, keyName: 'lab-ed', keyType: 'ed25519' });
    expect(created).toMatchObject({ keyName: 'lab-ed', keyType: 'ed25519', createdByHangar: true });
    const local = (await keys.list()).find((k) => k.id === created.localKeyId);
    expect(local).toMatchObject({ name: 'lab-ed', type: 'ssh-ed25519', awsFingerprint: created.fingerprint });
    const stored = await secrets.get(sshPrivateKey(created.localKeyId ?? ''));
    expect(stored?.startsWith(OPENSSH_KEY_HEADER)).toBe(true);
    expect(parsePrivateKey(stored ?? '').awsFingerprint).toBe(sim.keyPair(REGION, 'lab-ed')?.fingerprint);
    expect(sim.keyPair(REGION, 'lab-ed')?.tags).toEqual({ Name: 'lab-ed', 'hangar:created-by': 'Hangar' });

    const rsa = await svc.createKeyPair({ ...scope, keyName: 'lab-rsa', keyType: 'rsa' });
    const listed = await svc.keyPairs(scope);
    expect(listed.find((k) => k.keyName === 'lab-ed')?.localKeyId).toBe(created.localKeyId);
    expect(listed.find((k) => k.keyName === 'lab-rsa')?.localKeyId).toBe(rsa.localKeyId);

    // A pair whose key only the console user has: listed, not held.
    await pool.clientsFor(ACCOUNT).ec2(REGION).send(new CreateKeyPairCommand({ KeyName: 'console-made' }));
    expect((await svc.keyPairs(scope)).find((k) => k.keyName === 'console-made')).toMatchObject({ createdByHangar: false });
    expect((await svc.keyPairs(scope)).find((k) => k.keyName === 'console-made')?.localKeyId).toBeUndefined();

    const path = join(work, 'lab-ed.pem');
    await writeFile(path, 'old', { mode: 0o644 });
    await svc.exportKey(created.localKeyId ?? '', path);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readFile(path, 'utf8')).toBe(`${stored?.trimEnd() ?? ''}\n`);

    const dup = await caught(svc.createKeyPair({ ...scope, keyName: 'lab-ed', keyType: 'ed25519' }));
    expect(dup.code).toBe('AWS_ALREADY_EXISTS');
  });

  it('imports the public half of a key Hangar holds (ImportKeyPair) and sees it as held', async () => {
    const { svc, keys } = rig();
    const generated = await generateKeyPair('ed25519');
    const local = await keys.importMaterial({ name: 'laptop-key', privateKey: generated.privateKey });
    const pair = await svc.importKeyPair({ ...scope, keyId: local.id });
    expect(pair).toMatchObject({ keyName: 'laptop-key', localKeyId: local.id });
    expect(sim.keyPair(REGION, 'laptop-key')?.publicKey.startsWith(generated.publicKey)).toBe(true);
    expect(sim.keyPair(REGION, 'laptop-key')?.tags['hangar:created-by']).toBe('Hangar');
    expect((await svc.keyPairs(scope)).find((k) => k.keyName === 'laptop-key')?.localKeyId).toBe(local.id);
  });
});

describe('my-IP security group', () => {
  it('creates hangar-ssh with exactly one /32 rule, reuses it, and Update my IP swaps the rule', async () => {
    const { svc } = rig();
    expect(await svc.myIp()).toBe('203.0.113.7');
    const vpcId = sim.defaultVpc(REGION)?.vpcId ?? '';
    const group = await svc.createSshGroup({ ...scope, vpcId, source: await svc.myIp() });
    expect(group).toMatchObject({ groupName: 'hangar-ssh', vpcId, sshSources: ['203.0.113.7/32'], createdByHangar: true });
    const ingress = () => sim.securityGroupRules(REGION, group.groupId).filter((r) => !r.egress);
    expect(ingress()).toEqual([expect.objectContaining({ protocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '203.0.113.7/32' })]);

    // Asked again for the same VPC: the same group, still one rule.
    const again = await svc.createSshGroup({ ...scope, vpcId, source: '203.0.113.7' });
    expect(again.groupId).toBe(group.groupId);
    expect(ingress()).toHaveLength(1);

    echoAnswer = '198.51.100.9\n';
    const updated = await svc.updateMyIp({ ...scope, groupId: group.groupId });
    expect(updated.sshSources).toEqual(['198.51.100.9/32']);
    expect(ingress().map((r) => r.cidrIpv4)).toEqual(['198.51.100.9/32']);
    const manual = await svc.updateMyIp({ ...scope, groupId: group.groupId, ip: '192.0.2.44' });
    expect(manual.sshSources).toEqual(['192.0.2.44/32']);

    const network = await svc.network(scope);
    expect(network.defaultVpcId).toBe(vpcId);
    expect(network.subnets.filter((s) => s.vpcId === vpcId).map((s) => s.availabilityZone)).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect(network.securityGroups.find((g) => g.groupId === group.groupId)?.sshSources).toEqual(['192.0.2.44/32']);
  });

  it('opens 0.0.0.0/0 only when asked for, and says when the IP echo service cannot be reached', async () => {
    const { svc } = rig();
    const vpc = sim.addVpc(REGION);
    const open = await svc.createSshGroup({ ...scope, vpcId: vpc.vpcId, source: 'anywhere' });
    expect(open.sshSources).toEqual(['0.0.0.0/0']);

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
    await new Promise((resolve) => closed.close(resolve));
    const offline = rig(deadUrl);
    const error = await caught(offline.svc.myIp());
    expect(error.code).toBe('IP_ECHO_UNREACHABLE');
    expect(error.hint).toMatch(/type your public IP/);

    echoAnswer = '<html>captive portal</html>';
    expect((await caught(svc.myIp())).code).toBe('IP_ECHO_UNREACHABLE');
  });
});

describe('Update my IP from an instance (the terminal\'s "port 22 timed out")', () => {
  it('fixes the Hangar-made group of the instance and refuses to touch groups Hangar did not make', async () => {
    const { svc } = rig();
    const vpcId = sim.defaultVpc(REGION)?.vpcId ?? '';
    const group = await svc.createSshGroup({ ...scope, vpcId, source: '203.0.113.7' });
    const [mine] = await svc.launch(await ubuntuRequest(svc, { securityGroupIds: [group.groupId], name: 'ip-changed' }));
    echoAnswer = '198.51.100.20\n';
    const updated = await svc.updateMyIpForInstance({ ...scope, instanceId: mine?.instanceId ?? '' });
    expect(updated.map((g) => [g.groupId, g.sshSources])).toEqual([[group.groupId, ['198.51.100.20/32']]]);
    expect(sim.securityGroupRules(REGION, group.groupId).filter((r) => !r.egress).map((r) => r.cidrIpv4)).toEqual(['198.51.100.20/32']);

    const [other] = await svc.launch(await ubuntuRequest(svc, { name: 'default-group' }));
    const refused = await caught(svc.updateMyIpForInstance({ ...scope, instanceId: other?.instanceId ?? '' }));
    expect(refused.code).toBe('NOT_FOUND');
    expect(refused.hint).toMatch(/default/);
  });
});

describe('DryRun and RunInstances', () => {
  it('DryRun says the launch would work, or which permission is missing', async () => {
    const { svc } = rig();
    const request = await ubuntuRequest(svc);
    expect(await svc.dryRun(request)).toMatchObject({ ok: true, missing: [] });
    sim.denyActions(['ec2:CreateTags']);
    const tags = await svc.dryRun(request);
    expect(tags).toMatchObject({ ok: false, missing: ['ec2:CreateTags'] });
    expect(tags.message).toContain('ec2:CreateTags');
    sim.allowActions();
    sim.denyActions(['RunInstances']);
    expect(await svc.dryRun(request)).toMatchObject({ ok: false, missing: ['ec2:RunInstances'] });
    expect(sim.requests.filter((r) => r.action === 'RunInstances' && r.errorCode === 'DryRunOperation').length).toBeGreaterThan(0);
  });

  it('maps each launch error to a message with its fix', async () => {
    const { svc } = rig();
    const request = await ubuntuRequest(svc);

    const arch = await caught(svc.launch({ ...request, instanceType: 't4g.micro' }));
    expect(arch.code).toBe('AWS_ARCH_MISMATCH');
    expect(arch.hint).toMatch(/arm64/);

    const key = await caught(svc.launch({ ...request, keyName: 'nobody' }));
    expect(key.code).toBe('AWS_KEY_PAIR_NOT_FOUND');
    expect(key.hint).toMatch(/create or import/);

    const dlami = (await svc.images({ accountId: ACCOUNT, region: 'us-west-2' })).presets.find((p) => p.presetId === 'dlami-pytorch-x86_64');
    sim.setVcpuQuota('G and VT', 0, { region: 'us-west-2' });
    const vcpu = await caught(
      svc.launch({ ...request, region: 'us-west-2', imageId: dlami?.imageId ?? '', rootDeviceName: dlami?.rootDeviceName ?? '/dev/sda1', rootSizeGiB: dlami?.rootSizeGiB ?? 100, instanceType: 'g5.xlarge' }),
    );
    expect(vcpu.code).toBe('AWS_VCPU_LIMIT');
    expect(vcpu.hint).toContain('console.aws.amazon.com/servicequotas');

    sim.failCapacity({ instanceType: 't3.micro', availabilityZone: 'us-east-1a' });
    const subnetA = (await svc.network(scope)).subnets.find((s) => s.availabilityZone === 'us-east-1a' && s.defaultForAz)?.subnetId;
    sim.clearRequests();
    const capacity = await caught(svc.launch({ ...request, ...(subnetA === undefined ? {} : { subnetId: subnetA }) }));
    expect(capacity.code).toBe('AWS_INSUFFICIENT_CAPACITY');
    expect(capacity.hint).toContain('us-east-1b, us-east-1c');
    // HTTP 500, but not retried by the SDK: one attempt.
    expect(sim.requests.filter((r) => r.action === 'RunInstances')).toHaveLength(1);
    // A cluster: all nodes must fit together, so fewer nodes or another zone is the advice.
    const clustered = await caught(svc.launch({ ...request, count: 3, cluster: { name: 'tight' }, ...(subnetA === undefined ? {} : { subnetId: subnetA }) }));
    expect(clustered.code).toBe('AWS_INSUFFICIENT_CAPACITY');
    expect(clustered.message).toContain('3 × t3.micro together in the placement group of cluster tight');
    expect(clustered.hint).toMatch(/^Try fewer nodes/);

    sim.removeDefaultVpc('ap-south-1');
    const al = (await svc.images({ accountId: ACCOUNT, region: 'ap-south-1' })).presets.find((p) => p.presetId === 'al2023-x86_64');
    const noVpc = await caught(
      svc.launch({ ...request, region: 'ap-south-1', imageId: al?.imageId ?? '', rootDeviceName: al?.rootDeviceName ?? '/dev/xvda' }),
    );
    expect(noVpc.code).toBe('AWS_NO_DEFAULT_VPC');
    expect(noVpc.hint).toMatch(/Create default VPC/);
  });

  it('launches a spot instance when asked', async () => {
    const { svc } = rig();
    const [spot] = await svc.launch(await ubuntuRequest(svc, { spot: true, name: 'cheap' }));
    expect(sim.instance(spot?.instanceId ?? '')?.instanceLifecycle).toBe('spot');
    expect(sim.instance(spot?.instanceId ?? '')?.tags.Name).toBe('cheap');
    expect(sim.instance(spot?.instanceId ?? '')?.spotOptions).toEqual({ type: 'one-time', interruptionBehavior: 'terminate' });
  });

  it('launches persistent spot that stops when interrupted, with a maximum price; a price under the spot price is refused', async () => {
    const { svc } = rig();
    const request = await ubuntuRequest(svc, { spot: true, name: 'keeps', spotRequest: { type: 'persistent', interruption: 'stop', maxPrice: 0.5 } });
    expect((await svc.dryRun(request)).ok).toBe(true);
    const [spot] = await svc.launch(request);
    expect(sim.instance(spot?.instanceId ?? '')?.spotOptions).toEqual({ type: 'persistent', interruptionBehavior: 'stop', maxPrice: '0.5' });
    const tooLow = await caught(svc.launch({ ...request, spotRequest: { type: 'persistent', interruption: 'stop', maxPrice: 0.0011 } }));
    expect(tooLow.message).toMatch(/lower than the minimum required Spot request fulfillment price/);
  });

  it('launches 2 named, tagged instances with the created key and my-IP group, and probes SSH', async () => {
    const { svc, settings } = rig();
    const pair = await svc.createKeyPair({ ...scope, keyName: 'cluster-key', keyType: 'ed25519' });
    const vpcId = sim.defaultVpc(REGION)?.vpcId ?? '';
    const group = await svc.createSshGroup({ ...scope, vpcId, source: '203.0.113.7' });
    const request = await ubuntuRequest(svc, {
      count: 2,
      name: 'train',
      keyName: 'cluster-key',
      securityGroupIds: [group.groupId],
      rootSizeGiB: 30,
      tags: [{ key: 'project', value: 'thesis' }],
      userData: '#!/bin/bash\necho hi\n',
    });
    const launched = await svc.launch(request);
    expect(launched.map((l) => l.name)).toEqual(['train-1', 'train-2']);
    for (const [k, l] of launched.entries()) {
      const snap = sim.instance(l.instanceId);
      expect(snap?.tags).toEqual({ Name: `train-${k + 1}`, 'hangar:created-by': 'Hangar', project: 'thesis' });
      expect(snap?.rootVolume).toMatchObject({ size: 30, type: 'gp3', deleteOnTermination: true });
      expect(snap?.rootVolume.tags['hangar:created-by']).toBe('Hangar');
      expect(snap?.keyName).toBe('cluster-key');
      expect(snap?.securityGroupIds).toEqual([group.groupId]);
      expect(Buffer.from(snap?.userData ?? '', 'base64').toString('utf8')).toBe('#!/bin/bash\necho hi\n');
      expect(settings.get().connections[l.instanceId]?.keyId).toBe(pair.localKeyId);
    }

    const sshd = await startSshd();
    try {
      const id = launched[0]?.instanceId ?? '';
      const ref = { ...scope, instanceId: id };
      const deadline = Date.now() + 10_000;
      while (sim.instance(id)?.state !== 'running' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      settings.mutate((s) => ({ ...s, connections: { ...s.connections, [id]: { ...s.connections[id], host: '127.0.0.1:1' } } }));
      expect(await svc.probeSsh(ref)).toMatchObject({ ready: false, state: 'running' });
      settings.mutate((s) => ({ ...s, connections: { ...s.connections, [id]: { ...s.connections[id], host: `${sshd.host}:${sshd.port}` } } }));
      expect(await svc.probeSsh(ref)).toEqual({ ready: true, host: sshd.host, state: 'running' });
    } finally {
      await sshd.stop();
    }
  });
});
