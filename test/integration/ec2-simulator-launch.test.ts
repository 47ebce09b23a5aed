import { createHash, createPublicKey } from 'node:crypto';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateKeyPairCommand,
  CreateSecurityGroupCommand,
  DeleteKeyPairCommand,
  DeleteSecurityGroupCommand,
  DescribeAvailabilityZonesCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribeInstanceTypesCommand,
  DescribeKeyPairsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSpotPriceHistoryCommand,
  DescribeSubnetsCommand,
  DescribeVolumesCommand,
  DescribeVpcsCommand,
  EC2Client,
  GetConsoleOutputCommand,
  ImportKeyPairCommand,
  type Instance,
  RevokeSecurityGroupIngressCommand,
  RunInstancesCommand,
  type RunInstancesCommandInput,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { GetServiceQuotaCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { GetParameterCommand, GetParametersByPathCommand, GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { Client } from 'ssh2';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parsePrivateKey } from '../../src/main/services/ssh/keys/parse-private-key';
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_SECRET_ACCESS_KEY,
  PUBLIC_AMI_PARAMETERS,
  startEc2Simulator,
  type Ec2Simulator,
} from '../support/ec2-simulator/index';
import { OPENSSH_KEY_HEADER, PPK_HEADER_PREFIX, RSA_PEM_HEADER } from '../support/key-headers';
import { generateKeyPair } from '../support/sshd';

const REGION = 'us-east-1';
const credentials = { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY };
const UBUNTU_2404_X86 = '/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id';
const AL2023_X86 = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64';
const AL2023_ARM = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64';

let sim: Ec2Simulator;
const clients: { destroy(): void }[] = [];

function ec2(region = REGION, target: Ec2Simulator = sim): EC2Client {
  const client = new EC2Client({ region, credentials, endpoint: target.url, maxAttempts: 1 });
  clients.push(client);
  return client;
}

function ssm(region = REGION): SSMClient {
  const client = new SSMClient({ region, credentials, endpoint: sim.url, maxAttempts: 1 });
  clients.push(client);
  return client;
}

function quotas(region = REGION): ServiceQuotasClient {
  const client = new ServiceQuotasClient({ region, credentials, endpoint: sim.url, maxAttempts: 1 });
  clients.push(client);
  return client;
}

interface AwsError {
  name: string;
  message: string;
  $metadata: { httpStatusCode?: number };
}

async function rejectionOf(promise: Promise<unknown>): Promise<AwsError> {
  try {
    await promise;
  } catch (error) {
    return error as AwsError;
  }
  throw new Error('expected the call to fail');
}

async function amiAt(path: string, region = REGION): Promise<string> {
  const out = await ssm(region).send(new GetParameterCommand({ Name: path }));
  return out.Parameter?.Value ?? '';
}

function instancesOf(out: { Reservations?: { Instances?: Instance[] }[] }): Instance[] {
  return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
}

async function waitForState(client: EC2Client, ids: string[], state: string, timeoutMs = 20_000): Promise<Instance[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = instancesOf(await client.send(new DescribeInstancesCommand({ InstanceIds: ids })));
    if (found.length === ids.length && found.every((i) => i.State?.Name === state)) return found;
    if (Date.now() > deadline) throw new Error(`instances ${ids.join(', ')} not ${state}: ${found.map((i) => i.State?.Name).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function baseLaunch(imageId: string, extra: Partial<RunInstancesCommandInput> = {}): RunInstancesCommandInput {
  return { ImageId: imageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, ...extra };
}

beforeAll(async () => {
  sim = await startEc2Simulator({ timings: { pendingMs: 100, stoppingMs: 100, shuttingDownMs: 100 } });
});

afterEach(() => {
  sim.allowActions();
  sim.clearCapacityFailures();
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await sim.close();
});

describe('images: SSM public parameters and DescribeImages', () => {
  it('resolves every preset path to an image DescribeImages knows, with region-specific ids', async () => {
    for (const path of Object.keys(PUBLIC_AMI_PARAMETERS)) {
      const id = await amiAt(path);
      expect(id, path).toMatch(/^ami-[0-9a-f]{17}$/);
      const images = (await ec2().send(new DescribeImagesCommand({ ImageIds: [id] }))).Images ?? [];
      expect(images).toHaveLength(1);
      const arch = path.includes('arm64') ? 'arm64' : 'x86_64';
      expect(images[0]?.Architecture, path).toBe(arch);
    }
    expect(await amiAt(UBUNTU_2404_X86, 'eu-west-1')).not.toBe(await amiAt(UBUNTU_2404_X86));
  });

  it('describes an Ubuntu image with the fields the launch wizard shows', async () => {
    const id = await amiAt(UBUNTU_2404_X86);
    const [image] = (await ec2().send(new DescribeImagesCommand({ ImageIds: [id] }))).Images ?? [];
    expect(image).toMatchObject({
      ImageId: id,
      Architecture: 'x86_64',
      OwnerId: '099720109477',
      State: 'available',
      RootDeviceName: '/dev/sda1',
      RootDeviceType: 'ebs',
      VirtualizationType: 'hvm',
      EnaSupport: true,
      PlatformDetails: 'Linux/UNIX',
      Public: true,
    });
    expect(image?.Name).toMatch(/^ubuntu\/images\/hvm-ssd-gp3\/ubuntu-noble-24\.04-amd64-server-\d{8}$/);
    expect(image?.ImageOwnerAlias).toBeUndefined();
    expect(image?.BlockDeviceMappings?.[0]).toMatchObject({ DeviceName: '/dev/sda1', Ebs: { VolumeSize: 8, VolumeType: 'gp3', DeleteOnTermination: true } });
    // Dated recently, and the date in the name is the creation date's.
    const created = Date.parse(image?.CreationDate ?? '');
    expect(Date.now() - created).toBeLessThan(30 * 86_400_000);
    expect(image?.Name?.slice(-8)).toBe(image?.CreationDate?.slice(0, 10).replace(/-/g, ''));
  });

  it('answers GetParameters with InvalidParameters and GetParameter with ParameterNotFound for unknown names', async () => {
    const out = await ssm().send(new GetParametersCommand({ Names: [AL2023_X86, '/aws/service/nope'] }));
    expect(out.Parameters?.map((p) => p.Name)).toEqual([AL2023_X86]);
    expect(out.Parameters?.[0]).toMatchObject({ Type: 'String', DataType: 'text' });
    expect(out.Parameters?.[0]?.LastModifiedDate).toBeInstanceOf(Date);
    expect(out.InvalidParameters).toEqual(['/aws/service/nope']);
    const missing = await rejectionOf(ssm().send(new GetParameterCommand({ Name: '/aws/service/nope' })));
    expect(missing.name).toBe('ParameterNotFound');
    const byPath = await ssm().send(new GetParametersByPathCommand({ Path: '/aws/service/ami-amazon-linux-latest' }));
    expect(byPath.Parameters?.map((p) => p.Name)).toContain(AL2023_ARM);
  });

  it('filters by owner alias, name glob and architecture, and lists My AMIs with Owners=self', async () => {
    const amazon = await ec2().send(
      new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023.*-x86_64'] }, { Name: 'state', Values: ['available'] }] }),
    );
    const names = (amazon.Images ?? []).map((i) => i.Name ?? '');
    expect(names.length).toBeGreaterThanOrEqual(2);
    expect(names.every((n) => n.startsWith('al2023-ami-') && n.endsWith('-x86_64'))).toBe(true);
    const newest = [...(amazon.Images ?? [])].sort((a, b) => (b.CreationDate ?? '').localeCompare(a.CreationDate ?? ''))[0];
    expect(newest?.ImageId).toBe(await amiAt(AL2023_X86));

    const canonicalArm = await ec2().send(new DescribeImagesCommand({ Owners: ['099720109477'], Filters: [{ Name: 'architecture', Values: ['arm64'] }] }));
    expect((canonicalArm.Images ?? []).map((i) => i.Name).every((n) => n?.includes('arm64'))).toBe(true);
    expect(canonicalArm.Images?.length).toBe(2);

    const mine = sim.addImage(REGION, { name: 'my-trained-model-2025', architecture: 'arm64', volumeSize: 30 });
    const self = await ec2().send(new DescribeImagesCommand({ Owners: ['self'] }));
    expect(self.Images?.map((i) => [i.ImageId, i.Name, i.OwnerId, i.Public])).toEqual([[mine, 'my-trained-model-2025', sim.accountId, false]]);
    // Not visible from another region.
    expect((await ec2('eu-west-1').send(new DescribeImagesCommand({ Owners: ['self'] }))).Images).toEqual([]);

    const unknown = await rejectionOf(ec2().send(new DescribeImagesCommand({ ImageIds: ['ami-0123456789abcdef0'] })));
    expect(unknown.name).toBe('InvalidAMIID.NotFound');
    const malformed = await rejectionOf(ec2().send(new DescribeImagesCommand({ ImageIds: ['ami-xyz'] })));
    expect(malformed.name).toBe('InvalidAMIID.Malformed');
  });
});

describe('instance types, offerings, spot prices and quotas', () => {
  it('reports GPUs, free tier and architectures, offered per region and AZ', async () => {
    const types = await ec2().send(new DescribeInstanceTypesCommand({ InstanceTypes: ['g6.xlarge', 't3.micro', 'g5g.xlarge'] }));
    const byName = new Map((types.InstanceTypes ?? []).map((t) => [t.InstanceType, t]));
    expect(byName.get('g6.xlarge')?.GpuInfo?.Gpus?.[0]).toMatchObject({ Name: 'L4', Manufacturer: 'NVIDIA', Count: 1, MemoryInfo: { SizeInMiB: 22888 } });
    expect(byName.get('t3.micro')).toMatchObject({ FreeTierEligible: true, VCpuInfo: { DefaultVCpus: 2 }, MemoryInfo: { SizeInMiB: 1024 } });
    expect(byName.get('g5g.xlarge')?.ProcessorInfo?.SupportedArchitectures).toEqual(['arm64']);

    const zones = (await ec2().send(new DescribeAvailabilityZonesCommand({}))).AvailabilityZones ?? [];
    expect(zones.map((z) => [z.ZoneName, z.ZoneId, z.State])).toEqual([
      ['us-east-1a', 'use1-az1', 'available'],
      ['us-east-1b', 'use1-az2', 'available'],
      ['us-east-1c', 'use1-az3', 'available'],
    ]);

    sim.setInstanceTypeOffered(REGION, 'p3.2xlarge', ['us-east-1b']);
    const offerings = await ec2().send(
      new DescribeInstanceTypeOfferingsCommand({ LocationType: 'availability-zone', Filters: [{ Name: 'instance-type', Values: ['p3.2xlarge', 'g5.xlarge'] }] }),
    );
    expect((offerings.InstanceTypeOfferings ?? []).map((o) => `${o.InstanceType}@${o.Location}`).sort()).toEqual([
      'g5.xlarge@us-east-1a',
      'g5.xlarge@us-east-1b',
      'g5.xlarge@us-east-1c',
      'p3.2xlarge@us-east-1b',
    ]);
    const regional = await ec2().send(new DescribeInstanceTypeOfferingsCommand({ Filters: [{ Name: 'instance-type', Values: ['t3.*'] }] }));
    expect((regional.InstanceTypeOfferings ?? []).every((o) => o.LocationType === 'region' && o.Location === REGION)).toBe(true);
  });

  it('gives a current spot price per AZ', async () => {
    const out = await ec2().send(
      new DescribeSpotPriceHistoryCommand({ InstanceTypes: ['g4dn.xlarge'], ProductDescriptions: ['Linux/UNIX'], StartTime: new Date() }),
    );
    const rows = out.SpotPriceHistory ?? [];
    expect(rows.map((r) => r.AvailabilityZone)).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    for (const r of rows) {
      expect(r.InstanceType).toBe('g4dn.xlarge');
      expect(Number(r.SpotPrice)).toBeGreaterThan(0.05);
      expect(Number(r.SpotPrice)).toBeLessThan(0.5);
      expect(r.Timestamp).toBeInstanceOf(Date);
    }
  });

  it('reads vCPU quotas through Service Quotas, and refuses unknown codes', async () => {
    sim.setVcpuQuota('G and VT', 4);
    const g = await quotas().send(new GetServiceQuotaCommand({ ServiceCode: 'ec2', QuotaCode: 'L-DB2E81BA' }));
    expect(g.Quota).toMatchObject({ QuotaCode: 'L-DB2E81BA', QuotaName: 'Running On-Demand G and VT instances', Value: 4, ServiceCode: 'ec2' });
    const p = await quotas().send(new GetServiceQuotaCommand({ ServiceCode: 'ec2', QuotaCode: 'L-417A185B' }));
    expect(p.Quota?.Value).toBe(0);
    const unknown = await rejectionOf(quotas().send(new GetServiceQuotaCommand({ ServiceCode: 'ec2', QuotaCode: 'L-00000000' })));
    expect(unknown.name).toBe('NoSuchResourceException');
    sim.denyActions(['servicequotas:GetServiceQuota']);
    const denied = await rejectionOf(quotas().send(new GetServiceQuotaCommand({ ServiceCode: 'ec2', QuotaCode: 'L-1216C47A' })));
    expect(denied.name).toBe('AccessDeniedException');
  });
});

describe('key pairs', () => {
  it('creates ed25519 and RSA pairs whose material yields the fingerprint AWS reports', async () => {
    const ed = await ec2().send(
      new CreateKeyPairCommand({ KeyName: 'hangar-ed', KeyType: 'ed25519', TagSpecifications: [{ ResourceType: 'key-pair', Tags: [{ Key: 'hangar:created-by', Value: 'hangar' }] }] }),
    );
    expect(ed.KeyPairId).toMatch(/^key-[0-9a-f]{17}$/);
    expect(ed.KeyMaterial?.startsWith(OPENSSH_KEY_HEADER)).toBe(true);
    expect(ed.Tags).toEqual([{ Key: 'hangar:created-by', Value: 'hangar' }]);
    const edParsed = parsePrivateKey(ed.KeyMaterial ?? '');
    expect(edParsed.type).toBe('ssh-ed25519');
    expect(edParsed.awsFingerprint).toBe(ed.KeyFingerprint);
    expect(ed.KeyFingerprint).toMatch(/^[A-Za-z0-9+/]{43}=$/);

    const rsa = await ec2().send(new CreateKeyPairCommand({ KeyName: 'hangar-rsa' }));
    expect(rsa.KeyMaterial?.startsWith(RSA_PEM_HEADER)).toBe(true);
    const rsaParsed = parsePrivateKey(rsa.KeyMaterial ?? '');
    expect(rsaParsed.type).toBe('ssh-rsa');
    expect(rsa.KeyFingerprint).toMatch(/^([0-9a-f]{2}:){19}[0-9a-f]{2}$/);
    expect(rsaParsed.awsFingerprint).toBe(rsa.KeyFingerprint);

    const ppk = await ec2().send(new CreateKeyPairCommand({ KeyName: 'hangar-ppk', KeyType: 'ed25519', KeyFormat: 'ppk' }));
    expect(ppk.KeyMaterial?.startsWith(`${PPK_HEADER_PREFIX}2: ssh-ed25519`)).toBe(true);
    expect(parsePrivateKey(ppk.KeyMaterial ?? '').awsFingerprint).toBe(ppk.KeyFingerprint);

    const described = await ec2().send(new DescribeKeyPairsCommand({ KeyNames: ['hangar-ed'], IncludePublicKey: true }));
    expect(described.KeyPairs).toHaveLength(1);
    expect(described.KeyPairs?.[0]).toMatchObject({ KeyName: 'hangar-ed', KeyPairId: ed.KeyPairId, KeyType: 'ed25519', KeyFingerprint: ed.KeyFingerprint });
    expect(described.KeyPairs?.[0]?.PublicKey).toMatch(/^ssh-ed25519 AAAA\S+ hangar-ed$/);
    expect(described.KeyPairs?.[0]?.CreateTime).toBeInstanceOf(Date);
    const tagged = await ec2().send(new DescribeKeyPairsCommand({ Filters: [{ Name: 'tag:hangar:created-by', Values: ['hangar'] }] }));
    expect(tagged.KeyPairs?.map((k) => k.KeyName)).toEqual(['hangar-ed']);

    const dup = await rejectionOf(ec2().send(new CreateKeyPairCommand({ KeyName: 'hangar-ed' })));
    expect(dup.name).toBe('InvalidKeyPair.Duplicate');

    await ec2().send(new DeleteKeyPairCommand({ KeyName: 'hangar-ed' }));
    const gone = await rejectionOf(ec2().send(new DescribeKeyPairsCommand({ KeyNames: ['hangar-ed'] })));
    expect(gone.name).toBe('InvalidKeyPair.NotFound');
    // Deleting by a name that does not exist is not an error on EC2.
    await ec2().send(new DeleteKeyPairCommand({ KeyName: 'hangar-ed' }));
  });

  it('imports OpenSSH public keys with AWS fingerprints (ed25519: SHA-256; RSA: MD5 of the DER public key)', async () => {
    const ed = await generateKeyPair('ed25519');
    const edOut = await ec2().send(new ImportKeyPairCommand({ KeyName: 'imported-ed', PublicKeyMaterial: Buffer.from(`${ed.publicKey} me@laptop\n`) }));
    expect(`SHA256:${edOut.KeyFingerprint?.replace(/=+$/, '')}`).toBe(ed.fingerprintSha256);

    const rsa = await generateKeyPair('rsa', { format: 'pem' });
    const rsaOut = await ec2().send(new ImportKeyPairCommand({ KeyName: 'imported-rsa', PublicKeyMaterial: Buffer.from(rsa.publicKey) }));
    const spki = createPublicKey(rsa.privateKey).export({ type: 'spki', format: 'der' });
    const md5 = (createHash('md5').update(spki).digest('hex').match(/../g) ?? []).join(':');
    expect(rsaOut.KeyFingerprint).toBe(md5);
    expect(sim.keyPair(REGION, 'imported-rsa')?.publicKey.startsWith(rsa.publicKey)).toBe(true);

    const bad = await rejectionOf(ec2().send(new ImportKeyPairCommand({ KeyName: 'bad', PublicKeyMaterial: Buffer.from('ssh-ed25519 bm90IGEga2V5') })));
    expect(bad.name).toBe('InvalidKey.Format');
  });
});

describe('network: default VPC, subnets and security groups', () => {
  it('has a default VPC with one default subnet per AZ', async () => {
    const vpcs = (await ec2().send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }))).Vpcs ?? [];
    expect(vpcs).toHaveLength(1);
    expect(vpcs[0]).toMatchObject({ CidrBlock: '172.31.0.0/16', IsDefault: true, State: 'available' });
    const subnets = (await ec2().send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcs[0]?.VpcId ?? ''] }, { Name: 'default-for-az', Values: ['true'] }] }))).Subnets ?? [];
    expect(subnets.map((s) => [s.AvailabilityZone, s.CidrBlock, s.MapPublicIpOnLaunch]).sort()).toEqual([
      ['us-east-1a', '172.31.0.0/20', true],
      ['us-east-1b', '172.31.16.0/20', true],
      ['us-east-1c', '172.31.32.0/20', true],
    ]);
  });

  it('creates a my-IP SSH group, refuses a duplicate rule, describes, revokes and deletes it', async () => {
    const vpcId = sim.defaultVpc(REGION)?.vpcId ?? '';
    const created = await ec2().send(
      new CreateSecurityGroupCommand({
        GroupName: 'hangar-ssh',
        Description: 'SSH from my IP (Hangar)',
        VpcId: vpcId,
        TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'hangar:created-by', Value: 'hangar' }] }],
      }),
    );
    const groupId = created.GroupId ?? '';
    expect(groupId).toMatch(/^sg-[0-9a-f]{17}$/);
    const dupGroup = await rejectionOf(ec2().send(new CreateSecurityGroupCommand({ GroupName: 'hangar-ssh', Description: 'again', VpcId: vpcId })));
    expect(dupGroup.name).toBe('InvalidGroup.Duplicate');

    const permission = { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '203.0.113.7/32', Description: 'my IP' }] };
    const auth = await ec2().send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [permission] }));
    expect(auth.Return).toBe(true);
    expect(auth.SecurityGroupRules?.[0]).toMatchObject({ GroupId: groupId, IsEgress: false, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv4: '203.0.113.7/32' });
    const dup = await rejectionOf(ec2().send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [permission] })));
    expect(dup.name).toBe('InvalidPermission.Duplicate');

    const described = await ec2().send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'group-name', Values: ['hangar-ssh'] }] }),
    );
    expect(described.SecurityGroups).toHaveLength(1);
    const group = described.SecurityGroups?.[0];
    expect(group).toMatchObject({ GroupId: groupId, GroupName: 'hangar-ssh', Description: 'SSH from my IP (Hangar)', VpcId: vpcId, OwnerId: sim.accountId });
    expect(group?.Tags).toEqual([{ Key: 'hangar:created-by', Value: 'hangar' }]);
    expect(group?.IpPermissions).toEqual([
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '203.0.113.7/32', Description: 'my IP' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] },
    ]);
    expect(group?.IpPermissionsEgress?.[0]).toMatchObject({ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] });
    const byTag = await ec2().send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'tag:hangar:created-by', Values: ['hangar'] }] }));
    expect(byTag.SecurityGroups?.map((g) => g.GroupId)).toEqual([groupId]);
    const defaults = await ec2().send(new DescribeSecurityGroupsCommand({ GroupNames: ['default'] }));
    expect(defaults.SecurityGroups?.[0]?.VpcId).toBe(vpcId);

    await ec2().send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [permission] }));
    expect(sim.securityGroupRules(REGION, groupId).filter((r) => !r.egress)).toEqual([]);
    const again = await rejectionOf(ec2().send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [permission] })));
    expect(again.name).toBe('InvalidPermission.NotFound');

    await ec2().send(new DeleteSecurityGroupCommand({ GroupId: groupId }));
    const missing = await rejectionOf(ec2().send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] })));
    expect(missing.name).toBe('InvalidGroup.NotFound');
  });
});

describe('RunInstances', () => {
  let ubuntu: string;
  beforeEach(async () => {
    ubuntu = await amiAt(UBUNTU_2404_X86);
  });

  it('answers DryRunOperation when allowed and UnauthorizedOperation when denied, for dry runs and real calls', async () => {
    const dry = await rejectionOf(ec2().send(new RunInstancesCommand(baseLaunch(ubuntu, { DryRun: true }))));
    expect([dry.name, dry.$metadata.httpStatusCode, dry.message]).toEqual(['DryRunOperation', 412, 'Request would have succeeded, but DryRun flag is set.']);

    sim.denyActions(['RunInstances']);
    for (const DryRun of [true, false]) {
      const denied = await rejectionOf(ec2().send(new RunInstancesCommand(baseLaunch(ubuntu, { DryRun }))));
      expect(denied.name).toBe('UnauthorizedOperation');
      expect(denied.$metadata.httpStatusCode).toBe(403);
      expect(denied.message).toContain('is not authorized to perform: ec2:RunInstances');
      expect(denied.message).toMatch(/Encoded authorization failure message: \S+$/);
    }
    sim.allowActions();
    sim.denyActions(['ec2:CreateTags']);
    const tagsDenied = await rejectionOf(
      ec2().send(new RunInstancesCommand(baseLaunch(ubuntu, { DryRun: true, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'x' }] }] }))),
    );
    expect(tagsDenied.message).toContain('ec2:CreateTags');
  });

  it('refuses an instance type of another architecture than the image, and unknown keys, images, groups and subnets', async () => {
    const mismatch = await rejectionOf(ec2().send(new RunInstancesCommand(baseLaunch(ubuntu, { InstanceType: 't4g.micro' }))));
    expect(mismatch.name).toBe('InvalidParameterValue');
    expect(mismatch.message).toBe(
      "The architecture 'arm64' of the specified instance type does not match the architecture 'x86_64' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.",
    );
    const cases: [Partial<RunInstancesCommandInput>, string][] = [
      [{ KeyName: 'nobody' }, 'InvalidKeyPair.NotFound'],
      [{ ImageId: 'ami-0123456789abcdef0' }, 'InvalidAMIID.NotFound'],
      [{ ImageId: 'ami-nope' }, 'InvalidAMIID.Malformed'],
      [{ SecurityGroupIds: ['sg-0123456789abcdef0'] }, 'InvalidGroup.NotFound'],
      [{ SubnetId: 'subnet-0123456789abcdef0' }, 'InvalidSubnetID.NotFound'],
    ];
    for (const [extra, code] of cases) {
      const error = await rejectionOf(ec2().send(new RunInstancesCommand(baseLaunch(ubuntu, extra))));
      expect(error.name, JSON.stringify(extra)).toBe(code);
    }
  });

  it('enforces the vCPU quota of the type’s bucket over running instances (VcpuLimitExceeded)', async () => {
    sim.setVcpuQuota('G and VT', 4, { region: 'us-west-2' });
    const client = ec2('us-west-2');
    const dlami = await amiAt('/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.5-ubuntu-22.04/latest/ami-id', 'us-west-2');
    const first = await client.send(new RunInstancesCommand(baseLaunch(dlami, { InstanceType: 'g5.xlarge' })));
    expect(first.Instances).toHaveLength(1);
    const second = await rejectionOf(client.send(new RunInstancesCommand(baseLaunch(dlami, { InstanceType: 'g4dn.xlarge' }))));
    expect(second.name).toBe('VcpuLimitExceeded');
    expect(second.message).toContain('current vCPU limit of 4');
    // Standard types count against another bucket.
    await client.send(new RunInstancesCommand(baseLaunch(dlami, { InstanceType: 't3.micro' })));
    // Terminating frees the vCPUs.
    await client.send(new TerminateInstancesCommand({ InstanceIds: [first.Instances?.[0]?.InstanceId ?? ''] }));
    await waitForState(client, [first.Instances?.[0]?.InstanceId ?? ''], 'terminated');
    const third = await client.send(new RunInstancesCommand(baseLaunch(dlami, { InstanceType: 'g4dn.xlarge' })));
    expect(third.Instances).toHaveLength(1);
  });

  it('reports InsufficientInstanceCapacity for a short AZ and names the AZs that have capacity', async () => {
    sim.failCapacity({ instanceType: 'g5.xlarge', availabilityZone: 'us-east-1a' });
    const dlami = await amiAt('/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id');
    const subnetA = (await ec2().send(new DescribeSubnetsCommand({ Filters: [{ Name: 'availability-zone', Values: ['us-east-1a'] }] }))).Subnets?.[0]?.SubnetId;
    const error = await rejectionOf(ec2().send(new RunInstancesCommand(baseLaunch(dlami, { InstanceType: 'g5.xlarge', ...(subnetA ? { SubnetId: subnetA } : {}) }))));
    expect(error.name).toBe('InsufficientInstanceCapacity');
    expect(error.message).toContain('choosing us-east-1b, us-east-1c');
    // Without a subnet EC2 picks an AZ that has capacity.
    const placed = await ec2().send(new RunInstancesCommand(baseLaunch(dlami, { InstanceType: 'g5.xlarge' })));
    expect(placed.Instances?.[0]?.Placement?.AvailabilityZone).toBe('us-east-1b');
    await ec2().send(new TerminateInstancesCommand({ InstanceIds: [placed.Instances?.[0]?.InstanceId ?? ''] }));
  });

  it('fails without a subnet where the default VPC was deleted (VPCIdNotSpecified)', async () => {
    sim.removeDefaultVpc('ap-south-1');
    const ami = await amiAt(AL2023_X86, 'ap-south-1');
    const error = await rejectionOf(ec2('ap-south-1').send(new RunInstancesCommand(baseLaunch(ami))));
    expect(error.name).toBe('VPCIdNotSpecified');
    expect((await ec2('ap-south-1').send(new DescribeVpcsCommand({}))).Vpcs).toEqual([]);
  });

  it('launches 2 tagged instances with key, group, subnet and root volume, which go pending → running', async () => {
    await ec2().send(new CreateKeyPairCommand({ KeyName: 'cluster-key', KeyType: 'ed25519' }));
    const vpc = sim.defaultVpc(REGION);
    const sg = await ec2().send(new CreateSecurityGroupCommand({ GroupName: 'cluster-ssh', Description: 'ssh', VpcId: vpc?.vpcId ?? '' }));
    const subnetB = (await ec2().send(new DescribeSubnetsCommand({ Filters: [{ Name: 'availability-zone', Values: ['us-east-1b'] }] }))).Subnets?.[0]?.SubnetId ?? '';
    const out = await ec2().send(
      new RunInstancesCommand({
        ImageId: ubuntu,
        InstanceType: 't3.small',
        MinCount: 2,
        MaxCount: 2,
        KeyName: 'cluster-key',
        SecurityGroupIds: [sg.GroupId ?? ''],
        SubnetId: subnetB,
        BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Ebs: { VolumeSize: 30, VolumeType: 'gp3', DeleteOnTermination: true } }],
        UserData: Buffer.from('#!/bin/bash\necho hi\n').toString('base64'),
        TagSpecifications: [
          { ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'cluster' }, { Key: 'hangar:created-by', Value: 'hangar' }] },
          { ResourceType: 'volume', Tags: [{ Key: 'hangar:created-by', Value: 'hangar' }] },
        ],
      }),
    );
    const launched = out.Instances ?? [];
    expect(launched).toHaveLength(2);
    expect(launched.map((i) => i.State?.Name)).toEqual(['pending', 'pending']);
    expect(launched.map((i) => i.AmiLaunchIndex)).toEqual([0, 1]);
    const ids = launched.map((i) => i.InstanceId ?? '');

    const running = await waitForState(ec2(), ids, 'running');
    for (const i of running) {
      expect(i).toMatchObject({
        ImageId: ubuntu,
        InstanceType: 't3.small',
        KeyName: 'cluster-key',
        SubnetId: subnetB,
        VpcId: vpc?.vpcId,
        Placement: { AvailabilityZone: 'us-east-1b' },
        RootDeviceName: '/dev/sda1',
        Architecture: 'x86_64',
      });
      expect(i.SecurityGroups).toEqual([{ GroupId: sg.GroupId, GroupName: 'cluster-ssh' }]);
      expect(i.Tags).toEqual(expect.arrayContaining([{ Key: 'Name', Value: 'cluster' }, { Key: 'hangar:created-by', Value: 'hangar' }]));
      expect(i.PublicIpAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(i.PrivateIpAddress?.startsWith('172.31.')).toBe(true);
    }
    const volumes = await ec2().send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: ids }] }));
    expect(volumes.Volumes?.map((v) => [v.Size, v.VolumeType, v.Attachments?.[0]?.DeleteOnTermination])).toEqual([
      [30, 'gp3', true],
      [30, 'gp3', true],
    ]);
    expect(volumes.Volumes?.every((v) => v.Tags?.some((t) => t.Key === 'hangar:created-by'))).toBe(true);
    // The group is in use now.
    const busy = await rejectionOf(ec2().send(new DeleteSecurityGroupCommand({ GroupId: sg.GroupId ?? '' })));
    expect(busy.name).toBe('DependencyViolation');
    await ec2().send(new TerminateInstancesCommand({ InstanceIds: ids }));
  });

  it('refuses a root volume smaller than the image and launches spot instances', async () => {
    const small = await rejectionOf(
      ec2().send(new RunInstancesCommand(baseLaunch(ubuntu, { BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Ebs: { VolumeSize: 4 } }] }))),
    );
    expect(small.name).toBe('InvalidBlockDeviceMapping');
    const spot = await ec2().send(new RunInstancesCommand(baseLaunch(ubuntu, { InstanceMarketOptions: { MarketType: 'spot', SpotOptions: { SpotInstanceType: 'one-time' } } })));
    expect(spot.Instances?.[0]?.InstanceLifecycle).toBe('spot');
    expect(spot.Instances?.[0]?.SpotInstanceRequestId).toMatch(/^sir-/);
    await ec2().send(new TerminateInstancesCommand({ InstanceIds: [spot.Instances?.[0]?.InstanceId ?? ''] }));
  });
});

describe('launched instances are real sshd processes (sshdForLaunches)', () => {
  let launchSim: Ec2Simulator;
  beforeAll(async () => {
    launchSim = await startEc2Simulator({ sshdForLaunches: true, timings: { pendingMs: 100, stoppingMs: 100, shuttingDownMs: 100 } });
  });
  afterAll(async () => {
    await launchSim.close();
  });

  function run(host: string, privateKey: string, username: string, expectedFingerprint: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const client = new Client();
      let seen = '';
      client
        .on('ready', () => {
          client.exec('echo ok', (error, stream) => {
            if (error) {
              client.end();
              reject(error);
              return;
            }
            let out = '';
            stream.on('data', (d: Buffer) => (out += d.toString('utf8')));
            stream.on('close', () => {
              client.end();
              resolve(out.trim());
            });
          });
        })
        .on('error', (error) => reject(new Error(`${error.message} (host key seen: ${seen})`)))
        .connect({
          host,
          port: 22,
          username,
          privateKey,
          readyTimeout: 10_000,
          hostVerifier: (key: Buffer) => {
            seen = `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
            return seen === expectedFingerprint;
          },
        });
    });
  }

  it('launches, reaches running once sshd answers, and runs a command over SSH with the created key', async () => {
    const client = ec2(REGION, launchSim);
    const key = await client.send(new CreateKeyPairCommand({ KeyName: 'launch-key', KeyType: 'ed25519' }));
    const ami = (await client.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-*-x86_64'] }] }))).Images?.[0]?.ImageId ?? '';
    const out = await client.send(new RunInstancesCommand({ ImageId: ami, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, KeyName: 'launch-key' }));
    const id = out.Instances?.[0]?.InstanceId ?? '';
    const [instance] = await waitForState(client, [id], 'running');
    expect(launchSim.launchErrors).toEqual([]);
    const ip = instance?.PublicIpAddress ?? '';
    expect(ip).toMatch(/^127\.0\.\d+\.\d+$/);
    const sshd = launchSim.sshdFor(id);
    expect(sshd?.host).toBe(ip);

    const console = await client.send(new GetConsoleOutputCommand({ InstanceId: id }));
    const text = Buffer.from(console.Output ?? '', 'base64').toString('utf8');
    expect(text).toContain(`${sshd?.hostKeyFingerprintSha256 ?? '?'} root@ip-`);
    expect(text).toContain('-----BEGIN SSH HOST KEY FINGERPRINTS-----');

    expect(await run(ip, key.KeyMaterial ?? '', sshd?.username ?? '', sshd?.hostKeyFingerprintSha256 ?? '')).toBe('ok');

    // Stopped: nothing listens. Started again: same address, same host key, same key pair.
    const fingerprint = sshd?.hostKeyFingerprintSha256 ?? '';
    await client.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await waitForState(client, [id], 'stopped');
    expect(launchSim.sshdFor(id)).toBeUndefined();
    await expect(run(ip, key.KeyMaterial ?? '', sshd?.username ?? '', fingerprint)).rejects.toThrow();
    await client.send(new StartInstancesCommand({ InstanceIds: [id] }));
    const [again] = await waitForState(client, [id], 'running');
    expect(again?.PublicIpAddress).toBe(ip);
    expect(launchSim.sshdFor(id)?.hostKeyFingerprintSha256).toBe(fingerprint);
    expect(await run(ip, key.KeyMaterial ?? '', sshd?.username ?? '', fingerprint)).toBe('ok');

    await client.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    await waitForState(client, [id], 'terminated');
    expect(launchSim.sshdFor(id)).toBeUndefined();
  });

  it('gives each instance of a multi-instance launch its own address and sshd, with an RSA key pair', async () => {
    const client = ec2(REGION, launchSim);
    const key = await client.send(new CreateKeyPairCommand({ KeyName: 'rsa-launch-key', KeyType: 'rsa' }));
    // Seeded AMI ids depend only on the region, so the first simulator's SSM answer holds here too.
    const ami = await amiAt(UBUNTU_2404_X86);
    const out = await client.send(
      new RunInstancesCommand({
        ImageId: ami,
        InstanceType: 't3.micro',
        MinCount: 2,
        MaxCount: 2,
        KeyName: 'rsa-launch-key',
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'pair' }] }],
      }),
    );
    const ids = (out.Instances ?? []).map((i) => i.InstanceId ?? '');
    const running = await waitForState(client, ids, 'running');
    const ips = running.map((i) => i.PublicIpAddress ?? '');
    expect(new Set(ips).size).toBe(2);
    for (const [k, id] of ids.entries()) {
      const sshd = launchSim.sshdFor(id);
      expect(await run(ips[k] ?? '', key.KeyMaterial ?? '', sshd?.username ?? '', sshd?.hostKeyFingerprintSha256 ?? '')).toBe('ok');
    }
    await client.send(new TerminateInstancesCommand({ InstanceIds: ids }));
    await waitForState(client, ids, 'terminated');
  });
});
