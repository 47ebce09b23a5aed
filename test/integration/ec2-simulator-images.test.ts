import {
  CopyImageCommand,
  CopySnapshotCommand,
  CreateImageCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeAvailabilityZonesCommand,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  ModifyImageAttributeCommand,
  ModifySnapshotAttributeCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';

const REGION = 'us-east-1';
const OTHER = 'eu-west-1';
const PARTNER = '111122223333';
const SNAPSHOT_MS = 800;
let sim: Ec2Simulator;
const clients: EC2Client[] = [];

function ec2(region = REGION): EC2Client {
  const client = new EC2Client({ region, endpoint: sim.url, credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }, maxAttempts: 1 });
  clients.push(client);
  return client;
}

/** The AWS error a call fails with (the SDK's exception: its name is EC2's error code). */
async function caught(call: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await call;
  } catch (error) {
    return error as { name: string; message: string };
  }
  throw new Error('expected the call to fail');
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > end) return value;
    await sleep(100);
  }
}

beforeAll(async () => {
  sim = await startEc2Simulator({ timings: { snapshotMs: SNAPSHOT_MS } });
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await sim?.close();
});

describe('snapshots through the real SDK', () => {
  it('creates a snapshot of a volume with tags, pending with its progress, then completed', async () => {
    const client = ec2();
    const instanceId = sim.addInstance(REGION, { name: 'box' });
    const volumeId = sim.instance(instanceId)?.rootVolume.id ?? '';
    const created = await client.send(
      new CreateSnapshotCommand({ VolumeId: volumeId, Description: 'before upgrade', TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'hangar:created-by', Value: 'hangar' }] }] }),
    );
    expect(created).toMatchObject({ VolumeId: volumeId, State: 'pending', Description: 'before upgrade', VolumeSize: 8, OwnerId: sim.accountId });
    expect(created.Tags).toEqual([{ Key: 'hangar:created-by', Value: 'hangar' }]);
    const id = created.SnapshotId ?? '';
    const seen = new Set<string>();
    const final = await until(
      async () => (await client.send(new DescribeSnapshotsCommand({ SnapshotIds: [id] }))).Snapshots?.[0],
      (s) => {
        seen.add(`${s?.State}:${s?.Progress}`);
        return s?.State === 'completed';
      },
    );
    expect(final).toMatchObject({ State: 'completed', Progress: '100%' });
    // Some reading saw it part-way: pending with a percentage below 100.
    expect([...seen].some((p) => /^pending:\d{1,2}%$/.test(p))).toBe(true);
    const mine = await client.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: [{ Name: 'tag:hangar:created-by', Values: ['hangar'] }] }));
    expect(mine.Snapshots?.map((s) => s.SnapshotId)).toEqual([id]);
  });

  it('refuses unknown and malformed volumes', async () => {
    expect((await caught(ec2().send(new CreateSnapshotCommand({ VolumeId: 'vol-0123456789abcdef0' })))).name).toBe('InvalidVolume.NotFound');
    expect((await caught(ec2().send(new CreateSnapshotCommand({ VolumeId: 'volume-1' })))).name).toBe('InvalidVolumeID.Malformed');
  });

  it('copies a completed snapshot into another region (called there), refuses a pending one', async () => {
    const source = sim.seed.snapshot(REGION, { volumeSize: 20, description: 'data' });
    const copy = await ec2(OTHER).send(new CopySnapshotCommand({ SourceRegion: REGION, SourceSnapshotId: source, Description: 'copy of data' }));
    const listed = await ec2(OTHER).send(new DescribeSnapshotsCommand({ SnapshotIds: [copy.SnapshotId ?? ''] }));
    expect(listed.Snapshots?.[0]).toMatchObject({ State: 'pending', VolumeSize: 20, Description: 'copy of data', VolumeId: 'vol-ffffffff' });
    expect((await caught(ec2(OTHER).send(new CopySnapshotCommand({ SourceRegion: REGION, SourceSnapshotId: 'snap-0123456789abcdef0' })))).name).toBe('InvalidSnapshot.NotFound');
    const pending = await ec2(REGION).send(new CreateSnapshotCommand({ VolumeId: sim.instance(sim.addInstance(REGION))?.rootVolume.id ?? '' }));
    const refused = await caught(ec2(OTHER).send(new CopySnapshotCommand({ SourceRegion: REGION, SourceSnapshotId: pending.SnapshotId ?? '' })));
    expect(refused.name).toBe('IncorrectState');
  });

  it('shares a snapshot with an account and takes it back; a bad account id is refused', async () => {
    const client = ec2();
    const id = sim.seed.snapshot(REGION, {});
    await client.send(new ModifySnapshotAttributeCommand({ SnapshotId: id, Attribute: 'createVolumePermission', CreateVolumePermission: { Add: [{ UserId: PARTNER }] } }));
    const shared = await client.send(new DescribeSnapshotAttributeCommand({ SnapshotId: id, Attribute: 'createVolumePermission' }));
    expect(shared.CreateVolumePermissions).toEqual([{ UserId: PARTNER }]);
    const restorable = await client.send(new DescribeSnapshotsCommand({ RestorableByUserIds: [PARTNER] }));
    expect(restorable.Snapshots?.map((s) => s.SnapshotId)).toEqual([id]);
    await client.send(new ModifySnapshotAttributeCommand({ SnapshotId: id, Attribute: 'createVolumePermission', OperationType: 'remove', UserIds: [PARTNER] }));
    expect((await client.send(new DescribeSnapshotAttributeCommand({ SnapshotId: id, Attribute: 'createVolumePermission' }))).CreateVolumePermissions).toEqual([]);
    const bad = await caught(client.send(new ModifySnapshotAttributeCommand({ SnapshotId: id, CreateVolumePermission: { Add: [{ UserId: '12345' }] } })));
    expect(bad.name).toBe('InvalidParameterValue');
    expect(bad.message).toContain('12345');
  });

  it('restores a snapshot to a new volume in a chosen zone', async () => {
    const id = sim.seed.snapshot(REGION, { volumeSize: 12 });
    const zones = await ec2().send(new DescribeAvailabilityZonesCommand({}));
    const zone = zones.AvailabilityZones?.[1];
    expect(zone).toMatchObject({ ZoneName: 'us-east-1b', State: 'available', RegionName: REGION, ZoneId: 'use1-az2' });
    const volume = await ec2().send(new CreateVolumeCommand({ SnapshotId: id, AvailabilityZone: zone?.ZoneName ?? '' }));
    expect(volume).toMatchObject({ SnapshotId: id, Size: 12, AvailabilityZone: 'us-east-1b' });
  });
});

describe('AMIs through the real SDK', () => {
  it('creates an image from an instance: a snapshot per volume, pending until they complete', async () => {
    const client = ec2();
    const instanceId = sim.addInstance(REGION, { name: 'builder', rootVolume: { size: 16 } });
    const data = sim.seed.volume(REGION, { attachedTo: instanceId, size: 50, device: '/dev/sdf', deleteOnTermination: false });
    const scratch = sim.seed.volume(REGION, { attachedTo: instanceId, size: 5, device: '/dev/sdg' });
    const out = await client.send(
      new CreateImageCommand({
        InstanceId: instanceId,
        Name: 'builder-2024 (v1)',
        Description: 'my env',
        NoReboot: true,
        BlockDeviceMappings: [{ DeviceName: '/dev/sdg', NoDevice: '' }],
        TagSpecifications: [
          { ResourceType: 'image', Tags: [{ Key: 'hangar:created-by', Value: 'hangar' }] },
          { ResourceType: 'snapshot', Tags: [{ Key: 'made-for', Value: 'builder' }] },
        ],
      }),
    );
    const imageId = out.ImageId ?? '';
    expect(sim.createdImages.at(-1)).toEqual({ instanceId, imageId, noReboot: true });
    const first = (await client.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images?.[0];
    expect(first).toMatchObject({ State: 'pending', Name: 'builder-2024 (v1)', Description: 'my env', OwnerId: sim.accountId, RootDeviceName: '/dev/xvda' });
    expect(first?.BlockDeviceMappings?.map((b) => [b.DeviceName, b.Ebs?.VolumeSize, b.Ebs?.DeleteOnTermination])).toEqual([
      ['/dev/xvda', 16, true],
      ['/dev/sdf', 50, false],
    ]);
    const snapshotIds = first?.BlockDeviceMappings?.map((b) => b.Ebs?.SnapshotId ?? '') ?? [];
    const snapshots = (await client.send(new DescribeSnapshotsCommand({ SnapshotIds: snapshotIds }))).Snapshots ?? [];
    expect(snapshots.map((s) => [s.VolumeId, s.State, s.Tags])).toEqual([
      [sim.instance(instanceId)?.rootVolume.id, 'pending', [{ Key: 'made-for', Value: 'builder' }]],
      [data, 'pending', [{ Key: 'made-for', Value: 'builder' }]],
    ]);
    expect(snapshots.map((s) => s.VolumeId)).not.toContain(scratch);
    // A pending AMI cannot be launched yet.
    const early = await caught(client.send(new RunInstancesCommand({ ImageId: imageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 })));
    expect(early.name).toBe('InvalidAMIID.Unavailable');
    const ready = await until(
      async () => (await client.send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'image-id', Values: [imageId] }] }))).Images?.[0],
      (i) => i?.State === 'available',
    );
    expect(ready?.State).toBe('available');
    const duplicate = await caught(client.send(new CreateImageCommand({ InstanceId: instanceId, Name: 'builder-2024 (v1)' })));
    expect(duplicate.name).toBe('InvalidAMIName.Duplicate');
    expect((await caught(client.send(new CreateImageCommand({ InstanceId: instanceId, Name: 'x' })))).name).toBe('InvalidAMIName.Malformed');
  });

  it('shares an AMI by launch permission (ExecutableBy finds it), makes it private again, refuses a bad account id', async () => {
    const client = ec2();
    const imageId = sim.addImage(REGION, { name: 'shared-env' });
    await client.send(new ModifyImageAttributeCommand({ ImageId: imageId, Attribute: 'launchPermission', LaunchPermission: { Add: [{ UserId: PARTNER }] } }));
    const attribute = await client.send(new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: 'launchPermission' }));
    expect(attribute.LaunchPermissions).toEqual([{ UserId: PARTNER }]);
    const forPartner = await client.send(new DescribeImagesCommand({ ExecutableUsers: [PARTNER] }));
    expect(forPartner.Images?.map((i) => i.ImageId)).toEqual([imageId]);
    await client.send(new ModifyImageAttributeCommand({ ImageId: imageId, LaunchPermission: { Remove: [{ UserId: PARTNER }] } }));
    expect((await client.send(new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: 'launchPermission' }))).LaunchPermissions).toEqual([]);
    expect((await client.send(new DescribeImagesCommand({ ExecutableUsers: [PARTNER] }))).Images).toEqual([]);
    const bad = await caught(client.send(new ModifyImageAttributeCommand({ ImageId: imageId, LaunchPermission: { Add: [{ UserId: '1234-5678' }] } })));
    expect(bad.name).toBe('InvalidAMIAttributeItemValue');
    const unknown = await caught(client.send(new ModifyImageAttributeCommand({ ImageId: 'ami-0123456789abcdef0', LaunchPermission: { Add: [{ UserId: PARTNER }] } })));
    expect(unknown.name).toBe('InvalidAMIID.NotFound');
    const publicImage = (await client.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images?.[0]?.ImageId ?? '';
    expect((await caught(client.send(new ModifyImageAttributeCommand({ ImageId: publicImage, LaunchPermission: { Add: [{ UserId: PARTNER }] } })))).name).toBe('AuthFailure');
  });

  it('copies an AMI into another region with new snapshots there', async () => {
    const source = sim.addImage(REGION, { name: 'to-copy', blockDeviceMappings: [{ deviceName: '/dev/xvda', volumeSize: 10 }, { deviceName: '/dev/sdf', volumeSize: 30 }] });
    const copied = await ec2(OTHER).send(new CopyImageCommand({ SourceRegion: REGION, SourceImageId: source, Name: 'to-copy' }));
    const image = (await ec2(OTHER).send(new DescribeImagesCommand({ ImageIds: [copied.ImageId ?? ''] }))).Images?.[0];
    expect(image).toMatchObject({ State: 'pending', Name: 'to-copy' });
    const snapshotIds = image?.BlockDeviceMappings?.map((b) => b.Ebs?.SnapshotId ?? '') ?? [];
    const snapshots = await ec2(OTHER).send(new DescribeSnapshotsCommand({ SnapshotIds: snapshotIds }));
    expect(snapshots.Snapshots?.map((s) => s.VolumeSize)).toEqual([10, 30]);
    expect((await caught(ec2(OTHER).send(new CopyImageCommand({ SourceRegion: REGION, SourceImageId: 'ami-0123456789abcdef0', Name: 'nope' })))).name).toBe('InvalidAMIID.NotFound');
  });

  it('a snapshot behind an AMI cannot be deleted (the AMI is named); deregister, then delete each snapshot', async () => {
    const client = ec2();
    const imageId = sim.addImage(REGION, { name: 'to-remove', blockDeviceMappings: [{ deviceName: '/dev/xvda' }, { deviceName: '/dev/sdf' }] });
    const snapshotIds = sim.ownImages(REGION).find((i) => i.id === imageId)?.snapshotIds ?? [];
    expect(snapshotIds).toHaveLength(2);
    const inUse = await caught(client.send(new DeleteSnapshotCommand({ SnapshotId: snapshotIds[0] })));
    expect(inUse.name).toBe('InvalidSnapshot.InUse');
    expect(inUse.message).toContain(imageId);
    await client.send(new DeregisterImageCommand({ ImageId: imageId }));
    expect((await caught(client.send(new DescribeImagesCommand({ ImageIds: [imageId] })))).name).toBe('InvalidAMIID.NotFound');
    for (const id of snapshotIds) await client.send(new DeleteSnapshotCommand({ SnapshotId: id }));
    const ids = new Set(sim.ownSnapshots(REGION).map((s) => s.id));
    expect(snapshotIds.filter((id) => ids.has(id))).toEqual([]);
    expect((await caught(client.send(new DeleteSnapshotCommand({ SnapshotId: snapshotIds[0] })))).name).toBe('InvalidSnapshot.NotFound');
  });
});
