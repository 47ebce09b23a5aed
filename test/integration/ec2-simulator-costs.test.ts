import {
  AllocateAddressCommand,
  AssociateAddressCommand,
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DeleteVolumeCommand,
  DeregisterImageCommand,
  DescribeAddressesCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DescribeSpotInstanceRequestsCommand,
  DescribeVolumesCommand,
  DisassociateAddressCommand,
  EC2Client,
  type Instance,
  ReleaseAddressCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type Volume,
} from '@aws-sdk/client-ec2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';
import { isolateAwsEnv } from '../support/isolated-aws-env';

const REGION = 'us-east-1';
const credentials = { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY };
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

let sim: Ec2Simulator;
let restoreEnv: () => void;
const clients: EC2Client[] = [];

function ec2(region = REGION): EC2Client {
  const client = new EC2Client({ region, credentials, endpoint: sim.url, maxAttempts: 1 });
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

async function instance(id: string, region = REGION): Promise<Instance> {
  const out = await ec2(region).send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  const found = out.Reservations?.[0]?.Instances?.[0];
  if (!found) throw new Error(`${id} not described`);
  return found;
}

async function waitForState(id: string, state: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while ((await instance(id)).State?.Name !== state) {
    if (Date.now() > deadline) throw new Error(`${id} never became ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function volumes(filters: { Name: string; Values: string[] }[], region = REGION): Promise<Volume[]> {
  return (await ec2(region).send(new DescribeVolumesCommand({ Filters: filters }))).Volumes ?? [];
}

beforeAll(async () => {
  restoreEnv = isolateAwsEnv();
  sim = await startEc2Simulator({ timings: { pendingMs: 50, stoppingMs: 50, shuttingDownMs: 50 } });
});

afterEach(() => {
  sim.allowActions();
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await sim.close();
  restoreEnv();
});

describe('EBS volumes', () => {
  it('lists every instance’s root volume, attached, with seeded volumes; filters and pages like EC2', async () => {
    const region = 'eu-west-2';
    const running = sim.addInstance(region, { name: 'web', rootVolume: { size: 30, type: 'gp3' } });
    const stopped = sim.addInstance(region, { name: 'batch', state: 'stopped', rootVolume: { size: 100, type: 'gp2', deleteOnTermination: false } });
    const loose = Array.from({ length: 12 }, (_, k) => sim.seed.volume(region, { size: 10 + k, type: k % 2 === 0 ? 'gp3' : 'st1', tags: { Name: `scratch-${k}` } }));

    const all = await volumes([], region);
    expect(all).toHaveLength(14);
    const root = all.find((v) => v.Attachments?.[0]?.InstanceId === stopped);
    expect(root).toMatchObject({ Size: 100, VolumeType: 'gp2', State: 'in-use', AvailabilityZone: 'eu-west-2a', Encrypted: false, MultiAttachEnabled: false });
    expect(root?.Attachments?.[0]).toMatchObject({ InstanceId: stopped, Device: '/dev/xvda', State: 'attached', DeleteOnTermination: false });
    expect(root?.VolumeId).toMatch(/^vol-[0-9a-f]{17}$/);
    expect(root?.SnapshotId).toMatch(/^snap-/);
    expect(root?.CreateTime?.toISOString()).toMatch(ISO);

    expect((await volumes([{ Name: 'status', Values: ['available'] }], region)).map((v) => v.VolumeId)).toEqual(loose);
    expect((await volumes([{ Name: 'status', Values: ['in-use'] }], region)).map((v) => v.Attachments?.[0]?.InstanceId)).toEqual([running, stopped]);
    expect((await volumes([{ Name: 'attachment.instance-id', Values: [running] }], region)).map((v) => v.Size)).toEqual([30]);
    expect((await volumes([{ Name: 'volume-id', Values: [loose[3] ?? ''] }], region))[0]?.Tags).toEqual([{ Key: 'Name', Value: 'scratch-3' }]);
    expect(await volumes([{ Name: 'status', Values: ['available'] }, { Name: 'volume-type', Values: ['st1'] }], region)).toHaveLength(6);
    expect(await volumes([], 'eu-west-1')).toEqual([]);

    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const out = await ec2(region).send(new DescribeVolumesCommand({ MaxResults: 5, NextToken: token }));
      pages.push((out.Volumes ?? []).map((v) => v.VolumeId ?? ''));
      token = out.NextToken;
    } while (token);
    expect(pages.map((p) => p.length)).toEqual([5, 5, 4]);
    expect(new Set(pages.flat()).size).toBe(14);

    const combined = await rejectionOf(ec2(region).send(new DescribeVolumesCommand({ VolumeIds: [loose[0] ?? ''], MaxResults: 5 })));
    expect(combined.name).toBe('InvalidParameterCombination');
    expect((await rejectionOf(ec2(region).send(new DescribeVolumesCommand({ MaxResults: 3 })))).name).toBe('InvalidParameterValue');
    expect((await rejectionOf(ec2(region).send(new DescribeVolumesCommand({ NextToken: 'bogus' })))).name).toBe('InvalidParameterValue');
    const unknown = await rejectionOf(ec2(region).send(new DescribeVolumesCommand({ VolumeIds: ['vol-0123456789abcdef0'] })));
    expect([unknown.name, unknown.message]).toEqual(['InvalidVolume.NotFound', "The volume 'vol-0123456789abcdef0' does not exist."]);
  });

  it('creates a volume that is creating, then available, and deletes only detached volumes (VolumeInUse)', async () => {
    const created = await ec2().send(
      new CreateVolumeCommand({ AvailabilityZone: 'us-east-1b', Size: 50, VolumeType: 'gp3', TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'Name', Value: 'data' }] }] }),
    );
    expect(created).toMatchObject({ Size: 50, VolumeType: 'gp3', State: 'creating', AvailabilityZone: 'us-east-1b', Iops: 3000, Throughput: 125, Tags: [{ Key: 'Name', Value: 'data' }] });
    const id = created.VolumeId ?? '';
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await volumes([{ Name: 'volume-id', Values: [id] }]))[0]?.State).toBe('available');

    expect((await rejectionOf(ec2().send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1z', Size: 5 })))).name).toBe('InvalidParameterValue');
    expect((await rejectionOf(ec2().send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a' })))).name).toBe('MissingParameter');

    const host = sim.addInstance(REGION);
    const attached = sim.seed.volume(REGION, { attachedTo: host, size: 20 });
    expect(sim.volume(REGION, attached)).toMatchObject({ state: 'in-use', attachedTo: host, deleteOnTermination: false });
    const inUse = await rejectionOf(ec2().send(new DeleteVolumeCommand({ VolumeId: attached })));
    expect([inUse.name, inUse.message]).toEqual(['VolumeInUse', `Volume ${attached} is currently attached to ${host}`]);
    expect((await rejectionOf(ec2().send(new DeleteVolumeCommand({ VolumeId: id, DryRun: true })))).name).toBe('DryRunOperation');
    await ec2().send(new DeleteVolumeCommand({ VolumeId: id }));
    expect(sim.volume(REGION, id)).toBeUndefined();
    expect((await rejectionOf(ec2().send(new DeleteVolumeCommand({ VolumeId: id })))).name).toBe('InvalidVolume.NotFound');
    expect((await rejectionOf(ec2().send(new DeleteVolumeCommand({ VolumeId: 'volume-1' })))).name).toBe('InvalidVolumeID.Malformed');
  });

  it('deletes delete-on-termination volumes with their instance and detaches the rest', async () => {
    const id = sim.addInstance(REGION, { rootVolume: { size: 16 } });
    const keep = sim.seed.volume(REGION, { attachedTo: id, size: 200, deleteOnTermination: false });
    const drop = sim.seed.volume(REGION, { attachedTo: id, size: 40, deleteOnTermination: true });
    const root = sim.instance(id)?.rootVolume.id ?? '';
    const before = await volumes([{ Name: 'attachment.instance-id', Values: [id] }]);
    expect(before.map((v) => [v.VolumeId, v.Attachments?.[0]?.Device])).toEqual([
      [root, '/dev/xvda'],
      [keep, '/dev/sdf'],
      [drop, '/dev/sdg'],
    ]);

    expect((await instance(id)).BlockDeviceMappings?.map((b) => [b.DeviceName, b.Ebs?.VolumeId, b.Ebs?.DeleteOnTermination])).toEqual([
      ['/dev/xvda', root, true],
      ['/dev/sdf', keep, false],
      ['/dev/sdg', drop, true],
    ]);

    await ec2().send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    await waitForState(id, 'terminated');
    expect(await volumes([{ Name: 'attachment.instance-id', Values: [id] }])).toEqual([]);
    const left = await volumes([{ Name: 'volume-id', Values: [root, keep, drop] }]);
    expect(left.map((v) => [v.VolumeId, v.State, v.Attachments])).toEqual([[keep, 'available', []]]);
  });
});

describe('snapshots and AMIs', () => {
  it('lists own snapshots with OwnerIds=self and pages them; an AMI’s snapshots show in its block device mappings', async () => {
    const region = 'ap-south-1';
    const image = sim.seed.image(region, {
      name: 'my-trainer-2025',
      rootDeviceName: '/dev/sda1',
      blockDeviceMappings: [
        { deviceName: '/dev/sda1', volumeSize: 60, volumeType: 'gp3' },
        { deviceName: '/dev/sdb', volumeSize: 500, volumeType: 'st1' },
      ],
    });
    const loose = Array.from({ length: 7 }, (_, k) => sim.seed.snapshot(region, { volumeSize: 8 * (k + 1), description: `nightly ${k}` }));

    const mine = await ec2(region).send(new DescribeImagesCommand({ Owners: ['self'] }));
    expect(mine.Images?.map((i) => i.ImageId)).toEqual([image]);
    const mappings = mine.Images?.[0]?.BlockDeviceMappings ?? [];
    expect(mappings.map((b) => [b.DeviceName, b.Ebs?.VolumeSize, b.Ebs?.VolumeType])).toEqual([
      ['/dev/sda1', 60, 'gp3'],
      ['/dev/sdb', 500, 'st1'],
    ]);
    const amiSnapshots = mappings.map((b) => b.Ebs?.SnapshotId ?? '');

    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const out = await ec2(region).send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], MaxResults: 5, NextToken: token }));
      pages.push((out.Snapshots ?? []).map((s) => s.SnapshotId ?? ''));
      token = out.NextToken;
    } while (token);
    expect(pages.map((p) => p.length)).toEqual([5, 4]);
    expect(pages.flat()).toEqual([...amiSnapshots, ...loose]);

    const [first] = (await ec2(region).send(new DescribeSnapshotsCommand({ SnapshotIds: [amiSnapshots[1] ?? ''] }))).Snapshots ?? [];
    expect(first).toMatchObject({ VolumeSize: 500, State: 'completed', Progress: '100%', OwnerId: sim.accountId, Encrypted: false, StorageTier: 'standard' });
    expect(first?.Description).toBe(`Created by CreateImage(i-0${image.slice(5, 21)}) for ${image}`);
    expect((await ec2(region).send(new DescribeSnapshotsCommand({ OwnerIds: ['amazon'] }))).Snapshots).toEqual([]);
    expect((await ec2(region).send(new DescribeSnapshotsCommand({ OwnerIds: [sim.accountId], Filters: [{ Name: 'volume-size', Values: ['16', '24'] }] }))).Snapshots).toHaveLength(2);
    expect((await ec2().send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }))).Snapshots?.some((s) => loose.includes(s.SnapshotId ?? ''))).toBe(false);
  });

  it('refuses to delete a snapshot an AMI uses, naming the AMI; deregistering the AMI frees it', async () => {
    const region = 'ca-central-1';
    const image = sim.seed.image(region, { name: 'golden' });
    const [snapshot] = (await ec2(region).send(new DescribeImagesCommand({ ImageIds: [image] }))).Images?.[0]?.BlockDeviceMappings?.map((b) => b.Ebs?.SnapshotId ?? '') ?? [];
    const inUse = await rejectionOf(ec2(region).send(new DeleteSnapshotCommand({ SnapshotId: snapshot })));
    expect([inUse.name, inUse.message, inUse.$metadata.httpStatusCode]).toEqual(['InvalidSnapshot.InUse', `The snapshot ${snapshot} is currently in use by ${image}`, 400]);

    expect((await rejectionOf(ec2(region).send(new DeregisterImageCommand({ ImageId: image, DryRun: true })))).name).toBe('DryRunOperation');
    const deregistered = await ec2(region).send(new DeregisterImageCommand({ ImageId: image }));
    expect(deregistered.Return).toBe(true);
    expect((await ec2(region).send(new DescribeImagesCommand({ Owners: ['self'] }))).Images).toEqual([]);
    // The snapshot outlives the AMI (and keeps costing) until it is deleted.
    expect(sim.snapshot(region, snapshot ?? '')?.volumeSize).toBe(8);
    expect((await rejectionOf(ec2(region).send(new DeleteSnapshotCommand({ SnapshotId: snapshot, DryRun: true })))).name).toBe('DryRunOperation');
    await ec2(region).send(new DeleteSnapshotCommand({ SnapshotId: snapshot }));
    const gone = await rejectionOf(ec2(region).send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshot ?? ''] })));
    expect([gone.name, gone.message]).toEqual(['InvalidSnapshot.NotFound', `The snapshot '${snapshot}' does not exist.`]);
    expect((await rejectionOf(ec2(region).send(new DeleteSnapshotCommand({ SnapshotId: snapshot })))).name).toBe('InvalidSnapshot.NotFound');

    const other = sim.seed.image(region, { name: 'with-cleanup' });
    const withSnapshots = await ec2(region).send(new DeregisterImageCommand({ ImageId: other, DeleteAssociatedSnapshots: true }));
    expect(withSnapshots.DeleteSnapshotResults?.map((r) => r.ReturnCode)).toEqual(['success']);
    expect((await ec2(region).send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }))).Snapshots).toEqual([]);
    const publicImage = (await ec2(region).send(new DescribeImagesCommand({ Owners: ['amazon'], MaxResults: 5 }))).Images?.[0]?.ImageId ?? '';
    expect((await rejectionOf(ec2(region).send(new DeregisterImageCommand({ ImageId: publicImage })))).name).toBe('AuthFailure');
  });
});

describe('public IPv4 addresses', () => {
  it('allocates, associates, moves with stop/start, disassociates and releases Elastic IPs', async () => {
    const region = 'eu-central-1';
    const id = sim.addInstance(region, { name: 'api' });
    const auto = (await instance(id, region)).PublicIpAddress;
    expect(auto).toMatch(/^54\./);

    const allocated = await ec2(region).send(new AllocateAddressCommand({ Domain: 'vpc', TagSpecifications: [{ ResourceType: 'elastic-ip', Tags: [{ Key: 'Name', Value: 'api-ip' }] }] }));
    expect(allocated).toMatchObject({ Domain: 'vpc', PublicIpv4Pool: 'amazon', NetworkBorderGroup: region });
    const allocationId = allocated.AllocationId ?? '';
    expect(allocationId).toMatch(/^eipalloc-[0-9a-f]{17}$/);
    const [idle] = (await ec2(region).send(new DescribeAddressesCommand({ AllocationIds: [allocationId] }))).Addresses ?? [];
    expect(idle).toEqual({ PublicIp: allocated.PublicIp, AllocationId: allocationId, Domain: 'vpc', Tags: [{ Key: 'Name', Value: 'api-ip' }], PublicIpv4Pool: 'amazon', NetworkBorderGroup: region });

    const { AssociationId } = await ec2(region).send(new AssociateAddressCommand({ AllocationId: allocationId, InstanceId: id }));
    expect(AssociationId).toMatch(/^eipassoc-/);
    const described = await instance(id, region);
    expect(described.PublicIpAddress).toBe(allocated.PublicIp);
    expect(described.NetworkInterfaces?.[0]?.Association).toMatchObject({ PublicIp: allocated.PublicIp, IpOwnerId: sim.accountId });
    const [bound] = (await ec2(region).send(new DescribeAddressesCommand({ Filters: [{ Name: 'instance-id', Values: [id] }] }))).Addresses ?? [];
    expect(bound).toMatchObject({ AllocationId: allocationId, InstanceId: id, AssociationId, NetworkInterfaceOwnerId: sim.accountId, PrivateIpAddress: described.PrivateIpAddress });

    const inUse = await rejectionOf(ec2(region).send(new ReleaseAddressCommand({ AllocationId: allocationId })));
    expect([inUse.name, inUse.message]).toEqual(['InvalidIPAddress.InUse', `Address ${allocated.PublicIp} is in use.`]);

    await ec2(region).send(new StopInstancesCommand({ InstanceIds: [id] }));
    sim.setInstanceState(id, 'stopped');
    expect((await instance(id, region)).PublicIpAddress).toBe(allocated.PublicIp);
    sim.setInstanceState(id, 'running');

    expect((await rejectionOf(ec2(region).send(new DisassociateAddressCommand({ AssociationId: 'eipassoc-0123456789abcdef0' })))).name).toBe('InvalidAssociationID.NotFound');
    await ec2(region).send(new DisassociateAddressCommand({ AssociationId }));
    const after = (await instance(id, region)).PublicIpAddress;
    expect(after).toMatch(/^54\./);
    expect(after).not.toBe(allocated.PublicIp);
    expect((await rejectionOf(ec2(region).send(new ReleaseAddressCommand({ AllocationId: allocationId, DryRun: true })))).name).toBe('DryRunOperation');
    await ec2(region).send(new ReleaseAddressCommand({ AllocationId: allocationId }));
    const released = await rejectionOf(ec2(region).send(new DescribeAddressesCommand({ AllocationIds: [allocationId] })));
    expect([released.name, released.message]).toEqual(['InvalidAllocationID.NotFound', `The allocation ID '${allocationId}' does not exist`]);
  });

  it('lets a ledger count every public IPv4: auto-assigned ones, associated and idle Elastic IPs', async () => {
    const region = 'sa-east-1';
    const a = sim.addInstance(region);
    const b = sim.addInstance(region);
    sim.addInstance(region, { publicIp: null });
    sim.addInstance(region, { state: 'stopped' });
    const bound = sim.seed.address(region, { instanceId: b });
    sim.seed.address(region);
    expect(sim.address(region, bound)?.instanceId).toBe(b);

    const reservations = (await ec2(region).send(new DescribeInstancesCommand({}))).Reservations ?? [];
    const autoAssigned = reservations
      .flatMap((r) => r.Instances ?? [])
      .filter((i) => i.PublicIpAddress !== undefined && i.NetworkInterfaces?.[0]?.Association?.IpOwnerId === 'amazon')
      .map((i) => i.InstanceId);
    expect(autoAssigned).toEqual([a]);
    const addresses = (await ec2(region).send(new DescribeAddressesCommand({}))).Addresses ?? [];
    expect(addresses.map((x) => x.InstanceId)).toEqual([b, undefined]);
    expect(autoAssigned.length + addresses.length).toBe(3);

    await ec2(region).send(new TerminateInstancesCommand({ InstanceIds: [b] }));
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await ec2(region).send(new DescribeAddressesCommand({ AllocationIds: [bound] }))).Addresses?.[0]?.InstanceId).toBeUndefined();
  });
});

describe('Spot requests', () => {
  it('describes seeded and launched spot requests with state, status, instance and launch spec; closes them on termination', async () => {
    const region = 'us-west-2';
    const spot = sim.addInstance(region, { instanceLifecycle: 'spot', instanceType: 'g4dn.xlarge' });
    const waiting = sim.seed.spotRequest(region, { instanceType: 'p3.2xlarge', type: 'persistent', spotPrice: '1.200000' });

    const out = await ec2(region).send(new DescribeSpotInstanceRequestsCommand({}));
    const requests = out.SpotInstanceRequests ?? [];
    expect(requests.map((r) => [r.State, r.Status?.Code, r.Type, r.InstanceId, r.LaunchSpecification?.InstanceType])).toEqual([
      ['open', 'pending-fulfillment', 'persistent', undefined, 'p3.2xlarge'],
      ['active', 'fulfilled', 'one-time', spot, 'g4dn.xlarge'],
    ]);
    expect(requests[0]).toMatchObject({ SpotInstanceRequestId: waiting, SpotPrice: '1.200000', ProductDescription: 'Linux/UNIX', Status: { Message: 'Your Spot request is pending fulfillment.' } });
    expect(requests[1]?.SpotInstanceRequestId).toBe((await instance(spot, region)).SpotInstanceRequestId);
    expect(requests[1]?.LaunchedAvailabilityZone).toBe('us-west-2a');

    const open = await ec2(region).send(new DescribeSpotInstanceRequestsCommand({ Filters: [{ Name: 'state', Values: ['open', 'active'] }, { Name: 'type', Values: ['persistent'] }] }));
    expect(open.SpotInstanceRequests?.map((r) => r.SpotInstanceRequestId)).toEqual([waiting]);

    await ec2(region).send(new TerminateInstancesCommand({ InstanceIds: [spot] }));
    sim.setInstanceState(spot, 'terminated');
    const closed = await ec2(region).send(new DescribeSpotInstanceRequestsCommand({ Filters: [{ Name: 'instance-id', Values: [spot] }] }));
    expect(closed.SpotInstanceRequests?.map((r) => [r.State, r.Status?.Code, r.Status?.Message])).toEqual([
      ['closed', 'instance-terminated-by-user', 'Spot Instance terminated due to user-initiated termination.'],
    ]);
    const missing = await rejectionOf(ec2(region).send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: ['sir-00000000'] })));
    expect(missing.name).toBe('InvalidSpotInstanceRequestID.NotFound');
  });
});

describe('IAM denials and DryRun on the ledger’s actions', () => {
  it('answers UnauthorizedOperation when denied (dry run or not) and DryRunOperation when allowed', async () => {
    const region = 'eu-north-1';
    const snapshot = sim.seed.snapshot(region);
    const volume = sim.seed.volume(region);
    const image = sim.seed.image(region, { name: 'denied' });
    const address = sim.seed.address(region);
    const calls: [string, (dryRun: boolean) => Promise<unknown>][] = [
      ['ec2:DeleteSnapshot', (DryRun) => ec2(region).send(new DeleteSnapshotCommand({ SnapshotId: snapshot, DryRun }))],
      ['DeleteVolume', (DryRun) => ec2(region).send(new DeleteVolumeCommand({ VolumeId: volume, DryRun }))],
      ['ec2:DeregisterImage', (DryRun) => ec2(region).send(new DeregisterImageCommand({ ImageId: image, DryRun }))],
      ['ec2:ReleaseAddress', (DryRun) => ec2(region).send(new ReleaseAddressCommand({ AllocationId: address, DryRun }))],
      ['ec2:DescribeVolumes', (DryRun) => ec2(region).send(new DescribeVolumesCommand({ DryRun }))],
      ['ec2:DescribeSnapshots', (DryRun) => ec2(region).send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], DryRun }))],
      ['ec2:DescribeAddresses', (DryRun) => ec2(region).send(new DescribeAddressesCommand({ DryRun }))],
    ];
    for (const [action, call] of calls) {
      sim.denyActions([action]);
      for (const dryRun of [true, false]) {
        const denied = await rejectionOf(call(dryRun));
        expect([action, denied.name, denied.$metadata.httpStatusCode]).toEqual([action, 'UnauthorizedOperation', 403]);
        expect(denied.message).toContain(`ec2:${action.replace(/^ec2:/, '')} on resource: `);
      }
      sim.allowActions();
      const dry = await rejectionOf(call(true));
      expect([action, dry.name, dry.$metadata.httpStatusCode]).toEqual([action, 'DryRunOperation', 412]);
    }
    // Nothing was deleted by the dry runs.
    expect(sim.snapshot(region, snapshot)).toBeDefined();
    expect(sim.volume(region, volume)).toBeDefined();
    expect(sim.address(region, address)).toBeDefined();
  });
});
