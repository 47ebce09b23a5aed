import { StartInstancesCommand, StopInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEc2ClientFactory, type Ec2ClientFactory, type Ec2ClientFactoryOptions } from '../../src/main/services/ec2/ec2-client-factory';
import { createEc2Service, type Ec2Service } from '../../src/main/services/ec2/ec2-service';
import { mapAwsError } from '../../src/main/services/ec2/map-aws-error';
import { HangarError } from '../../src/shared/errors/hangar-error';
import type { InstanceSummary } from '../../src/shared/models/ec2';
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_SECRET_ACCESS_KEY,
  startEc2Simulator,
  type Ec2Simulator,
} from '../support/ec2-simulator/index';

const GOOD = { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY };
const REGION = 'eu-west-1';

// The SDK reads endpoints, profiles and IMDS from the environment; pin all of it so the host's AWS setup
// cannot leak in and nothing ever leaves 127.0.0.1.
const ISOLATED_ENV: Record<string, string | undefined> = {
  AWS_CONFIG_FILE: '/nonexistent/hangar-test/config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/hangar-test/credentials',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_PROFILE: undefined,
  AWS_REGION: undefined,
  AWS_DEFAULT_REGION: undefined,
  AWS_ACCESS_KEY_ID: undefined,
  AWS_SECRET_ACCESS_KEY: undefined,
  AWS_SESSION_TOKEN: undefined,
  AWS_ENDPOINT_URL: undefined,
  AWS_ENDPOINT_URL_EC2: undefined,
  AWS_ENDPOINT_URL_STS: undefined,
  AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: undefined,
  AWS_MAX_ATTEMPTS: undefined,
  AWS_RETRY_MODE: undefined,
};
const savedEnv: Record<string, string | undefined> = {};

function setEnv(vars: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

beforeAll(() => {
  for (const key of Object.keys(ISOLATED_ENV)) savedEnv[key] = process.env[key];
  setEnv(ISOLATED_ENV);
});
afterAll(() => setEnv(savedEnv));

let sim: Ec2Simulator;
const factories: Ec2ClientFactory[] = [];

function factory(opts: Ec2ClientFactoryOptions = {}): Ec2ClientFactory {
  const f = createEc2ClientFactory({ credentials: GOOD, endpoint: sim.url, ...opts });
  factories.push(f);
  return f;
}

function service(opts: Ec2ClientFactoryOptions = {}): Ec2Service {
  return createEc2Service({ clients: factory(opts) });
}

async function hangarErrorOf(promise: Promise<unknown>): Promise<HangarError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(HangarError);
    return error as HangarError;
  }
  throw new Error('expected the call to fail');
}

async function waitForState(svc: Ec2Service, id: string, state: string): Promise<InstanceSummary> {
  const deadline = Date.now() + 3_000;
  for (;;) {
    const found = (await svc.listInstances(REGION)).find((i) => i.id === id);
    if (found?.state === state) return found;
    if (Date.now() > deadline) throw new Error(`${id} is ${found?.state}, wanted ${state}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeEach(async () => {
  sim = await startEc2Simulator({ timings: { pendingMs: 200, stoppingMs: 200, shuttingDownMs: 200 } });
});

afterEach(async () => {
  for (const f of factories.splice(0)) f.destroy();
  setEnv({ AWS_ENDPOINT_URL_EC2: undefined, AWS_ENDPOINT_URL_STS: undefined });
  await sim.close();
});

describe('endpoint resolution', () => {
  it('routes EC2 calls through AWS_ENDPOINT_URL_EC2 alone (no endpoint option)', async () => {
    const id = sim.addInstance(REGION, { name: 'via-env' });
    setEnv({ AWS_ENDPOINT_URL_EC2: sim.url });
    const f = createEc2ClientFactory({ credentials: GOOD, maxAttempts: 1 });
    factories.push(f);
    const instances = await createEc2Service({ clients: f }).listInstances(REGION);
    expect(instances.map((i) => [i.id, i.name])).toEqual([[id, 'via-env']]);
    expect(sim.requests.map((r) => [r.service, r.action, r.region])).toEqual([['ec2', 'DescribeInstances', REGION]]);
  });

  it('routes STS calls through AWS_ENDPOINT_URL_STS', async () => {
    setEnv({ AWS_ENDPOINT_URL_STS: sim.url });
    const f = createEc2ClientFactory({ credentials: GOOD, maxAttempts: 1 });
    factories.push(f);
    const out = await f.sts('ap-southeast-2').send(new GetCallerIdentityCommand({}));
    expect(out.Account).toBe('123456789012');
    expect(sim.requests.map((r) => [r.service, r.region])).toEqual([['sts', 'ap-southeast-2']]);
  });

  it('caches one client per region', () => {
    const f = factory();
    expect(f.ec2(REGION)).toBe(f.ec2(REGION));
    expect(f.ec2(REGION)).not.toBe(f.ec2('us-east-1'));
    expect(f.sts(REGION)).toBe(f.sts(REGION));
  });
});

describe('listRegions', () => {
  it('returns enabled regions, sorted, with readable names', async () => {
    sim.setRegionOptIn('af-south-1', 'opted-in');
    const regions = await service().listRegions();
    expect(regions).toHaveLength(18);
    expect(regions.map((r) => r.name)).toEqual([...regions.map((r) => r.name)].sort());
    expect(regions.map((r) => r.name)).not.toContain('me-south-1');
    expect(regions.find((r) => r.name === 'us-east-1')).toEqual({
      name: 'us-east-1',
      endpoint: 'ec2.us-east-1.amazonaws.com',
      optInStatus: 'opt-in-not-required',
      displayName: 'US East (N. Virginia)',
    });
    expect(regions.find((r) => r.name === 'af-south-1')).toMatchObject({ optInStatus: 'opted-in', displayName: 'Africa (Cape Town)' });
    expect(regions.find((r) => r.name === 'ap-southeast-2')?.displayName).toBe('Asia Pacific (Sydney)');
    expect(sim.requests.map((r) => [r.action, r.region])).toEqual([['DescribeRegions', 'us-east-1']]);
  });
});

describe('listInstances', () => {
  it('maps every field of an instance', async () => {
    const id = sim.addInstance(REGION, {
      name: 'trainer',
      instanceType: 'g5.2xlarge',
      keyName: 'laptop',
      imageId: 'ami-0123456789abcdef0',
      availabilityZone: 'eu-west-1b',
      publicIp: '54.1.2.3',
      privateIp: '172.31.5.6',
      architecture: 'arm64',
      platformDetails: 'Windows',
      launchTime: '2024-05-06T07:08:09Z',
    });
    const [instance] = await service().listInstances(REGION);
    expect(instance).toEqual({
      id,
      name: 'trainer',
      state: 'running',
      type: 'g5.2xlarge',
      availabilityZone: 'eu-west-1b',
      publicIp: '54.1.2.3',
      publicDns: 'ec2-54-1-2-3.eu-west-1.compute.amazonaws.com',
      privateIp: '172.31.5.6',
      keyName: 'laptop',
      imageId: 'ami-0123456789abcdef0',
      platform: 'Windows',
      architecture: 'arm64',
      launchTime: '2024-05-06T07:08:09.000Z',
      region: REGION,
    } satisfies InstanceSummary);
  });

  it('leaves out what a stopped, key-less, private instance does not have', async () => {
    sim.addInstance(REGION, { state: 'stopped', keyName: null, publicIp: null });
    const [instance] = await service().listInstances(REGION);
    expect(instance?.state).toBe('stopped');
    expect(instance?.stateReason).toBe('Client.UserInitiatedShutdown: User initiated shutdown');
    expect(instance).not.toHaveProperty('publicIp');
    expect(instance).not.toHaveProperty('publicDns');
    expect(instance).not.toHaveProperty('keyName');
    expect(instance).not.toHaveProperty('name');
  });

  it('follows NextToken through 2,500 instances, each exactly once', async () => {
    const ids: string[] = [];
    for (let n = 0; n < 2500; n++) ids.push(sim.addInstance(REGION));
    sim.addInstance('us-west-2');
    const instances = await service().listInstances(REGION);
    expect(instances).toHaveLength(2500);
    expect(new Set(instances.map((i) => i.id)).size).toBe(2500);
    expect(instances.map((i) => i.id).sort()).toEqual([...ids].sort());
    expect(sim.requests.map((r) => r.action)).toEqual(['DescribeInstances', 'DescribeInstances', 'DescribeInstances']);
  });

  it('observes stop, start and terminate transitions over time', async () => {
    // Long enough that each intermediate state is still visible on a busy CI machine.
    Object.assign(sim.timings, { pendingMs: 500, stoppingMs: 500, shuttingDownMs: 500 });
    const id = sim.addInstance(REGION);
    const svc = service();
    const client = factory().ec2(REGION);
    await client.send(new StopInstancesCommand({ InstanceIds: [id] }));
    expect((await svc.listInstances(REGION)).find((i) => i.id === id)?.state).toBe('stopping');
    expect((await waitForState(svc, id, 'stopped')).publicIp).toBeUndefined();
    await client.send(new StartInstancesCommand({ InstanceIds: [id] }));
    expect((await svc.listInstances(REGION))[0]?.state).toBe('pending');
    expect((await waitForState(svc, id, 'running')).publicIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    await client.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    expect((await svc.listInstances(REGION))[0]?.state).toBe('shutting-down');
    await waitForState(svc, id, 'terminated');
  });
});

describe('error mapping', () => {
  it('maps IncorrectInstanceState to AWS_INCORRECT_STATE with a hint', async () => {
    const id = sim.addInstance(REGION, { state: 'terminated' });
    const client = factory({ maxAttempts: 1 }).ec2(REGION);
    const error = await hangarErrorOf(
      client.send(new StartInstancesCommand({ InstanceIds: [id] })).catch((e: unknown) => {
        throw mapAwsError(e, { action: 'ec2:StartInstances', region: REGION });
      }),
    );
    expect(error.code).toBe('AWS_INCORRECT_STATE');
    expect(error.message).toContain(id);
    expect(error.hint).toMatch(/Wait until the instance has finished changing state/);
    expect(error.retryable).toBe(false);
    expect(error.details).toMatchObject({ awsCode: 'IncorrectInstanceState', httpStatus: 400, region: REGION });
  });

  it('maps OperationNotPermitted (termination protection) to AWS_OPERATION_NOT_PERMITTED', async () => {
    const id = sim.addInstance(REGION, { disableApiTermination: true });
    const client = factory({ maxAttempts: 1 }).ec2(REGION);
    const error = await hangarErrorOf(
      client.send(new TerminateInstancesCommand({ InstanceIds: [id] })).catch((e: unknown) => {
        throw mapAwsError(e, { action: 'ec2:TerminateInstances', region: REGION });
      }),
    );
    expect(error.code).toBe('AWS_OPERATION_NOT_PERMITTED');
    expect(error.message).toMatch(/termination protection/);
    expect(error.hint).toMatch(/Change termination protection/);
  });

  it('maps an unknown access key id to AWS_INVALID_KEY_ID without leaking the secret', async () => {
    const secret = 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2Fy';
    const svc = service({ credentials: { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: secret } });
    const error = await hangarErrorOf(svc.listInstances(REGION));
    expect(error.code).toBe('AWS_INVALID_KEY_ID');
    expect(error.hint).toMatch(/access key ID/);
    expect(error.details).toMatchObject({ awsCode: 'AuthFailure', httpStatus: 401, action: 'ec2:DescribeInstances' });
    expect(JSON.stringify(error.toJSON())).not.toContain(secret);
  });

  it('maps a wrong secret to AWS_BAD_SECRET', async () => {
    const error = await hangarErrorOf(
      service({ credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: 'wrong' } }).listRegions(),
    );
    expect(error.code).toBe('AWS_BAD_SECRET');
    expect(error.hint).toMatch(/secret access key/);
  });

  it('maps expired temporary credentials to AWS_TOKEN_EXPIRED', async () => {
    await sim.close();
    const temp = { accessKeyId: 'ASIAIOSFODNN7EXAMPLE', secretAccessKey: DEFAULT_SECRET_ACCESS_KEY, sessionToken: 't' };
    sim = await startEc2Simulator({ credentials: [{ ...temp, expired: true }] });
    const error = await hangarErrorOf(service({ credentials: temp, maxAttempts: 1 }).listInstances(REGION));
    expect(error.code).toBe('AWS_TOKEN_EXPIRED');
    expect(error.hint).toMatch(/fresh temporary credentials/);
  });

  it('maps UnauthorizedOperation to AWS_UNAUTHORIZED naming the action', async () => {
    sim.injectError({ action: 'DescribeInstances', code: 'UnauthorizedOperation', message: 'You are not authorized to perform this operation.' });
    const error = await hangarErrorOf(service().listInstances(REGION));
    expect(error.code).toBe('AWS_UNAUTHORIZED');
    expect(error.message).toBe('Your AWS credentials are not allowed to call ec2:DescribeInstances in eu-west-1.');
    expect(error.details?.action).toBe('ec2:DescribeInstances');
    expect(error.hint).toMatch(/allow ec2:DescribeInstances/);
  });

  it('maps OptInRequired to AWS_OPT_IN_REQUIRED', async () => {
    sim.injectError({ action: 'DescribeInstances', code: 'OptInRequired', message: 'You are not subscribed to this service.' });
    const error = await hangarErrorOf(service().listInstances(REGION));
    expect(error.code).toBe('AWS_OPT_IN_REQUIRED');
    expect(error.hint).toMatch(/Enable the region/);
  });

  it('absorbs two injected RequestLimitExceeded errors with retries', async () => {
    const id = sim.addInstance(REGION);
    sim.injectError({ action: 'DescribeInstances', code: 'RequestLimitExceeded', times: 2 });
    const instances = await service().listInstances(REGION);
    expect(instances.map((i) => i.id)).toEqual([id]);
    expect(sim.requests.map((r) => r.errorCode ?? r.status)).toEqual(['RequestLimitExceeded', 'RequestLimitExceeded', 200]);
  });

  it('surfaces throttling as a retryable AWS_THROTTLED once retries run out', async () => {
    sim.injectError({ action: 'DescribeInstances', code: 'RequestLimitExceeded', times: 10 });
    const error = await hangarErrorOf(service({ maxAttempts: 2 }).listInstances(REGION));
    expect(error.code).toBe('AWS_THROTTLED');
    expect(error.retryable).toBe(true);
    expect(error.hint).toMatch(/Wait a few seconds/);
    expect(sim.requests).toHaveLength(2);
  });

  it('maps a refused connection to a retryable OFFLINE', async () => {
    const port = await closedPort();
    const svc = createEc2Service({
      clients: factory({ endpoint: `http://127.0.0.1:${port}`, maxAttempts: 1 }),
    });
    const error = await hangarErrorOf(svc.listInstances(REGION));
    expect(error.code).toBe('OFFLINE');
    expect(error.retryable).toBe(true);
    expect(error.details?.networkError).toBe('ECONNREFUSED');
    expect(error.hint).toMatch(/internet connection/);
  });

  it('maps a request timeout to a retryable OFFLINE', async () => {
    sim.latencyMs = 2_000;
    const started = Date.now();
    const error = await hangarErrorOf(service({ requestTimeoutMs: 300, maxAttempts: 1 }).listRegions());
    expect(error.code).toBe('OFFLINE');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe('AWS did not answer in time in us-east-1.');
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('maps a missing credential source to AWS_NO_CREDENTIALS', async () => {
    const noCredentials = async (): Promise<never> => {
      throw Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    };
    const error = await hangarErrorOf(service({ credentials: noCredentials }).listRegions());
    expect(error.code).toBe('AWS_NO_CREDENTIALS');
    expect(error.hint).toMatch(/Settings/);
    expect(sim.requests).toHaveLength(0);
  });

  it('reports a skewed clock as AWS_CLOCK_SKEW when the SDK may not retry, and absorbs it when it may', async () => {
    sim.serverClockOffsetMs = 60 * 60_000;
    const error = await hangarErrorOf(service({ maxAttempts: 1 }).listInstances(REGION));
    expect(error.code).toBe('AWS_CLOCK_SKEW');
    expect(error.message).toMatch(/off by about 60 minutes/);
    expect(error.hint).toMatch(/automatic date and time/);
    // With retries the SDK learns the offset from the Date header and re-signs.
    await expect(service().listInstances(REGION)).resolves.toEqual([]);
  });
});

describe('STS through the factory', () => {
  it('returns the caller identity', async () => {
    const out = await factory().sts('us-east-1').send(new GetCallerIdentityCommand({}));
    expect([out.Account, out.Arn]).toEqual(['123456789012', 'arn:aws:iam::123456789012:user/hangar-test']);
  });

  it('maps InvalidClientTokenId to AWS_INVALID_KEY_ID', async () => {
    const client = factory({ credentials: { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x' }, maxAttempts: 1 }).sts('us-east-1');
    const error = await hangarErrorOf(
      client.send(new GetCallerIdentityCommand({})).catch((e: unknown) => {
        throw mapAwsError(e, { action: 'sts:GetCallerIdentity', region: 'us-east-1' });
      }),
    );
    expect(error.code).toBe('AWS_INVALID_KEY_ID');
    expect(error.details).toMatchObject({ awsCode: 'InvalidClientTokenId', httpStatus: 403 });
  });
});

describe('cancellation', () => {
  it('aborts an in-flight listInstances with CANCELLED', async () => {
    sim.latencyMs = 2_000;
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    const error = await hangarErrorOf(service().listInstances(REGION, controller.signal));
    expect(error.code).toBe('CANCELLED');
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(sim.requests).toHaveLength(1);
  });

  it('does not call AWS at all when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await hangarErrorOf(service().listRegions(controller.signal));
    expect(error.code).toBe('CANCELLED');
    expect(sim.requests).toHaveLength(0);
  });

  it('recognises a raw AbortError as CANCELLED', () => {
    const error = mapAwsError(Object.assign(new Error('Request aborted'), { name: 'AbortError' }));
    expect(error.code).toBe('CANCELLED');
  });
});

/** A port nothing listens on: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}
