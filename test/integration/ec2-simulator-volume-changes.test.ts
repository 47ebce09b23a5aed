import {
  AttachVolumeCommand,
  CreateVolumeCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  DescribeVolumesModificationsCommand,
  DetachVolumeCommand,
  EC2Client,
  ModifyInstanceAttributeCommand,
  ModifyVolumeCommand,
} from '@aws-sdk/client-ec2';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';

const REGION = 'us-east-1';
let sim: Ec2Simulator;
let client: EC2Client;

async function caught(call: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await call;
  } catch (error) {
    return error as { name: string; message: string };
  }
  throw new Error('the call succeeded');
}

beforeAll(async () => {
  sim = await startEc2Simulator({ timings: { pendingMs: 20, stoppingMs: 20, shuttingDownMs: 20, terminatedRetentionMs: 60_000, volumeModifyingMs: 150, volumeOptimizingMs: 400 } });
  client = new EC2Client({ region: REGION, endpoint: sim.url, credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }, maxAttempts: 1 });
});

afterAll(async () => {
  client?.destroy();
  await sim?.close();
});

describe('EC2 simulator: Elastic Volumes and attachments (through @aws-sdk/client-ec2)', () => {
  it('ModifyVolume: modifying → optimizing with progress → completed; the size shows at once; the resize hook runs before optimizing', async () => {
    const volumeId = sim.seed.volume(REGION, { size: 8, type: 'gp2' });
    const resized: number[] = [];
    sim.onVolumeResize(({ size }) => {
      resized.push(size);
    });
    const out = await client.send(new ModifyVolumeCommand({ VolumeId: volumeId, Size: 20, VolumeType: 'gp3' }));
    expect(out.VolumeModification).toMatchObject({ VolumeId: volumeId, ModificationState: 'modifying', OriginalSize: 8, TargetSize: 20, OriginalVolumeType: 'gp2', TargetVolumeType: 'gp3', TargetIops: 3000, TargetThroughput: 125, Progress: 0 });
    expect((await client.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }))).Volumes?.[0]).toMatchObject({ Size: 20, VolumeType: 'gp3' });
    await sleep(250);
    const mid = (await client.send(new DescribeVolumesModificationsCommand({ VolumeIds: [volumeId] }))).VolumesModifications?.[0];
    expect(mid?.ModificationState).toBe('optimizing');
    expect(resized).toEqual([20]);
    await sleep(450);
    const done = (await client.send(new DescribeVolumesModificationsCommand({ Filters: [{ Name: 'volume-id', Values: [volumeId] }] }))).VolumesModifications?.[0];
    expect(done).toMatchObject({ ModificationState: 'completed', Progress: 100 });
    expect(done?.EndTime).toBeInstanceOf(Date);
    sim.onVolumeResize(undefined);
  });

  it('refuses a smaller size, a change while one runs, the fifth change in 24 h, and answers NotFound for a volume never changed', async () => {
    const volumeId = sim.seed.volume(REGION, { size: 10, type: 'gp3' });
    expect((await caught(client.send(new ModifyVolumeCommand({ VolumeId: volumeId, Size: 9 })))).name).toBe('InvalidParameterValue');
    expect((await caught(client.send(new DescribeVolumesModificationsCommand({ VolumeIds: [volumeId] })))).name).toBe('InvalidVolumeModification.NotFound');
    await client.send(new ModifyVolumeCommand({ VolumeId: volumeId, Size: 11 }));
    const busy = await caught(client.send(new ModifyVolumeCommand({ VolumeId: volumeId, Size: 12 })));
    expect(busy.name).toBe('IncorrectModificationState');
    expect(busy.message).toContain('MODIFYING');
    for (const size of [12, 13, 14]) {
      await sleep(600);
      await client.send(new ModifyVolumeCommand({ VolumeId: volumeId, Size: size }));
    }
    await sleep(600);
    expect((await caught(client.send(new ModifyVolumeCommand({ VolumeId: volumeId, Size: 15 })))).name).toBe('VolumeModificationRateExceeded');
    expect((await caught(client.send(new ModifyVolumeCommand({ VolumeId: volumeId, Throughput: 300, VolumeType: 'gp2' })))).name).toBe('InvalidParameterCombination');
  });

  it('AttachVolume / DetachVolume: zone mismatch, device in use, root of a running instance, then attached and detached', async () => {
    const instanceId = sim.addInstance(REGION, { availabilityZone: `${REGION}a` });
    const elsewhere = await client.send(new CreateVolumeCommand({ AvailabilityZone: `${REGION}b`, Size: 5 }));
    await sleep(50);
    expect((await caught(client.send(new AttachVolumeCommand({ VolumeId: elsewhere.VolumeId, InstanceId: instanceId, Device: '/dev/sdf' })))).name).toBe('InvalidVolume.ZoneMismatch');
    const here = await client.send(new CreateVolumeCommand({ AvailabilityZone: `${REGION}a`, Size: 5 }));
    await sleep(50);
    expect((await caught(client.send(new AttachVolumeCommand({ VolumeId: here.VolumeId, InstanceId: instanceId, Device: '/dev/xvda' })))).name).toBe('InvalidParameterValue');
    const attached = await client.send(new AttachVolumeCommand({ VolumeId: here.VolumeId, InstanceId: instanceId, Device: '/dev/sdf' }));
    expect(attached).toMatchObject({ State: 'attaching', Device: '/dev/sdf', InstanceId: instanceId });
    const mappings = (await client.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations?.[0]?.Instances?.[0]?.BlockDeviceMappings ?? [];
    expect(mappings.map((m) => m.DeviceName)).toEqual(['/dev/xvda', '/dev/sdf']);
    expect((await caught(client.send(new AttachVolumeCommand({ VolumeId: here.VolumeId, InstanceId: instanceId, Device: '/dev/sdg' })))).name).toBe('VolumeInUse');
    const rootId = mappings[0]?.Ebs?.VolumeId;
    expect((await caught(client.send(new DetachVolumeCommand({ VolumeId: rootId })))).name).toBe('OperationNotPermitted');
    expect((await client.send(new DetachVolumeCommand({ VolumeId: here.VolumeId }))).State).toBe('detaching');
    expect((await client.send(new DescribeVolumesCommand({ VolumeIds: [here.VolumeId ?? ''] }))).Volumes?.[0]?.State).toBe('available');
  });

  it('ModifyInstanceAttribute: delete-on-termination per device; the instance type only while stopped', async () => {
    const instanceId = sim.addInstance(REGION, {});
    await client.send(new ModifyInstanceAttributeCommand({ InstanceId: instanceId, BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { DeleteOnTermination: false } }] }));
    const root = (await client.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations?.[0]?.Instances?.[0]?.BlockDeviceMappings?.[0];
    expect(root?.Ebs?.DeleteOnTermination).toBe(false);
    expect(sim.volume(REGION, root?.Ebs?.VolumeId ?? '')?.deleteOnTermination).toBe(false);
    expect((await caught(client.send(new ModifyInstanceAttributeCommand({ InstanceId: instanceId, BlockDeviceMappings: [{ DeviceName: '/dev/sdz', Ebs: { DeleteOnTermination: true } }] })))).name).toBe('InvalidInstanceAttributeValue');
    expect((await caught(client.send(new ModifyInstanceAttributeCommand({ InstanceId: instanceId, InstanceType: { Value: 't3.large' } })))).name).toBe('IncorrectInstanceState');
  });
});
