import {
  CreatePlacementGroupCommand,
  DeletePlacementGroupCommand,
  DescribeInstancesCommand,
  DescribePlacementGroupsCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';

const REGION = 'us-east-1';
let sim: Ec2Simulator;
let ec2: EC2Client;
let imageId: string;

/** The AWS error a call fails with (the SDK's exception: its name is EC2's error code). */
async function caught(call: Promise<unknown>): Promise<{ name: string }> {
  try {
    await call;
  } catch (error) {
    return error as { name: string };
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  sim = await startEc2Simulator();
  ec2 = new EC2Client({ region: REGION, endpoint: sim.url, credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }, maxAttempts: 1 });
  imageId = sim.addImage(REGION, { name: 'plain-linux', rootDeviceName: '/dev/xvda', architecture: 'x86_64' });
});

afterAll(async () => {
  ec2?.destroy();
  await sim?.close();
});

describe('placement groups through the real SDK', () => {
  it('creates, describes, launches into, refuses to delete while in use, and deletes', async () => {
    const created = await ec2.send(
      new CreatePlacementGroupCommand({ GroupName: 'hangar-lab', Strategy: 'cluster', TagSpecifications: [{ ResourceType: 'placement-group', Tags: [{ Key: 'hangar:cluster', Value: 'lab' }] }] }),
    );
    expect(created.PlacementGroup).toMatchObject({ GroupName: 'hangar-lab', Strategy: 'cluster', State: 'available' });
    expect((await caught(ec2.send(new CreatePlacementGroupCommand({ GroupName: 'hangar-lab', Strategy: 'spread' })))).name).toBe('InvalidPlacementGroup.Duplicate');
    const listed = await ec2.send(new DescribePlacementGroupsCommand({ Filters: [{ Name: 'tag:hangar:cluster', Values: ['lab'] }] }));
    expect(listed.PlacementGroups?.map((g) => [g.GroupName, g.Strategy, g.GroupId?.startsWith('pg-')])).toEqual([['hangar-lab', 'cluster', true]]);

    const run = await ec2.send(new RunInstancesCommand({ ImageId: imageId, InstanceType: 't3.micro', MinCount: 2, MaxCount: 2, Placement: { GroupName: 'hangar-lab' } }));
    const ids = run.Instances?.map((i) => i.InstanceId ?? '') ?? [];
    const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
    expect(described.Reservations?.flatMap((r) => r.Instances ?? []).map((i) => i.Placement?.GroupName)).toEqual(['hangar-lab', 'hangar-lab']);
    expect((await caught(ec2.send(new DeletePlacementGroupCommand({ GroupName: 'hangar-lab' })))).name).toBe('InvalidPlacementGroup.InUse');
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: ids }));
    // Still shutting down: still in use, as on AWS. Once terminated, the group can go.
    expect((await caught(ec2.send(new DeletePlacementGroupCommand({ GroupName: 'hangar-lab' })))).name).toBe('InvalidPlacementGroup.InUse');
    for (const id of ids) sim.setInstanceState(id, 'terminated');
    await ec2.send(new DeletePlacementGroupCommand({ GroupName: 'hangar-lab' }));
    expect((await caught(ec2.send(new DescribePlacementGroupsCommand({ GroupNames: ['hangar-lab'] })))).name).toBe('InvalidPlacementGroup.Unknown');
  });

  it('refuses a launch into a group that does not exist', async () => {
    const error = await caught(ec2.send(new RunInstancesCommand({ ImageId: imageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, Placement: { GroupName: 'nope' } })));
    expect(error.name).toBe('InvalidPlacementGroup.Unknown');
  });
});
