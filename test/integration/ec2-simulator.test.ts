import {
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  DescribeRegionsCommand,
  EC2Client,
  type Instance,
  ModifyInstanceAttributeCommand,
  RebootInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InstanceStore } from '../support/ec2-simulator/instance-store';
import { SIM_INSTANCE_TYPES } from '../support/ec2-simulator/instance-types';
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_SECRET_ACCESS_KEY,
  startEc2Simulator,
  type Ec2Simulator,
} from '../support/ec2-simulator/index';

interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}
const GOOD: Keys = { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

let sim: Ec2Simulator;
const clients: { destroy(): void }[] = [];

function ec2(region: string, credentials: Keys = GOOD, maxAttempts = 1): EC2Client {
  const client = new EC2Client({ region, credentials, endpoint: sim.url, maxAttempts });
  clients.push(client);
  return client;
}

function sts(region: string, credentials: Keys = GOOD): STSClient {
  const client = new STSClient({ region, credentials, endpoint: sim.url, maxAttempts: 1 });
  clients.push(client);
  return client;
}

/** Resolves to the rejection, failing the test if the promise resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<{ name: string; message: string; $metadata: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; message: string; $metadata: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to fail');
}

function instancesOf(out: { Reservations?: { Instances?: Instance[] }[] }): Instance[] {
  return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
}

async function describeOne(region: string, id: string): Promise<Instance> {
  const [instance] = instancesOf(await ec2(region).send(new DescribeInstancesCommand({ InstanceIds: [id] })));
  if (!instance) throw new Error(`${id} not returned`);
  return instance;
}

async function waitForState(region: string, id: string, state: string, timeoutMs = 3_000): Promise<Instance> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const instance = await describeOne(region, id);
    if (instance.State?.Name === state) return instance;
    if (Date.now() > deadline) throw new Error(`${id} still ${instance.State?.Name}, wanted ${state}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeEach(async () => {
  sim = await startEc2Simulator({ timings: { pendingMs: 200, stoppingMs: 200, shuttingDownMs: 200 } });
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await sim.close();
});

describe('DescribeRegions', () => {
  it('lists only enabled regions, with endpoints and opt-in status', async () => {
    const out = await ec2('us-east-1').send(new DescribeRegionsCommand({}));
    const names = (out.Regions ?? []).map((r) => r.RegionName);
    expect(names).toHaveLength(17);
    expect(names).toEqual(expect.arrayContaining(['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2']));
    expect(names).not.toContain('af-south-1');
    expect(out.Regions?.find((r) => r.RegionName === 'eu-west-1')).toEqual({
      RegionName: 'eu-west-1',
      Endpoint: 'ec2.eu-west-1.amazonaws.com',
      OptInStatus: 'opt-in-not-required',
    });
  });

  it('includes not-opted-in regions with AllRegions=true', async () => {
    const out = await ec2('eu-west-1').send(new DescribeRegionsCommand({ AllRegions: true }));
    expect(out.Regions).toHaveLength(20);
    expect(out.Regions?.find((r) => r.RegionName === 'af-south-1')?.OptInStatus).toBe('not-opted-in');
  });

  it('rejects calls signed for a region the account has not enabled', async () => {
    const error = await rejectionOf(ec2('af-south-1').send(new DescribeRegionsCommand({})));
    expect(error.name).toBe('AuthFailure');
    expect(error.$metadata.httpStatusCode).toBe(401);
    sim.setRegionOptIn('af-south-1', 'opted-in');
    const out = await ec2('af-south-1').send(new DescribeRegionsCommand({}));
    expect(out.Regions?.find((r) => r.RegionName === 'af-south-1')?.OptInStatus).toBe('opted-in');
  });
});

describe('DescribeInstances', () => {
  it('returns the full instance shape with realistic ids and ISO dates', async () => {
    const id = sim.addInstance('eu-west-1', {
      name: 'web-1',
      tags: { team: 'ml' },
      instanceType: 'g5.xlarge',
      keyName: 'laptop',
      architecture: 'arm64',
      launchTime: '2024-03-01T10:20:30.456Z',
    });
    const out = await ec2('eu-west-1').send(new DescribeInstancesCommand({}));
    expect(out.Reservations).toHaveLength(1);
    const reservation = out.Reservations?.[0];
    expect(reservation?.ReservationId).toMatch(/^r-[0-9a-f]{17}$/);
    expect(reservation?.OwnerId).toBe('123456789012');
    const i = reservation?.Instances?.[0];
    expect(id).toMatch(/^i-[0-9a-f]{17}$/);
    expect(i?.InstanceId).toBe(id);
    expect(i?.State).toEqual({ Code: 16, Name: 'running' });
    expect(i?.InstanceType).toBe('g5.xlarge');
    expect(i?.KeyName).toBe('laptop');
    expect(i?.Architecture).toBe('arm64');
    expect(i?.PlatformDetails).toBe('Linux/UNIX');
    expect(i?.RootDeviceType).toBe('ebs');
    expect(i?.Placement?.AvailabilityZone).toBe('eu-west-1a');
    expect(i?.ImageId).toMatch(/^ami-[0-9a-f]{17}$/);
    // EC2 reports launch times to the second.
    expect(i?.LaunchTime?.toISOString()).toBe('2024-03-01T10:20:30.000Z');
    expect(i?.PublicIpAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(i?.PublicDnsName).toBe(`ec2-${i?.PublicIpAddress?.replace(/\./g, '-')}.eu-west-1.compute.amazonaws.com`);
    expect(i?.PrivateDnsName).toBe(`ip-${i?.PrivateIpAddress?.replace(/\./g, '-')}.eu-west-1.compute.internal`);
    expect(i?.Tags).toEqual([
      { Key: 'Name', Value: 'web-1' },
      { Key: 'team', Value: 'ml' },
    ]);
    expect(i?.StateReason).toBeUndefined();
  });

  it('serves each region from the same server, scoped by the credential scope region', async () => {
    const eu = sim.addInstance('eu-west-1', { name: 'eu' });
    const us = sim.addInstance('us-west-2', { name: 'us' });
    expect(instancesOf(await ec2('eu-west-1').send(new DescribeInstancesCommand({}))).map((i) => i.InstanceId)).toEqual([eu]);
    expect(instancesOf(await ec2('us-west-2').send(new DescribeInstancesCommand({}))).map((i) => i.InstanceId)).toEqual([us]);
    expect(sim.requests.map((r) => [r.action, r.region])).toEqual([
      ['DescribeInstances', 'eu-west-1'],
      ['DescribeInstances', 'us-west-2'],
    ]);
  });

  it('groups instances of one reservation and shows stopped instances with their reason', async () => {
    const a = sim.addInstance('eu-west-1', { reservationId: 'r-0aaaaaaaaaaaaaaaa' });
    const b = sim.addInstance('eu-west-1', { reservationId: 'r-0aaaaaaaaaaaaaaaa', state: 'stopped' });
    const c = sim.addInstance('eu-west-1', { publicIp: null });
    const out = await ec2('eu-west-1').send(new DescribeInstancesCommand({}));
    expect(out.Reservations?.map((r) => r.Instances?.map((i) => i.InstanceId))).toEqual([[a, b], [c]]);
    const stopped = out.Reservations?.[0]?.Instances?.[1];
    expect(stopped?.State).toEqual({ Code: 80, Name: 'stopped' });
    expect(stopped?.StateReason?.Code).toBe('Client.UserInitiatedShutdown');
    expect(stopped?.PublicIpAddress).toBeUndefined();
    expect(stopped?.PublicDnsName).toBe('');
    expect(out.Reservations?.[1]?.Instances?.[0]?.PublicIpAddress).toBeUndefined();
  });

  it('paginates 2,500 instances with MaxResults and NextToken', async () => {
    const ids = new Set<string>();
    for (let n = 0; n < 2500; n++) ids.add(sim.addInstance('eu-west-1', { name: `node-${n}` }));
    const client = ec2('eu-west-1');
    const seen: string[] = [];
    const pageSizes: number[] = [];
    let token: string | undefined;
    do {
      const out = await client.send(new DescribeInstancesCommand({ MaxResults: 1000, NextToken: token }));
      const page = instancesOf(out).map((i) => i.InstanceId ?? '');
      pageSizes.push(page.length);
      seen.push(...page);
      token = out.NextToken;
    } while (token);
    expect(pageSizes).toEqual([1000, 1000, 500]);
    expect(seen).toHaveLength(2500);
    expect(new Set(seen)).toEqual(ids);
  });

  it('returns everything in one page without MaxResults', async () => {
    for (let n = 0; n < 30; n++) sim.addInstance('eu-west-1');
    const out = await ec2('eu-west-1').send(new DescribeInstancesCommand({}));
    expect(instancesOf(out)).toHaveLength(30);
    expect(out.NextToken).toBeUndefined();
  });

  it('validates MaxResults, its combination with InstanceIds, and tokens', async () => {
    const id = sim.addInstance('eu-west-1');
    const client = ec2('eu-west-1');
    const tooSmall = await rejectionOf(client.send(new DescribeInstancesCommand({ MaxResults: 4 })));
    expect([tooSmall.name, tooSmall.$metadata.httpStatusCode]).toEqual(['InvalidParameterValue', 400]);
    const tooBig = await rejectionOf(client.send(new DescribeInstancesCommand({ MaxResults: 1001 })));
    expect(tooBig.name).toBe('InvalidParameterValue');
    const combined = await rejectionOf(client.send(new DescribeInstancesCommand({ MaxResults: 5, InstanceIds: [id] })));
    expect(combined.name).toBe('InvalidParameterCombination');
    expect(combined.message).toContain('instancesSet cannot be used with the parameter maxResults');
    const badToken = await rejectionOf(client.send(new DescribeInstancesCommand({ MaxResults: 5, NextToken: 'bogus' })));
    expect(badToken.name).toBe('InvalidParameterValue');
  });

  it('filters by InstanceId and reports unknown or malformed ids', async () => {
    const a = sim.addInstance('eu-west-1');
    sim.addInstance('eu-west-1');
    const client = ec2('eu-west-1');
    expect(instancesOf(await client.send(new DescribeInstancesCommand({ InstanceIds: [a] }))).map((i) => i.InstanceId)).toEqual([a]);

    const missing = await rejectionOf(client.send(new DescribeInstancesCommand({ InstanceIds: [a, 'i-0123456789abcdef0'] })));
    expect([missing.name, missing.$metadata.httpStatusCode]).toEqual(['InvalidInstanceID.NotFound', 400]);
    expect(missing.message).toBe("The instance ID 'i-0123456789abcdef0' does not exist");

    const malformed = await rejectionOf(client.send(new DescribeInstancesCommand({ InstanceIds: ['web-server'] })));
    expect(malformed.name).toBe('InvalidInstanceID.Malformed');

    // An id from another region does not exist here.
    const elsewhere = await rejectionOf(ec2('us-east-1').send(new DescribeInstancesCommand({ InstanceIds: [a] })));
    expect(elsewhere.name).toBe('InvalidInstanceID.NotFound');
  });

  it('applies Filter.N with AND across filters, OR across values, and wildcards', async () => {
    const webRunning = sim.addInstance('eu-west-1', { name: 'web-1', tags: { env: 'prod' } });
    const webStopped = sim.addInstance('eu-west-1', { name: 'web-2', state: 'stopped' });
    const db = sim.addInstance('eu-west-1', { name: 'db-1', tags: { env: 'prod' } });
    const untagged = sim.addInstance('eu-west-1');
    const client = ec2('eu-west-1');
    const ids = async (Filters: { Name: string; Values: string[] }[]): Promise<string[]> =>
      instancesOf(await client.send(new DescribeInstancesCommand({ Filters }))).map((i) => i.InstanceId ?? '');

    expect(await ids([{ Name: 'instance-state-name', Values: ['stopped'] }])).toEqual([webStopped]);
    expect(await ids([{ Name: 'instance-state-name', Values: ['running', 'stopped'] }])).toHaveLength(4);
    expect(await ids([{ Name: 'tag:Name', Values: ['web-*'] }])).toEqual([webRunning, webStopped]);
    expect(await ids([{ Name: 'tag:Name', Values: ['web-?'] }, { Name: 'instance-state-name', Values: ['running'] }])).toEqual([
      webRunning,
    ]);
    expect(await ids([{ Name: 'tag-key', Values: ['env'] }])).toEqual([webRunning, db]);
    expect(await ids([{ Name: 'instance-id', Values: [untagged, db] }])).toEqual([db, untagged]);
    const unknown = await rejectionOf(client.send(new DescribeInstancesCommand({ Filters: [{ Name: 'colour', Values: ['red'] }] })));
    expect(unknown.name).toBe('InvalidParameterValue');
  });
});

describe('instance state machine', () => {
  it('stops and starts with timed transitions and real response shapes', async () => {
    // Long enough that the intermediate state is still visible on a busy CI machine.
    sim.timings.stoppingMs = 500;
    const id = sim.addInstance('eu-west-1', { name: 'gpu' });
    const firstIp = (await describeOne('eu-west-1', id)).PublicIpAddress;
    const client = ec2('eu-west-1');

    const stop = await client.send(new StopInstancesCommand({ InstanceIds: [id] }));
    expect(stop.StoppingInstances).toEqual([
      { InstanceId: id, CurrentState: { Code: 64, Name: 'stopping' }, PreviousState: { Code: 16, Name: 'running' } },
    ]);
    expect((await describeOne('eu-west-1', id)).State?.Name).toBe('stopping');
    const stopped = await waitForState('eu-west-1', id, 'stopped');
    expect(stopped.PublicIpAddress).toBeUndefined();
    expect(stopped.StateReason?.Message).toBe('Client.UserInitiatedShutdown: User initiated shutdown');
    expect(stopped.StateTransitionReason).toMatch(/^User initiated \(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} GMT\)$/);

    const start = await client.send(new StartInstancesCommand({ InstanceIds: [id] }));
    expect(start.StartingInstances).toEqual([
      { InstanceId: id, CurrentState: { Code: 0, Name: 'pending' }, PreviousState: { Code: 80, Name: 'stopped' } },
    ]);
    const running = await waitForState('eu-west-1', id, 'running');
    expect(running.StateReason).toBeUndefined();
    expect(running.PublicIpAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(running.PublicIpAddress).not.toBe(firstIp);

    const reboot = await client.send(new RebootInstancesCommand({ InstanceIds: [id] }));
    expect(reboot.$metadata.httpStatusCode).toBe(200);
  });

  it('terminates through shutting-down, keeps terminated instances listed, then forgets them', async () => {
    sim.timings.terminatedRetentionMs = 600;
    const id = sim.addInstance('eu-west-1');
    const out = await ec2('eu-west-1').send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    expect(out.TerminatingInstances?.[0]?.CurrentState).toEqual({ Code: 32, Name: 'shutting-down' });
    expect(out.TerminatingInstances?.[0]?.PreviousState).toEqual({ Code: 16, Name: 'running' });
    const terminated = await waitForState('eu-west-1', id, 'terminated');
    expect(terminated.State?.Code).toBe(48);
    expect(terminated.PrivateIpAddress).toBeUndefined();
    expect(instancesOf(await ec2('eu-west-1').send(new DescribeInstancesCommand({}))).map((i) => i.InstanceId)).toEqual([id]);
    await new Promise((r) => setTimeout(r, 700));
    expect(instancesOf(await ec2('eu-west-1').send(new DescribeInstancesCommand({})))).toEqual([]);
    expect((await rejectionOf(describeOne('eu-west-1', id))).name).toBe('InvalidInstanceID.NotFound');
  });

  it('refuses impossible transitions with IncorrectInstanceState and changes nothing', async () => {
    const stopping = sim.addInstance('eu-west-1');
    const running = sim.addInstance('eu-west-1');
    sim.setInstanceState(stopping, 'stopping');
    const client = ec2('eu-west-1');
    const error = await rejectionOf(client.send(new StartInstancesCommand({ InstanceIds: [running, stopping] })));
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['IncorrectInstanceState', 400]);
    expect(error.message).toContain(stopping);

    const terminated = sim.addInstance('eu-west-1', { state: 'terminated' });
    expect((await rejectionOf(client.send(new StopInstancesCommand({ InstanceIds: [terminated] })))).name).toBe(
      'IncorrectInstanceState',
    );
    const stopped = sim.addInstance('eu-west-1', { state: 'stopped' });
    expect((await rejectionOf(client.send(new RebootInstancesCommand({ InstanceIds: [stopped] })))).name).toBe(
      'IncorrectInstanceState',
    );
    expect(sim.instance(running)?.state).toBe('running');
  });

  it('honours termination protection (DisableApiTermination)', async () => {
    const id = sim.addInstance('eu-west-1', { disableApiTermination: true });
    const client = ec2('eu-west-1');
    const error = await rejectionOf(client.send(new TerminateInstancesCommand({ InstanceIds: [id] })));
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['OperationNotPermitted', 400]);
    expect(error.message).toContain("Modify its 'disableApiTermination' instance attribute");
    expect(sim.instance(id)?.state).toBe('running');

    const attr = await client.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'disableApiTermination' }));
    expect(attr.DisableApiTermination?.Value).toBe(true);
    await client.send(new ModifyInstanceAttributeCommand({ InstanceId: id, DisableApiTermination: { Value: false } }));
    const out = await client.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    expect(out.TerminatingInstances?.[0]?.CurrentState?.Name).toBe('shutting-down');
  });


  it('reports and changes the instance-initiated shutdown behaviour (stop by default)', async () => {
    const id = sim.addInstance('eu-west-1');
    const client = ec2('eu-west-1');
    const before = await client.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'instanceInitiatedShutdownBehavior' }));
    expect([before.InstanceId, before.InstanceInitiatedShutdownBehavior?.Value]).toEqual([id, 'stop']);
    await client.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceInitiatedShutdownBehavior: { Value: 'terminate' } }));
    const after = await client.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'instanceInitiatedShutdownBehavior' }));
    expect(after.InstanceInitiatedShutdownBehavior?.Value).toBe('terminate');
    expect(sim.instance(id)?.instanceInitiatedShutdownBehavior).toBe('terminate');
    const bad = await rejectionOf(client.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceInitiatedShutdownBehavior: { Value: 'explode' } })));
    expect(bad.name).toBe('InvalidParameterValue');
  });

  it('a shutdown from inside stops the instance with Client.InstanceInitiatedShutdown, or terminates it when so set', async () => {
    const stops = sim.addInstance('eu-west-1');
    const ends = sim.addInstance('eu-west-1', { instanceInitiatedShutdownBehavior: 'terminate' });
    sim.shutdownFromInside(stops);
    sim.shutdownFromInside(ends);
    expect([sim.instance(stops)?.state, sim.instance(ends)?.state]).toEqual(['stopping', 'shutting-down']);
    const deadline = Date.now() + 10_000;
    while (sim.instance(stops)?.state !== 'stopped' || sim.instance(ends)?.state !== 'terminated') {
      if (Date.now() > deadline) throw new Error('the shutdowns never finished');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const [stopped] = instancesOf(await ec2('eu-west-1').send(new DescribeInstancesCommand({ InstanceIds: [stops] })));
    expect(stopped?.StateReason?.Message).toBe('Client.InstanceInitiatedShutdown: Instance initiated shutdown');
    expect(sim.instance(ends)?.stateReason).toBe('Client.InstanceInitiatedShutdown: Instance initiated shutdown');
  });

  it('refuses to stop an instance-store-backed instance with UnsupportedOperation', async () => {
    const id = sim.addInstance('eu-west-1', { rootDeviceType: 'instance-store' });
    const client = ec2('eu-west-1');
    const [described] = instancesOf(await client.send(new DescribeInstancesCommand({ InstanceIds: [id] })));
    expect(described?.RootDeviceType).toBe('instance-store');
    const error = await rejectionOf(client.send(new StopInstancesCommand({ InstanceIds: [id] })));
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['UnsupportedOperation', 400]);
    expect(error.message).toBe(`The instance '${id}' does not have an 'ebs' root device type and cannot be stopped.`);
    expect(sim.instance(id)?.state).toBe('running');
  });
  it('answers DryRun with DryRunOperation (412) without acting', async () => {
    const id = sim.addInstance('eu-west-1');
    const error = await rejectionOf(ec2('eu-west-1').send(new StopInstancesCommand({ InstanceIds: [id], DryRun: true })));
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['DryRunOperation', 412]);
    expect(sim.instance(id)?.state).toBe('running');
  });
});

describe('hibernation', () => {
  it('hibernates instances configured for it, with the hibernate state reason', async () => {
    sim.timings.stoppingMs = 300;
    const id = sim.addInstance('eu-west-1', { hibernationConfigured: true });
    expect((await describeOne('eu-west-1', id)).HibernationOptions).toEqual({ Configured: true });
    const out = await ec2('eu-west-1').send(new StopInstancesCommand({ InstanceIds: [id], Hibernate: true }));
    expect(out.StoppingInstances).toEqual([
      { InstanceId: id, CurrentState: { Code: 64, Name: 'stopping' }, PreviousState: { Code: 16, Name: 'running' } },
    ]);
    const stopping = await describeOne('eu-west-1', id);
    expect(stopping.StateReason).toEqual({ Code: 'Client.UserInitiatedHibernate', Message: 'Client.UserInitiatedHibernate: User initiated hibernate' });
    const stopped = await waitForState('eu-west-1', id, 'stopped');
    expect(stopped.StateReason?.Code).toBe('Client.UserInitiatedHibernate');
    expect(stopped.StateTransitionReason).toMatch(/^User initiated \(/);
  });

  it('refuses Hibernate=true for an instance launched without it, changing nothing', async () => {
    const id = sim.addInstance('eu-west-1');
    const other = sim.addInstance('eu-west-1', { hibernationConfigured: true });
    expect((await describeOne('eu-west-1', id)).HibernationOptions).toEqual({ Configured: false });
    const error = await rejectionOf(ec2('eu-west-1').send(new StopInstancesCommand({ InstanceIds: [other, id], Hibernate: true })));
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['UnsupportedHibernationConfiguration', 400]);
    expect(error.message).toBe(`The instance can't be hibernated because it was not configured at launch for hibernation: ${id}`);
    expect([sim.instance(id)?.state, sim.instance(other)?.state]).toEqual(['running', 'running']);
    // A plain stop of the same instance works.
    await ec2('eu-west-1').send(new StopInstancesCommand({ InstanceIds: [id] }));
    expect(sim.instance(id)?.stateReason).toBe('Client.UserInitiatedShutdown: User initiated shutdown');
  });
});

describe('DescribeInstanceTypes', () => {
  it('describes a GPU type in EC2\'s shapes: vCpuInfo, memoryInfo, gpuInfo, processorInfo', async () => {
    const out = await ec2('us-east-1').send(new DescribeInstanceTypesCommand({ InstanceTypes: ['g5.2xlarge', 't4g.micro'] }));
    const [g5, t4g] = out.InstanceTypes ?? [];
    expect(out.NextToken).toBeUndefined();
    expect(g5).toMatchObject({
      InstanceType: 'g5.2xlarge',
      CurrentGeneration: true,
      BareMetal: false,
      Hypervisor: 'nitro',
      VCpuInfo: { DefaultVCpus: 8, DefaultCores: 4, DefaultThreadsPerCore: 2 },
      MemoryInfo: { SizeInMiB: 32768 },
      GpuInfo: {
        Gpus: [{ Name: 'A10G', Manufacturer: 'NVIDIA', Count: 1, MemoryInfo: { SizeInMiB: 22888 } }],
        TotalGpuMemoryInMiB: 22888,
      },
      ProcessorInfo: { SupportedArchitectures: ['x86_64'], SustainedClockSpeedInGhz: 3.3, Manufacturer: 'AMD' },
      HibernationSupported: true,
      BurstablePerformanceSupported: false,
      SupportedUsageClasses: ['on-demand', 'spot'],
    });
    expect(t4g).toMatchObject({
      InstanceType: 't4g.micro',
      VCpuInfo: { DefaultVCpus: 2, DefaultCores: 2, DefaultThreadsPerCore: 1 },
      MemoryInfo: { SizeInMiB: 1024 },
      ProcessorInfo: { SupportedArchitectures: ['arm64'], Manufacturer: 'Amazon Web Services' },
      BurstablePerformanceSupported: true,
    });
    expect(t4g?.GpuInfo).toBeUndefined();
  });

  it('names every unknown type in InvalidInstanceType', async () => {
    const error = await rejectionOf(ec2('us-east-1').send(new DescribeInstanceTypesCommand({ InstanceTypes: ['t3.micro', 'zz9.mega', 'q1.tiny'] as never })));
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['InvalidInstanceType', 400]);
    expect(error.message).toBe('The following supplied instance types do not exist: [zz9.mega, q1.tiny]');
  });

  it('paginates the whole catalogue with MaxResults and NextToken, and filters', async () => {
    const client = ec2('eu-west-1');
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await client.send(new DescribeInstanceTypesCommand({ MaxResults: 20, NextToken: token }));
      pages++;
      expect((out.InstanceTypes ?? []).length).toBeLessThanOrEqual(20);
      seen.push(...(out.InstanceTypes ?? []).map((t) => t.InstanceType ?? ''));
      token = out.NextToken;
    } while (token);
    expect(seen).toHaveLength(SIM_INSTANCE_TYPES.size);
    expect(new Set(seen).size).toBe(SIM_INSTANCE_TYPES.size);
    expect(pages).toBe(Math.ceil(SIM_INSTANCE_TYPES.size / 20));

    const arm = await client.send(
      new DescribeInstanceTypesCommand({ Filters: [{ Name: 'processor-info.supported-architecture', Values: ['arm64'] }, { Name: 'instance-type', Values: ['t4g.*'] }] }),
    );
    expect((arm.InstanceTypes ?? []).map((t) => t.InstanceType)).toEqual([
      't4g.nano',
      't4g.micro',
      't4g.small',
      't4g.medium',
      't4g.large',
      't4g.xlarge',
      't4g.2xlarge',
    ]);
    const bad = await rejectionOf(client.send(new DescribeInstanceTypesCommand({ MaxResults: 101 })));
    expect(bad.name).toBe('InvalidParameterValue');
  });
});

describe('scale', () => {
  it('holds 5,000 instances across 17 regions and serves a page without walking the others', () => {
    let reads = 0;
    const store = new InstanceStore({ pendingMs: 1, stoppingMs: 1, shuttingDownMs: 1, terminatedRetentionMs: 60_000 }, () => {
      reads++;
      return Date.now();
    });
    const regions = sim.regions.filter((r) => r.optInStatus !== 'not-opted-in').map((r) => r.name);
    expect(regions).toHaveLength(17);
    for (let n = 0; n < 5000; n++) store.add(regions[n % 17] ?? 'us-east-1');
    const inEu = store.list('eu-west-1');
    expect(inEu.length).toBe(294);
    // Each instance visited costs exactly one clock read, so this counts the instances a page touches.
    const middle = inEu[150]?.seq ?? -1;
    reads = 0;
    const page: number[] = [];
    for (const instance of store.scan('eu-west-1', middle)) {
      page.push(instance.seq);
      if (page.length === 100) break;
    }
    expect(page).toEqual(inEu.slice(151, 251).map((i) => i.seq));
    expect(reads).toBe(100);
  });

  it('lists 5,000 instances of one region in five 1,000-instance pages', async () => {
    for (let n = 0; n < 5000; n++) sim.addInstance('us-east-2');
    const client = ec2('us-east-2');
    let token: string | undefined;
    let total = 0;
    const started = Date.now();
    do {
      const out = await client.send(new DescribeInstancesCommand({ MaxResults: 1000, NextToken: token }));
      total += instancesOf(out).length;
      token = out.NextToken;
    } while (token);
    expect(total).toBe(5000);
    expect(sim.requests.map((r) => r.action)).toEqual(Array(5).fill('DescribeInstances'));
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe('authentication', () => {
  it('rejects an unknown access key id with AuthFailure (401)', async () => {
    const error = await rejectionOf(
      ec2('eu-west-1', { accessKeyId: 'AKIAUNKNOWNEXAMPLE00', secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }).send(
        new DescribeInstancesCommand({}),
      ),
    );
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['AuthFailure', 401]);
    expect(sim.requests[0]?.accessKeyId).toBe('AKIAUNKNOWNEXAMPLE00');
  });

  it('verifies the SigV4 signature: a wrong secret gives SignatureDoesNotMatch (403)', async () => {
    const error = await rejectionOf(
      ec2('eu-west-1', { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: 'not-the-secret' }).send(new DescribeRegionsCommand({})),
    );
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['SignatureDoesNotMatch', 403]);
  });

  it('rejects unsigned requests in EC2 error XML with a UUID request id', async () => {
    const res = await fetch(sim.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=DescribeInstances&Version=2016-11-15',
    });
    expect(res.status).toBe(401);
    const body = await res.text();
    expect(body).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Response><Errors><Error><Code>MissingAuthenticationToken<\/Code><Message>[^<]+<\/Message><\/Error><\/Errors><RequestID>([^<]+)<\/RequestID><\/Response>$/,
    );
    expect(/<RequestID>([^<]+)</.exec(body)?.[1]).toMatch(UUID);
  });

  it('accepts temporary credentials only with their session token', async () => {
    await sim.close();
    const temp = { accessKeyId: 'ASIAIOSFODNN7EXAMPLE', secretAccessKey: DEFAULT_SECRET_ACCESS_KEY, sessionToken: 'token-1' };
    sim = await startEc2Simulator({ credentials: [temp] });
    expect((await ec2('eu-west-1', temp).send(new DescribeRegionsCommand({}))).Regions).toHaveLength(17);
    const error = await rejectionOf(ec2('eu-west-1', { ...temp, sessionToken: 'token-2' }).send(new DescribeRegionsCommand({})));
    expect(error.name).toBe('AuthFailure');
    const identity = await sts('us-east-1', temp).send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe('arn:aws:sts::123456789012:assumed-role/hangar-role/hangar-session');
  });

  it('lets the SDK correct a skewed clock: RequestExpired first, then success', async () => {
    sim.serverClockOffsetMs = 60 * 60_000;
    const out = await ec2('eu-west-1', GOOD, 3).send(new DescribeRegionsCommand({}));
    expect(out.Regions).toHaveLength(17);
    expect(sim.requests.map((r) => r.errorCode ?? r.status)).toEqual(['RequestExpired', 200]);
  });
});

describe('raw protocol', () => {
  let raw: Ec2Simulator;
  beforeAll(async () => {
    // Signature checking off, so hand-written requests can reach the action layer.
    raw = await startEc2Simulator({ verifySignatures: false });
  });
  afterAll(async () => {
    await raw.close();
  });

  const post = (body: string, service = 'ec2'): Promise<Response> =>
    fetch(raw.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-amz-date': new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z'),
        authorization: `AWS4-HMAC-SHA256 Credential=${DEFAULT_ACCESS_KEY_ID}/${new Date().toISOString().slice(0, 10).replace(/-/g, '')}/eu-west-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
      },
      body,
    });

  it('answers an unknown Action with InvalidAction (400)', async () => {
    const res = await post('Action=LaunchRockets&Version=2016-11-15');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<Code>InvalidAction</Code>');
  });

  it('writes EC2 XML with the 2016-11-15 namespace, requestId and <item> lists', async () => {
    const id = raw.addInstance('eu-west-1', { name: 'a&b' });
    const res = await post(`Action=DescribeInstances&Version=2016-11-15&InstanceId.1=${id}`);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<DescribeInstancesResponse xmlns="http:\/\/ec2.amazonaws.com\/doc\/2016-11-15\/"><requestId>[0-9a-f-]{36}<\/requestId><reservationSet><item><reservationId>r-/,
    );
    expect(body).toContain(`<instancesSet><item><instanceId>${id}</instanceId>`);
    expect(body).toContain('<tagSet><item><key>Name</key><value>a&amp;b</value></item></tagSet>');
    expect(/<launchTime>([^<]+)</.exec(body)?.[1]).toMatch(ISO_MS);
  });

  it('speaks awsQuery for STS, including its ErrorResponse format', async () => {
    const ok = await post('Action=GetCallerIdentity&Version=2011-06-15', 'sts');
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(
      /<GetCallerIdentityResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user\/hangar-test<\/Arn><UserId>AIDA[A-Z2-7]{17}<\/UserId><Account>123456789012<\/Account><\/GetCallerIdentityResult><ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/GetCallerIdentityResponse>$/,
    );
    const bad = await post('Action=AssumeTheWorst&Version=2011-06-15', 'sts');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(
      /<ErrorResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code>/,
    );
  });
});

describe('STS GetCallerIdentity', () => {
  it('identifies the caller', async () => {
    const out = await sts('eu-west-1').send(new GetCallerIdentityCommand({}));
    expect(out.Account).toBe('123456789012');
    expect(out.Arn).toBe('arn:aws:iam::123456789012:user/hangar-test');
    expect(out.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    expect(sim.requests.map((r) => [r.service, r.action, r.region])).toEqual([['sts', 'GetCallerIdentity', 'eu-west-1']]);
  });

  it('rejects an unknown key with InvalidClientTokenId (403)', async () => {
    const error = await rejectionOf(
      sts('us-east-1', { accessKeyId: 'AKIAUNKNOWNEXAMPLE00', secretAccessKey: 'x' }).send(new GetCallerIdentityCommand({})),
    );
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['InvalidClientTokenId', 403]);
    expect(error.message).toBe('The security token included in the request is invalid.');
  });
});

describe('test controls', () => {
  it('injects errors with AWS statuses, a limited number of times, per region', async () => {
    sim.injectError({ action: 'DescribeInstances', code: 'UnauthorizedOperation', message: 'You are not authorized to perform this operation.' });
    sim.injectError({ action: 'DescribeRegions', code: 'InternalError', region: 'us-west-2' });
    const error = await rejectionOf(ec2('eu-west-1').send(new DescribeInstancesCommand({})));
    expect([error.name, error.$metadata.httpStatusCode, error.message]).toEqual([
      'UnauthorizedOperation',
      403,
      'You are not authorized to perform this operation.',
    ]);
    await ec2('eu-west-1').send(new DescribeInstancesCommand({}));
    await ec2('eu-west-1').send(new DescribeRegionsCommand({}));
    expect((await rejectionOf(ec2('us-west-2').send(new DescribeRegionsCommand({})))).$metadata.httpStatusCode).toBe(500);
    expect(sim.requests.map((r) => r.status)).toEqual([403, 200, 200, 500]);
  });

  it('retries injected RequestLimitExceeded (503) in the SDK until it succeeds', async () => {
    sim.injectError({ action: 'DescribeRegions', code: 'RequestLimitExceeded', times: 2 });
    const out = await ec2('eu-west-1', GOOD, 3).send(new DescribeRegionsCommand({}));
    expect(out.Regions).toHaveLength(17);
    expect(out.$metadata.attempts).toBe(3);
    expect(sim.requests.map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it('delays responses per request with latencyFor, falling back to latencyMs', async () => {
    sim.latencyMs = 20;
    sim.latencyFor = ({ action, region }) => (action === 'DescribeInstances' && region === 'ap-southeast-2' ? 400 : undefined);
    const time = async (region: string): Promise<number> => {
      const t0 = Date.now();
      await ec2(region).send(new DescribeInstancesCommand({}));
      return Date.now() - t0;
    };
    const [slow, fast] = await Promise.all([time('ap-southeast-2'), time('eu-west-1')]);
    expect(slow).toBeGreaterThanOrEqual(390);
    expect(fast).toBeGreaterThanOrEqual(18);
    expect(fast).toBeLessThan(300);
  });

  it('reports the peak number of requests in flight, per action', async () => {
    sim.latencyMs = 150;
    await Promise.all([
      ...['eu-west-1', 'us-east-1', 'us-west-2'].map((r) => ec2(r).send(new DescribeInstancesCommand({}))),
      ec2('us-east-1').send(new DescribeRegionsCommand({})),
    ]);
    await ec2('us-east-1').send(new DescribeInstancesCommand({}));
    expect(sim.peakInFlight('DescribeInstances')).toBe(3);
    expect(sim.peakInFlight('DescribeRegions')).toBe(1);
    expect(sim.peakInFlight()).toBe(4);
    sim.clearRequests();
    expect(sim.peakInFlight()).toBe(0);
  });

  it('delays every response by latencyMs', async () => {
    sim.latencyMs = 300;
    const started = Date.now();
    await ec2('eu-west-1').send(new DescribeRegionsCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });
});
