import { DescribeSpotInstanceRequestsCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClientPool, type AwsClientPool } from '../../src/main/services/aws/aws-client-pool';
import { createEc2Service, type Ec2Service } from '../../src/main/services/ec2/ec2-service';
import { spotNotice } from '../../src/shared/models/spot';
import { caught } from '../support/caught';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';
import { isolateAwsEnv } from '../support/isolated-aws-env';

const GOOD = { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY };
const REGION = 'eu-west-1';
const ACCOUNT = 'acct-main';

let restoreEnv: () => void = () => undefined;
let sim: Ec2Simulator;
let pool: AwsClientPool;
let svc: Ec2Service;
let raw: EC2Client;

beforeAll(async () => {
  restoreEnv = isolateAwsEnv();
  sim = await startEc2Simulator({ timings: { pendingMs: 50, stoppingMs: 50, shuttingDownMs: 50 } });
  pool = createAwsClientPool({
    credentialsFor: (): AwsCredentialIdentityProvider => async () => GOOD,
    endpoint: sim.url,
  });
  svc = createEc2Service({ clientsFor: pool.clientsFor });
  raw = new EC2Client({ region: REGION, credentials: GOOD, endpoint: sim.url, maxAttempts: 1 });
});

afterAll(async () => {
  raw.destroy();
  pool.destroy();
  await sim.close();
  restoreEnv();
});

async function listed(id: string) {
  return (await svc.listInstances(ACCOUNT, REGION)).find((i) => i.id === id);
}

describe('spot instances in the list', () => {
  it('carry their request’s kind, status and maximum price; on-demand ones carry nothing', async () => {
    const persistent = sim.addInstance(REGION, { name: 'keeps', instanceLifecycle: 'spot', spotOptions: { type: 'persistent', interruptionBehavior: 'stop', maxPrice: '0.4' } });
    const plain = sim.addInstance(REGION, { name: 'plain' });
    const spot = await listed(persistent);
    expect(spot?.spot).toEqual({
      requestId: expect.stringMatching(/^sir-/),
      type: 'persistent',
      state: 'active',
      statusCode: 'fulfilled',
      statusMessage: 'Your spot request is fulfilled.',
      interruptionBehavior: 'stop',
      maxPrice: 0.4,
    });
    expect(spotNotice(spot?.spot)).toBeUndefined();
    expect((await listed(plain))?.spot).toBeUndefined();
  });

  it('show an interruption notice (marked-for-stop) as EC2 reports it', async () => {
    const id = sim.addInstance(REGION, { name: 'noticed', instanceLifecycle: 'spot', spotOptions: { type: 'persistent', interruptionBehavior: 'stop' } });
    sim.seed.spotRequest(REGION, { instanceId: id, type: 'persistent', interruptionBehavior: 'stop', statusCode: 'marked-for-stop', statusMessage: 'Spot Instance is marked for stop.' });
    const spot = (await listed(id))?.spot;
    expect(spot?.statusCode).toBe('marked-for-stop');
    expect(spotNotice(spot)).toMatchObject({ level: 'interruption', short: 'Stopping in 2 min' });
  });

  it('are still listed when the requests cannot be read', async () => {
    const id = sim.addInstance(REGION, { name: 'unreadable', instanceLifecycle: 'spot' });
    sim.denyActions(['ec2:DescribeSpotInstanceRequests']);
    try {
      expect((await listed(id))?.spot).toEqual({ requestId: expect.stringMatching(/^sir-/) });
    } finally {
      sim.allowActions();
    }
  });
});

describe('acting on spot instances', () => {
  it('explains that a one-time spot instance cannot be stopped', async () => {
    const id = sim.addInstance(REGION, { name: 'once', instanceLifecycle: 'spot' });
    const refused = await caught(svc.act({ accountId: ACCOUNT, region: REGION, action: 'stop', instanceIds: [id] }));
    expect(refused.message).toBe(`${id} is a one-time spot instance: it cannot be stopped, only terminated.`);
    expect(refused.hint).toContain('persistent request');
  });

  it('cancels a persistent request before terminating its instance, so AWS launches no replacement', async () => {
    const id = sim.addInstance(REGION, { name: 'done', instanceLifecycle: 'spot', spotOptions: { type: 'persistent', interruptionBehavior: 'stop' } });
    sim.clearRequests();
    await svc.act({ accountId: ACCOUNT, region: REGION, action: 'terminate', instanceIds: [id] });
    const actions = sim.requests.map((r) => r.action);
    expect(actions.indexOf('CancelSpotInstanceRequests')).toBeGreaterThan(-1);
    expect(actions.indexOf('CancelSpotInstanceRequests')).toBeLessThan(actions.indexOf('TerminateInstances'));
    const out = await raw.send(new DescribeSpotInstanceRequestsCommand({ Filters: [{ Name: 'instance-id', Values: [id] }] }));
    expect(out.SpotInstanceRequests?.[0]?.State).toBe('cancelled');
  });

  it('terminates nothing when the persistent request cannot be cancelled, and says why', async () => {
    const id = sim.addInstance(REGION, { name: 'stuck', instanceLifecycle: 'spot', spotOptions: { type: 'persistent', interruptionBehavior: 'stop' } });
    sim.denyActions(['ec2:CancelSpotInstanceRequests']);
    try {
      const refused = await caught(svc.act({ accountId: ACCOUNT, region: REGION, action: 'terminate', instanceIds: [id] }));
      expect(refused.code).toBe('AWS_UNAUTHORIZED');
      expect(refused.message).toMatch(/^Nothing was terminated: the persistent spot request sir-\w+ could not be cancelled/);
      expect(sim.instance(id)?.state).toBe('running');
    } finally {
      sim.allowActions();
    }
  });

  it('terminates a one-time spot instance without touching its request', async () => {
    const id = sim.addInstance(REGION, { name: 'gone', instanceLifecycle: 'spot' });
    sim.clearRequests();
    await svc.act({ accountId: ACCOUNT, region: REGION, action: 'terminate', instanceIds: [id] });
    expect(sim.requests.map((r) => r.action)).not.toContain('CancelSpotInstanceRequests');
    expect(sim.instance(id)?.state).toMatch(/shutting-down|terminated/);
  });
});
