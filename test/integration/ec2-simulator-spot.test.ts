import {
  CancelSpotInstanceRequestsCommand,
  DescribeSpotInstanceRequestsCommand,
  EC2Client,
  RunInstancesCommand,
  type RunInstancesCommandInput,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';

const REGION = 'us-east-1';
const credentials = { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY };
const UBUNTU_2404_X86 = '/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id';

let sim: Ec2Simulator;
let ec2: EC2Client;
let ubuntu: string;

async function rejectionOf(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; message: string };
  }
  throw new Error('expected a rejection');
}

function spotLaunch(spotOptions: NonNullable<NonNullable<RunInstancesCommandInput['InstanceMarketOptions']>['SpotOptions']>): RunInstancesCommandInput {
  return { ImageId: ubuntu, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, InstanceMarketOptions: { MarketType: 'spot', SpotOptions: spotOptions } };
}

async function requestOf(instanceId: string) {
  const out = await ec2.send(new DescribeSpotInstanceRequestsCommand({ Filters: [{ Name: 'instance-id', Values: [instanceId] }] }));
  return out.SpotInstanceRequests?.[0];
}

beforeAll(async () => {
  sim = await startEc2Simulator({ timings: { pendingMs: 50, stoppingMs: 50, shuttingDownMs: 50 } });
  ec2 = new EC2Client({ region: REGION, credentials, endpoint: sim.url, maxAttempts: 1 });
  const ssm = new SSMClient({ region: REGION, credentials, endpoint: sim.url, maxAttempts: 1 });
  ubuntu = (await ssm.send(new GetParameterCommand({ Name: UBUNTU_2404_X86 }))).Parameter?.Value ?? '';
  ssm.destroy();
});

afterAll(async () => {
  ec2.destroy();
  await sim.close();
});

describe('RunInstances with SpotOptions', () => {
  it('records a persistent request that stops on interruption, with its maximum price, and lets the instance stop and start', async () => {
    const out = await ec2.send(new RunInstancesCommand(spotLaunch({ SpotInstanceType: 'persistent', InstanceInterruptionBehavior: 'stop', MaxPrice: '0.02' })));
    const id = out.Instances?.[0]?.InstanceId ?? '';
    expect(sim.instance(id)?.spotOptions).toEqual({ type: 'persistent', interruptionBehavior: 'stop', maxPrice: '0.02' });
    const request = await requestOf(id);
    expect([request?.Type, request?.InstanceInterruptionBehavior, request?.SpotPrice, request?.State, request?.Status?.Code]).toEqual([
      'persistent',
      'stop',
      '0.020000',
      'active',
      'fulfilled',
    ]);
    expect(request?.SpotInstanceRequestId).toBe(out.Instances?.[0]?.SpotInstanceRequestId);

    await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    expect([(await requestOf(id))?.State, (await requestOf(id))?.Status?.Code]).toEqual(['disabled', 'instance-stopped-by-user']);
    await new Promise((resolve) => setTimeout(resolve, 120));
    await ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    expect((await requestOf(id))?.State).toBe('active');
  });

  it('refuses the combinations EC2 refuses and a maximum price of a tenth of a cent or less', async () => {
    const persistentTerminate = await rejectionOf(ec2.send(new RunInstancesCommand(spotLaunch({ SpotInstanceType: 'persistent' }))));
    expect([persistentTerminate.name, persistentTerminate.message]).toEqual([
      'InvalidParameterCombination',
      'The terminate InstanceInterruptionBehavior is not supported when requestType is set to persistent.',
    ]);
    const oneTimeStop = await rejectionOf(ec2.send(new RunInstancesCommand(spotLaunch({ SpotInstanceType: 'one-time', InstanceInterruptionBehavior: 'stop' }))));
    expect(oneTimeStop.name).toBe('InvalidParameterCombination');
    const cheap = await rejectionOf(ec2.send(new RunInstancesCommand(spotLaunch({ SpotInstanceType: 'persistent', InstanceInterruptionBehavior: 'stop', MaxPrice: '0.001' }))));
    expect(cheap.name).toBe('InvalidParameterValue');
  });

  it('cannot stop a one-time spot instance; terminating closes its request', async () => {
    const out = await ec2.send(new RunInstancesCommand(spotLaunch({ SpotInstanceType: 'one-time' })));
    const id = out.Instances?.[0]?.InstanceId ?? '';
    expect(sim.instance(id)?.spotOptions).toEqual({ type: 'one-time', interruptionBehavior: 'terminate' });
    const refused = await rejectionOf(ec2.send(new StopInstancesCommand({ InstanceIds: [id] })));
    expect(refused.name).toBe('UnsupportedOperation');
    expect(refused.message).toContain('one-time Spot Instance request');
    expect(sim.instance(id)?.state).not.toMatch(/^stop/);
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    expect([(await requestOf(id))?.State, (await requestOf(id))?.Status?.Code]).toEqual(['closed', 'instance-terminated-by-user']);
  });

  it('reopens a persistent request whose instance is terminated, unless the request was cancelled first', async () => {
    const options = { SpotInstanceType: 'persistent', InstanceInterruptionBehavior: 'stop' } as const;
    const left = (await ec2.send(new RunInstancesCommand(spotLaunch(options)))).Instances?.[0]?.InstanceId ?? '';
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [left] }));
    expect((await requestOf(left))?.State).toBe('open');

    const ended = await ec2.send(new RunInstancesCommand(spotLaunch(options)));
    const id = ended.Instances?.[0]?.InstanceId ?? '';
    const requestId = ended.Instances?.[0]?.SpotInstanceRequestId ?? '';
    const cancelled = await ec2.send(new CancelSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [requestId] }));
    expect(cancelled.CancelledSpotInstanceRequests).toEqual([{ SpotInstanceRequestId: requestId, State: 'cancelled' }]);
    expect([(await requestOf(id))?.State, (await requestOf(id))?.Status?.Code]).toEqual(['cancelled', 'request-canceled-and-instance-running']);
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    expect((await requestOf(id))?.State).toBe('cancelled');

    const unknown = await rejectionOf(ec2.send(new CancelSpotInstanceRequestsCommand({ SpotInstanceRequestIds: ['sir-00000000'] })));
    expect(unknown.name).toBe('InvalidSpotInstanceRequestID.NotFound');
  });

  it('shows a seeded interruption notice on a launched instance’s request', async () => {
    const out = await ec2.send(new RunInstancesCommand(spotLaunch({ SpotInstanceType: 'persistent', InstanceInterruptionBehavior: 'stop' })));
    const id = out.Instances?.[0]?.InstanceId ?? '';
    sim.seed.spotRequest(REGION, { instanceId: id, type: 'persistent', interruptionBehavior: 'stop', statusCode: 'marked-for-stop', statusMessage: 'Spot Instance is marked for stop.' });
    const request = await requestOf(id);
    expect([request?.SpotInstanceRequestId, request?.Status?.Code]).toEqual([out.Instances?.[0]?.SpotInstanceRequestId, 'marked-for-stop']);
  });
});
