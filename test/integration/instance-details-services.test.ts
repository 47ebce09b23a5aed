import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClientPool, type AwsClientPool } from '../../src/main/services/aws/aws-client-pool';
import { createConsoleService, type ConsoleService } from '../../src/main/services/console/console-service';
import { createPriceCache } from '../../src/main/services/costs/price-cache';
import { createPriceSource } from '../../src/main/services/costs/price-source';
import { createEc2Service } from '../../src/main/services/ec2/ec2-service';
import { createElasticIpService, type ElasticIpService } from '../../src/main/services/elastic-ips/elastic-ip-service';
import { createFirewallService, type FirewallService } from '../../src/main/services/firewall/firewall-service';
import { silentLogger } from '../../src/main/services/logging/logger';
import { consoleSegments } from '../../src/shared/models/console-output';
import { ruleWords } from '../../src/shared/models/firewall';
import { caught } from '../support/caught';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';
import { isolateAwsEnv } from '../support/isolated-aws-env';

const REGION = 'us-east-1';
const ACCOUNT = 'acct-details';
const scope = { accountId: ACCOUNT, region: REGION };

let restoreEnv: () => void = () => undefined;
let sim: Ec2Simulator;
let pool: AwsClientPool;
let work: string;
let consoles: ConsoleService;
let firewall: FirewallService;
let eips: ElasticIpService;

const CLOUD_INIT = [
  '[    9.61] cloud-init[512]: Cloud-init v. 24.3.1 running',
  'ec2: -----BEGIN SSH HOST KEY FINGERPRINTS-----',
  'ec2: 256 SHA256:Xq0tZ3bCw8WcFZtI3D0n9vYkq0E7a1h3VhJrPpS9s1Y root@ip-172-31-0-9 (ED25519)',
  'ec2: -----END SSH HOST KEY FINGERPRINTS-----',
  'Ubuntu 24.04 LTS ip-172-31-0-9 ttyS0',
].join('\n');

beforeAll(async () => {
  restoreEnv = isolateAwsEnv();
  work = await mkdtemp(join(tmpdir(), 'hangar-details-'));
  sim = await startEc2Simulator({ regions: [{ name: REGION, optInStatus: 'opt-in-not-required' }] });
  pool = createAwsClientPool({
    credentialsFor: () => async () => ({ accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }),
    endpoint: sim.url,
  });
  const clientsFor = (id: string) => pool.clientsFor(id);
  const ec2 = createEc2Service({ clientsFor });
  consoles = createConsoleService({ clientsFor, ec2 });
  firewall = createFirewallService({ clientsFor, ec2 });
  const prices = createPriceSource({ clientsFor, cache: createPriceCache({ dir: work, logger: silentLogger }), logger: silentLogger });
  eips = createElasticIpService({ clientsFor, prices });
});

afterEach(() => {
  sim.allowActions();
  sim.setSerialConsoleAccess(false);
});

afterAll(async () => {
  pool?.destroy();
  await sim?.close();
  await rm(work, { recursive: true, force: true });
  restoreEnv();
});

describe('console', () => {
  it('reads the latest output decoded, with the fingerprint block found, and says when the serial console is on', async () => {
    const id = sim.addInstance(REGION, { name: 'web', instanceType: 't3.micro' });
    const before = await consoles.view({ ...scope, instanceId: id });
    // The first minutes after launch: AWS has no output yet.
    expect(before.text).toBeUndefined();
    expect(before.latest).toBe(true);
    expect(before.serialConsole).toEqual({ enabled: false, managedBy: 'account' });

    sim.setConsoleOutput(id, CLOUD_INIT);
    sim.setSerialConsoleAccess(true);
    const view = await consoles.view({ ...scope, instanceId: id });
    expect(view.text).toBe(CLOUD_INIT);
    expect(view.serialConsole?.enabled).toBe(true);
    expect(Date.parse(view.updatedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    expect(consoleSegments(view.text ?? '').filter((s) => s.fingerprints).map((s) => s.text.split('\n').length)).toEqual([3]);
  });

  it('falls back to the buffered output on a Xen type, and keeps quiet about the serial console without the permission', async () => {
    const id = sim.addInstance(REGION, { name: 'old', instanceType: 't2.micro' });
    sim.setConsoleOutput(id, 'login: ');
    sim.denyActions(['ec2:GetSerialConsoleAccessStatus']);
    sim.clearRequests();
    const view = await consoles.view({ ...scope, instanceId: id });
    expect(view).toMatchObject({ text: 'login: ', latest: false });
    // Asked for the latest first (which a Xen type refuses), then for the buffered copy.
    expect(sim.requests.filter((r) => r.action === 'GetConsoleOutput').map((r) => r.errorCode)).toEqual(['UnsupportedOperation', undefined]);
    expect(view.serialConsole).toBeUndefined();
  });

  it('returns the screenshot as a PNG of a running instance and refuses a stopped one', async () => {
    const id = sim.addInstance(REGION, { name: 'shot' });
    const shot = await consoles.screenshot({ ...scope, instanceId: id });
    expect(shot.mimeType).toBe('image/png');
    expect(Buffer.from(shot.base64, 'base64').subarray(1, 4).toString('ascii')).toBe('PNG');
    const stopped = sim.addInstance(REGION, { name: 'off', state: 'stopped' });
    expect(await caught(consoles.screenshot({ ...scope, instanceId: stopped }))).toMatchObject({ code: 'AWS_INCORRECT_STATE' });
  });

  it('names the permission when GetConsoleOutput is denied', async () => {
    const id = sim.addInstance(REGION, { name: 'denied' });
    sim.denyActions(['ec2:GetConsoleOutput']);
    const error = await caught(consoles.view({ ...scope, instanceId: id }));
    expect(error).toMatchObject({ code: 'AWS_UNAUTHORIZED' });
    expect((error as Error).message).toContain('ec2:GetConsoleOutput');
  });
});

describe('firewall rules', () => {
  it('lists inbound rules in words, adds one with a description, refuses duplicates and overlaps, and removes it by id', async () => {
    const vpc = sim.defaultVpc(REGION);
    if (!vpc) throw new Error('no default VPC');
    const id = sim.addInstance(REGION, { name: 'fw', securityGroups: [{ id: vpc.defaultGroupId, name: 'default' }] });
    const ref = { ...scope, instanceId: id };
    const first = await firewall.rules(ref);
    expect(first.groups.map((g) => g.groupName)).toEqual(['default']);
    const groupId = vpc.defaultGroupId;

    const added = await firewall.addRule({ ...scope, groupId, protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '203.0.113.7', description: 'Ana laptop' });
    const rule = added.inbound.find((r) => r.source.kind === 'cidr' && r.source.cidr === '203.0.113.7/32');
    expect(rule && ruleWords(rule)).toBe('SSH (22) from 203.0.113.7/32 — Ana laptop');
    expect(sim.securityGroupRules(REGION, groupId)).toContainEqual(expect.objectContaining({ cidrIpv4: '203.0.113.7/32', description: 'Ana laptop', fromPort: 22, ruleId: rule?.ruleId }));

    expect(await caught(firewall.addRule({ ...scope, groupId, protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '203.0.113.7/32', description: '' }))).toMatchObject({
      code: 'AWS_ALREADY_EXISTS',
      message: 'This rule already exists: SSH (22) from 203.0.113.7/32 — Ana laptop.',
    });
    expect(await caught(firewall.addRule({ ...scope, groupId, protocol: 'tcp', fromPort: 0, toPort: 1024, cidr: '203.0.113.0/24', description: '' }))).toMatchObject({
      code: 'AWS_ALREADY_EXISTS',
    });
    expect(sim.requests.filter((r) => r.action === 'AuthorizeSecurityGroupIngress')).toHaveLength(1);

    // IPv6 goes in Ipv6Ranges.
    const v6 = await firewall.addRule({ ...scope, groupId, protocol: 'tcp', fromPort: 8888, toPort: 8888, cidr: '2001:DB8::/32', description: 'lab v6' });
    expect(v6.inbound.map(ruleWords)).toContain('Jupyter (8888) from 2001:db8::/32 — lab v6');

    const removed = await firewall.removeRule({ ...scope, groupId, ruleId: rule?.ruleId ?? '' });
    expect(removed.inbound.some((r) => r.ruleId === rule?.ruleId)).toBe(false);
    expect(sim.securityGroupRules(REGION, groupId).some((r) => r.cidrIpv4 === '203.0.113.7/32')).toBe(false);
    // Gone already: said in words, not as EC2's code.
    expect(await caught(firewall.removeRule({ ...scope, groupId, ruleId: rule?.ruleId ?? '' }))).toMatchObject({
      code: 'AWS_NOT_FOUND',
      message: `That rule is no longer in security group ${groupId}.`,
    });
  });

  it('lets EC2 refuse a description outside its alphabet, and names a denied permission', async () => {
    const group = sim.defaultVpc(REGION)?.defaultGroupId ?? '';
    // The schema refuses it at the boundary; the simulator refuses it the way EC2 does for callers that skip it.
    const error = await caught(firewall.addRule({ ...scope, groupId: group, protocol: 'tcp', fromPort: 5000, toPort: 5000, cidr: '198.51.100.4', description: "Ana's laptop" }));
    expect(error).toMatchObject({ code: 'AWS_REQUEST_FAILED' });
    expect((error as { details?: { awsCode?: string } }).details?.awsCode).toBe('InvalidParameterValue');
    sim.denyActions(['ec2:AuthorizeSecurityGroupIngress']);
    expect(await caught(firewall.addRule({ ...scope, groupId: group, protocol: 'udp', fromPort: 53, toPort: 53, cidr: '198.51.100.4', description: '' }))).toMatchObject({
      code: 'AWS_UNAUTHORIZED',
    });
  });
});

describe('elastic IPs', () => {
  it('allocates with the hourly price, associates, disassociates and releases', async () => {
    const id = sim.addInstance(REGION, { name: 'eip-target' });
    const empty = await eips.list(scope);
    expect(empty.hourlyUsd).toBe(0.005);
    expect(empty.priceSource?.source).toBe('price-list');

    const allocated = await eips.allocate({ ...scope, name: 'lab address' });
    expect(allocated).toMatchObject({ name: 'lab address' });
    expect(allocated.instanceId).toBeUndefined();
    const attached = await eips.associate({ ...scope, allocationId: allocated.allocationId, instanceId: id });
    expect(attached.instanceId).toBe(id);
    expect(sim.instance(id)?.publicIp).toBe(allocated.publicIp);

    expect(await caught(eips.release({ ...scope, allocationId: allocated.allocationId }))).toMatchObject({ code: 'AWS_INCORRECT_STATE' });
    const detached = await eips.disassociate({ ...scope, allocationId: allocated.allocationId });
    expect(detached.instanceId).toBeUndefined();
    await eips.release({ ...scope, allocationId: allocated.allocationId });
    expect((await eips.list(scope)).addresses).toEqual([]);
    expect(await caught(eips.release({ ...scope, allocationId: allocated.allocationId }))).toMatchObject({ code: 'AWS_NOT_FOUND' });
  });
});
