import { StartInstancesCommand, StopInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAwsClientFactory, type AwsClientFactory, type AwsClientFactoryOptions } from '../../src/main/services/aws/aws-client-factory';
import { createAwsClientPool, type AwsClientPool } from '../../src/main/services/aws/aws-client-pool';
import {
  ALWAYS_ENABLED_REGIONS,
  createEc2Service,
  DEFAULT_SCAN_CONCURRENCY,
  TERMINATION_PROTECTION_HINT,
  type Ec2Service,
} from '../../src/main/services/ec2/ec2-service';
import { mapAwsError } from '../../src/main/services/aws/map-aws-error';
import { HangarError } from '../../src/shared/errors/hangar-error';
import type { InstanceSummary } from '../../src/shared/models/ec2';
import type { InstanceAction, RegionScanResult } from '../../src/shared/models/instance-actions';
import { knownInstanceTypes, PRICED_REGIONS, PRICES_AS_OF, priceFor, typeFacts } from '../../src/shared/models/instance-prices';
import { caught } from '../support/caught';
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_SECRET_ACCESS_KEY,
  startEc2Simulator,
  type Ec2Simulator,
} from '../support/ec2-simulator/index';
import { isolateAwsEnv, setEnv } from '../support/isolated-aws-env';

const GOOD = { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY };
const REGION = 'eu-west-1';
const ACCOUNT = 'acct-main';

let restoreEnv: () => void = () => undefined;

beforeAll(() => {
  restoreEnv = isolateAwsEnv();
});
afterAll(() => restoreEnv());

let sim: Ec2Simulator;
const factories: AwsClientFactory[] = [];
const pools: AwsClientPool[] = [];

function factory(opts: AwsClientFactoryOptions = {}): AwsClientFactory {
  const f = createAwsClientFactory({ credentials: GOOD, endpoint: sim.url, ...opts });
  factories.push(f);
  return f;
}

/** Keys per account, as AccountsService.credentialsFor would hand them out (provider functions). */
function pool(keys: Record<string, { accessKeyId: string; secretAccessKey: string }> = { [ACCOUNT]: GOOD }): AwsClientPool {
  const p = createAwsClientPool({
    credentialsFor: (accountId): AwsCredentialIdentityProvider => {
      const k = keys[accountId];
      if (!k) throw new HangarError({ code: 'ACCOUNT_NOT_FOUND', message: `No account ${accountId}.` });
      return async () => ({ accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey });
    },
    endpoint: sim.url,
  });
  pools.push(p);
  return p;
}

/** The account-scoped service as the app builds it, through the per-account client pool. */
function service(keys?: Record<string, { accessKeyId: string; secretAccessKey: string }>): Ec2Service {
  return createEc2Service({ clientsFor: pool(keys).clientsFor });
}

/** A service on one hand-tuned factory (retries, timeouts, endpoint) for the error-mapping tests. */
function tunedService(opts: AwsClientFactoryOptions = {}): Ec2Service {
  const f = factory(opts);
  return createEc2Service({ clientsFor: () => f });
}

async function waitForState(svc: Ec2Service, id: string, state: string, region = REGION): Promise<InstanceSummary> {
  const deadline = Date.now() + 3_000;
  for (;;) {
    const found = (await svc.listInstances(ACCOUNT, region)).find((i) => i.id === id);
    if (found?.state === state) return found;
    if (Date.now() > deadline) throw new Error(`${id} is ${found?.state}, wanted ${state}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function act(svc: Ec2Service, action: InstanceAction, instanceIds: string[], signal?: AbortSignal) {
  return svc.act({ accountId: ACCOUNT, region: REGION, action, instanceIds }, signal);
}

const ENABLED_REGIONS = [...ALWAYS_ENABLED_REGIONS].sort();

beforeEach(async () => {
  sim = await startEc2Simulator({ timings: { pendingMs: 200, stoppingMs: 200, shuttingDownMs: 200 } });
});

afterEach(async () => {
  for (const f of factories.splice(0)) f.destroy();
  for (const p of pools.splice(0)) p.destroy();
  setEnv({ AWS_ENDPOINT_URL_EC2: undefined, AWS_ENDPOINT_URL_STS: undefined });
  await sim.close();
});

describe('endpoint resolution', () => {
  it('routes EC2 calls through AWS_ENDPOINT_URL_EC2 alone (no endpoint option)', async () => {
    const id = sim.addInstance(REGION, { name: 'via-env' });
    setEnv({ AWS_ENDPOINT_URL_EC2: sim.url });
    const f = createAwsClientFactory({ credentials: GOOD, maxAttempts: 1 });
    factories.push(f);
    const instances = await createEc2Service({ clientsFor: () => f }).listInstances(ACCOUNT, REGION);
    expect(instances.map((i) => [i.id, i.name])).toEqual([[id, 'via-env']]);
    expect(sim.requests.map((r) => [r.service, r.action, r.region])).toEqual([['ec2', 'DescribeInstances', REGION]]);
  });

  it('routes STS calls through AWS_ENDPOINT_URL_STS', async () => {
    setEnv({ AWS_ENDPOINT_URL_STS: sim.url });
    const f = createAwsClientFactory({ credentials: GOOD, maxAttempts: 1 });
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
    const regions = await service().listRegions(ACCOUNT);
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
    const [instance] = await service().listInstances(ACCOUNT, REGION);
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
    const [instance] = await service().listInstances(ACCOUNT, REGION);
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
    const instances = await service().listInstances(ACCOUNT, REGION);
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
    expect((await svc.listInstances(ACCOUNT, REGION)).find((i) => i.id === id)?.state).toBe('stopping');
    expect((await waitForState(svc, id, 'stopped')).publicIp).toBeUndefined();
    await client.send(new StartInstancesCommand({ InstanceIds: [id] }));
    expect((await svc.listInstances(ACCOUNT, REGION))[0]?.state).toBe('pending');
    expect((await waitForState(svc, id, 'running')).publicIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    await client.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    expect((await svc.listInstances(ACCOUNT, REGION))[0]?.state).toBe('shutting-down');
    await waitForState(svc, id, 'terminated');
  });
});

describe('error mapping', () => {
  it('maps IncorrectInstanceState to AWS_INCORRECT_STATE with a hint', async () => {
    const id = sim.addInstance(REGION, { state: 'terminated' });
    const client = factory({ maxAttempts: 1 }).ec2(REGION);
    const error = await caught(
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
    const error = await caught(
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
    const svc = tunedService({ credentials: { accessKeyId: 'AKIAUNKNOWNEXAMPLE00', secretAccessKey: secret } });
    const error = await caught(svc.listInstances(ACCOUNT, REGION));
    expect(error.code).toBe('AWS_INVALID_KEY_ID');
    expect(error.hint).toMatch(/access key ID/);
    expect(error.details).toMatchObject({ awsCode: 'AuthFailure', httpStatus: 401, action: 'ec2:DescribeInstances' });
    expect(JSON.stringify(error.toJSON())).not.toContain(secret);
  });

  it('maps a wrong secret to AWS_BAD_SECRET', async () => {
    const error = await caught(
      tunedService({ credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: 'wrong' } }).listRegions(ACCOUNT),
    );
    expect(error.code).toBe('AWS_BAD_SECRET');
    expect(error.hint).toMatch(/secret access key/);
  });

  it('maps expired temporary credentials to AWS_TOKEN_EXPIRED', async () => {
    await sim.close();
    const temp = { accessKeyId: 'ASIAIOSFODNN7EXAMPLE', secretAccessKey: DEFAULT_SECRET_ACCESS_KEY, sessionToken: 't' };
    sim = await startEc2Simulator({ credentials: [{ ...temp, expired: true }] });
    const error = await caught(tunedService({ credentials: temp, maxAttempts: 1 }).listInstances(ACCOUNT, REGION));
    expect(error.code).toBe('AWS_TOKEN_EXPIRED');
    expect(error.hint).toMatch(/fresh temporary credentials/);
  });

  it('maps UnauthorizedOperation to AWS_UNAUTHORIZED naming the action', async () => {
    sim.injectError({ action: 'DescribeInstances', code: 'UnauthorizedOperation', message: 'You are not authorized to perform this operation.' });
    const error = await caught(service().listInstances(ACCOUNT, REGION));
    expect(error.code).toBe('AWS_UNAUTHORIZED');
    expect(error.message).toBe('Your AWS credentials are not allowed to call ec2:DescribeInstances in eu-west-1.');
    expect(error.details?.action).toBe('ec2:DescribeInstances');
    expect(error.hint).toMatch(/allow ec2:DescribeInstances/);
  });

  it('maps OptInRequired to AWS_OPT_IN_REQUIRED', async () => {
    sim.injectError({ action: 'DescribeInstances', code: 'OptInRequired', message: 'You are not subscribed to this service.' });
    const error = await caught(service().listInstances(ACCOUNT, REGION));
    expect(error.code).toBe('AWS_OPT_IN_REQUIRED');
    expect(error.hint).toMatch(/Enable the region/);
  });

  it('absorbs two injected RequestLimitExceeded errors with retries', async () => {
    const id = sim.addInstance(REGION);
    sim.injectError({ action: 'DescribeInstances', code: 'RequestLimitExceeded', times: 2 });
    const instances = await service().listInstances(ACCOUNT, REGION);
    expect(instances.map((i) => i.id)).toEqual([id]);
    expect(sim.requests.map((r) => r.errorCode ?? r.status)).toEqual(['RequestLimitExceeded', 'RequestLimitExceeded', 200]);
  });

  it('surfaces throttling as a retryable AWS_THROTTLED once retries run out', async () => {
    sim.injectError({ action: 'DescribeInstances', code: 'RequestLimitExceeded', times: 10 });
    const error = await caught(tunedService({ maxAttempts: 2 }).listInstances(ACCOUNT, REGION));
    expect(error.code).toBe('AWS_THROTTLED');
    expect(error.retryable).toBe(true);
    expect(error.hint).toMatch(/Wait a few seconds/);
    expect(sim.requests).toHaveLength(2);
  });

  it('maps a refused connection to a retryable OFFLINE', async () => {
    const port = await closedPort();
    const svc = tunedService({ endpoint: `http://127.0.0.1:${port}`, maxAttempts: 1 });
    const error = await caught(svc.listInstances(ACCOUNT, REGION));
    expect(error.code).toBe('OFFLINE');
    expect(error.retryable).toBe(true);
    expect(error.details?.networkError).toBe('ECONNREFUSED');
    expect(error.hint).toMatch(/internet connection/);
  });

  it('maps a request timeout to a retryable OFFLINE', async () => {
    sim.latencyMs = 2_000;
    const started = Date.now();
    const error = await caught(tunedService({ requestTimeoutMs: 300, maxAttempts: 1 }).listRegions(ACCOUNT));
    expect(error.code).toBe('OFFLINE');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe('AWS did not answer in time in us-east-1.');
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('maps a missing credential source to AWS_NO_CREDENTIALS', async () => {
    const noCredentials = async (): Promise<never> => {
      throw Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    };
    const error = await caught(tunedService({ credentials: noCredentials }).listRegions(ACCOUNT));
    expect(error.code).toBe('AWS_NO_CREDENTIALS');
    expect(error.hint).toMatch(/Settings/);
    expect(sim.requests).toHaveLength(0);
  });

  it('reports a skewed clock as AWS_CLOCK_SKEW when the SDK may not retry, and absorbs it when it may', async () => {
    sim.serverClockOffsetMs = 60 * 60_000;
    const error = await caught(tunedService({ maxAttempts: 1 }).listInstances(ACCOUNT, REGION));
    expect(error.code).toBe('AWS_CLOCK_SKEW');
    expect(error.message).toMatch(/off by about 60 minutes/);
    expect(error.hint).toMatch(/automatic date and time/);
    // With retries the SDK learns the offset from the Date header and re-signs.
    await expect(service().listInstances(ACCOUNT, REGION)).resolves.toEqual([]);
  });
});

describe('client pool', () => {
  it('keeps one factory per account, signs each account with its own keys, and forgets on request', async () => {
    await sim.close();
    const OTHER = { accessKeyId: 'AKIAOTHEREXAMPLE0001', secretAccessKey: 'c2Vjb25kLWFjY291bnQtc2VjcmV0LWtleS0wMDAwMDA' };
    sim = await startEc2Simulator({ credentials: [GOOD, OTHER] });
    const asked: string[] = [];
    const p = createAwsClientPool({
      credentialsFor: (accountId) => {
        asked.push(accountId);
        const k = accountId === 'a' ? GOOD : OTHER;
        return async () => ({ ...k });
      },
      endpoint: sim.url,
    });
    pools.push(p);
    expect(p.clientsFor('a')).toBe(p.clientsFor('a'));
    expect(p.clientsFor('b')).not.toBe(p.clientsFor('a'));
    expect(asked).toEqual(['a', 'b']);

    const svc = createEc2Service({ clientsFor: p.clientsFor });
    await svc.listInstances('a', REGION);
    await svc.listInstances('b', REGION);
    expect(sim.requests.map((r) => r.accessKeyId)).toEqual([GOOD.accessKeyId, OTHER.accessKeyId]);

    const before = p.clientsFor('a');
    p.forget('a');
    expect(p.clientsFor('a')).not.toBe(before);
    expect(asked).toEqual(['a', 'b', 'a']);
  });

  it('fails with ACCOUNT_NOT_FOUND for an unknown account, without calling AWS', async () => {
    const svc = service();
    const error = await caught(svc.listInstances('nobody', REGION));
    expect(error.code).toBe('ACCOUNT_NOT_FOUND');
    expect((await caught(svc.scanAllRegions('nobody', { scanId: 's' }))).code).toBe('ACCOUNT_NOT_FOUND');
    expect((await caught(svc.instanceTypes('nobody', REGION, ['t3.micro']))).code).toBe('ACCOUNT_NOT_FOUND');
    expect((await caught(act(createEc2Service({ clientsFor: pool({}).clientsFor }), 'stop', ['i-0123456789abcdef0']))).code).toBe(
      'ACCOUNT_NOT_FOUND',
    );
    expect(sim.requests).toHaveLength(0);
  });
});

describe('scanAllRegions', () => {
  interface Arrival {
    result: RegionScanResult;
    total: number;
    at: number;
  }

  function collect(): { arrivals: Arrival[]; known: number[]; onRegionsKnown(total: number): void; onRegion(result: RegionScanResult, total: number): void } {
    const arrivals: Arrival[] = [];
    const known: number[] = [];
    return {
      arrivals,
      known,
      onRegionsKnown: (total) => known.push(total),
      onRegion: (result, total) => {
        expect(known).toHaveLength(1);
        arrivals.push({ result, total, at: performance.now() });
      },
    };
  }

  it('streams every enabled region as it answers: a slow region arrives last, after all the others', async () => {
    const seeded = new Map<string, string[]>();
    for (const [k, region] of ENABLED_REGIONS.entries()) {
      seeded.set(region, Array.from({ length: (k % 3) + 1 }, (_, n) => sim.addInstance(region, { name: `${region}-${n}` })));
    }
    sim.latencyMs = 30;
    sim.latencyFor = ({ action, region }) => (action === 'DescribeInstances' && region === 'ap-northeast-1' ? 700 : undefined);
    const sink = collect();
    const started = performance.now();
    const results = await service().scanAllRegions(ACCOUNT, { scanId: 'scan-1', ...sink });

    expect(sink.known).toEqual([17]);
    expect(sink.arrivals).toHaveLength(17);
    expect(sink.arrivals.every((a) => a.total === 17 && a.result.scanId === 'scan-1' && a.result.accountId === ACCOUNT)).toBe(true);
    const last = sink.arrivals[16];
    expect(last?.result.region).toBe('ap-northeast-1');
    expect(last?.result.elapsedMs).toBeGreaterThanOrEqual(690);
    // Every other region was already delivered well before the slow one answered.
    const others = sink.arrivals.slice(0, 16);
    expect(Math.max(...others.map((a) => a.at - started))).toBeLessThan(500);
    expect(new Set(others.map((a) => a.result.region)).size).toBe(16);

    // The resolved value is complete, in region-name order, with each region's own instances.
    expect(results.map((r) => r.region)).toEqual(ENABLED_REGIONS);
    for (const r of results) {
      expect(r.error).toBeUndefined();
      expect(r.instances?.map((i) => i.id)).toEqual(seeded.get(r.region));
      expect(r.instances?.every((i) => i.region === r.region)).toBe(true);
    }
  });

  it('starts the default regions without waiting for DescribeRegions', async () => {
    sim.latencyFor = ({ action }) => (action === 'DescribeRegions' ? 400 : 10);
    await service().scanAllRegions(ACCOUNT, { scanId: 's' });
    const regionsCall = sim.requests.find((r) => r.action === 'DescribeRegions');
    const describes = sim.requests.filter((r) => r.action === 'DescribeInstances');
    expect(describes).toHaveLength(17);
    // All 17 arrived while DescribeRegions was still being answered.
    expect(Math.max(...describes.map((r) => r.time)) - (regionsCall?.time ?? 0)).toBeLessThan(350);
  });

  it('scans opted-in regions too and skips a default region the account does not have', async () => {
    sim.setRegionOptIn('af-south-1', 'opted-in');
    sim.setRegionOptIn('sa-east-1', 'not-opted-in');
    const cape = sim.addInstance('af-south-1', { name: 'cape' });
    const sink = collect();
    const results = await service().scanAllRegions(ACCOUNT, { scanId: 's', ...sink });
    const expected = [...ENABLED_REGIONS.filter((r) => r !== 'sa-east-1'), 'af-south-1'].sort();
    expect(sink.known).toEqual([17]);
    expect(results.map((r) => r.region)).toEqual(expected);
    expect(sink.arrivals.map((a) => a.result.region).sort()).toEqual(expected);
    expect(results.find((r) => r.region === 'af-south-1')?.instances?.map((i) => [i.id, i.name])).toEqual([[cape, 'cape']]);
    expect(results.every((r) => r.error === undefined)).toBe(true);
  });

  it('reports a failing region with its own error while the others succeed', async () => {
    const ok = sim.addInstance('us-west-2', { name: 'survivor' });
    sim.injectError({ action: 'DescribeInstances', region: 'eu-west-2', code: 'UnauthorizedOperation', message: 'You are not authorized to perform this operation.' });
    sim.injectError({ action: 'DescribeInstances', region: 'ap-northeast-3', code: 'OptInRequired', message: 'You are not subscribed to this service.' });
    const sink = collect();
    const results = await service().scanAllRegions(ACCOUNT, { scanId: 's', ...sink });
    expect(results).toHaveLength(17);
    const byRegion = new Map(results.map((r) => [r.region, r]));
    expect(byRegion.get('eu-west-2')?.instances).toBeUndefined();
    expect(byRegion.get('eu-west-2')?.error).toMatchObject({
      name: 'HangarError',
      code: 'AWS_UNAUTHORIZED',
      message: 'Your AWS credentials are not allowed to call ec2:DescribeInstances in eu-west-2.',
      details: { region: 'eu-west-2', awsCode: 'UnauthorizedOperation', httpStatus: 403 },
    });
    expect(byRegion.get('ap-northeast-3')?.error).toMatchObject({ code: 'AWS_OPT_IN_REQUIRED', message: 'This AWS account is not signed up for EC2 in ap-northeast-3.' });
    expect(byRegion.get('us-west-2')?.instances?.map((i) => i.id)).toEqual([ok]);
    expect(results.filter((r) => r.error !== undefined).map((r) => r.region).sort()).toEqual(['ap-northeast-3', 'eu-west-2']);
    // The errors were streamed too, as plain data.
    expect(sink.arrivals.filter((a) => a.result.error).map((a) => a.result.region).sort()).toEqual(['ap-northeast-3', 'eu-west-2']);
    expect(JSON.parse(JSON.stringify(byRegion.get('eu-west-2')))).toEqual(byRegion.get('eu-west-2'));
  });

  it('never has more regions in flight than the bound', async () => {
    sim.latencyMs = 60;
    const results = await service().scanAllRegions(ACCOUNT, { scanId: 's', concurrency: 3 });
    expect(results).toHaveLength(17);
    expect(sim.peakInFlight('DescribeInstances')).toBe(3);
    expect(sim.requests.filter((r) => r.action === 'DescribeInstances')).toHaveLength(17);

    sim.clearRequests();
    await service().scanAllRegions(ACCOUNT, { scanId: 's' });
    expect(DEFAULT_SCAN_CONCURRENCY).toBeGreaterThanOrEqual(17);
    expect(sim.peakInFlight('DescribeInstances')).toBe(17);
  });

  it('fails as a whole when DescribeRegions fails, delivering nothing', async () => {
    sim.injectError({ action: 'DescribeRegions', code: 'UnauthorizedOperation' });
    sim.latencyFor = ({ action }) => (action === 'DescribeRegions' ? 10 : 300);
    const sink = collect();
    const error = await caught(service().scanAllRegions(ACCOUNT, { scanId: 's', ...sink }));
    expect(error.code).toBe('AWS_UNAUTHORIZED');
    expect(error.message).toBe('Your AWS credentials are not allowed to call ec2:DescribeRegions in us-east-1.');
    expect(sink.known).toEqual([]);
    expect(sink.arrivals).toEqual([]);
  });

  it('stops outstanding work when cancelled and starts nothing more', async () => {
    sim.latencyMs = 400;
    const controller = new AbortController();
    const sink = collect();
    const started = performance.now();
    setTimeout(() => controller.abort(), 100);
    const error = await caught(service().scanAllRegions(ACCOUNT, { scanId: 's', signal: controller.signal, concurrency: 4, ...sink }));
    expect(error.code).toBe('CANCELLED');
    expect(performance.now() - started).toBeLessThan(350);
    await new Promise((r) => setTimeout(r, 600));
    expect(sim.requests.filter((r) => r.action === 'DescribeInstances')).toHaveLength(4);
    expect(sink.arrivals).toEqual([]);
  });

  it('stops and rejects with the listener\'s error when onRegion throws', async () => {
    sim.latencyMs = 20;
    let calls = 0;
    const boom = new Error('listener bug');
    const outcome = service()
      .scanAllRegions(ACCOUNT, {
        scanId: 's',
        concurrency: 2,
        onRegion: () => {
          calls++;
          throw boom;
        },
      })
      .then(
        () => 'resolved',
        (error: unknown) => error,
      );
    expect(await outcome).toBe(boom);
    expect(calls).toBe(1);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await caught(service().scanAllRegions(ACCOUNT, { scanId: 's', signal: controller.signal }))).code).toBe('CANCELLED');
    expect(sim.requests).toHaveLength(0);
  });
});

describe('act', () => {
  it('stops an instance and the list follows it from stopping to stopped', async () => {
    const id = sim.addInstance(REGION, { name: 'trainer' });
    const svc = service();
    expect(await act(svc, 'stop', [id])).toEqual([{ instanceId: id, previousState: 'running', currentState: 'stopping' }]);
    expect((await svc.listInstances(ACCOUNT, REGION))[0]?.state).toBe('stopping');
    const stopped = await waitForState(svc, id, 'stopped');
    expect(stopped.stateReason).toBe('Client.UserInitiatedShutdown: User initiated shutdown');
    expect(stopped.publicIp).toBeUndefined();
  });

  it('starts several stopped instances: pending, then running with a public IP', async () => {
    const a = sim.addInstance(REGION, { state: 'stopped' });
    const b = sim.addInstance(REGION, { state: 'stopped' });
    const svc = service();
    expect(await act(svc, 'start', [a, b, a])).toEqual([
      { instanceId: a, previousState: 'stopped', currentState: 'pending' },
      { instanceId: b, previousState: 'stopped', currentState: 'pending' },
    ]);
    expect((await waitForState(svc, a, 'running')).publicIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    await waitForState(svc, b, 'running');
  });

  it('reboots and reports the current state from a fresh DescribeInstances', async () => {
    const id = sim.addInstance(REGION);
    expect(await act(service(), 'reboot', [id])).toEqual([{ instanceId: id, previousState: 'running', currentState: 'running' }]);
    expect(sim.requests.map((r) => r.action)).toEqual(['RebootInstances', 'DescribeInstances']);
  });

  it('hibernates an instance configured for hibernation', async () => {
    const id = sim.addInstance(REGION, { hibernationConfigured: true });
    const svc = service();
    expect(await act(svc, 'hibernate', [id])).toEqual([{ instanceId: id, previousState: 'running', currentState: 'stopping' }]);
    const stopped = await waitForState(svc, id, 'stopped');
    expect(stopped.stateReason).toBe('Client.UserInitiatedHibernate: User initiated hibernate');
  });

  it('explains why an instance launched without hibernation cannot hibernate, and leaves it running', async () => {
    const id = sim.addInstance(REGION);
    const error = await caught(act(service(), 'hibernate', [id]));
    expect(error.code).toBe('AWS_OPERATION_NOT_PERMITTED');
    expect(error.message).toBe(`${id} cannot hibernate: hibernation was not turned on when it was launched.`);
    expect(error.hint).toMatch(/^Hibernation can only be turned on when an instance is launched\. Use Stop instead/);
    expect(error.details).toMatchObject({ awsCode: 'UnsupportedHibernationConfiguration', instanceIds: id, action: 'ec2:StopInstances' });
    expect(sim.instance(id)?.state).toBe('running');
  });

  it('refuses to terminate a protected instance, names it, and never lifts the protection', async () => {
    const guarded = sim.addInstance(REGION, { name: 'db', disableApiTermination: true });
    const plain = sim.addInstance(REGION, { name: 'scratch' });
    const svc = service();
    const error = await caught(act(svc, 'terminate', [plain, guarded]));
    expect(error.code).toBe('AWS_OPERATION_NOT_PERMITTED');
    expect(error.message).toBe(`${guarded} has termination protection turned on, so it was not terminated.`);
    expect(error.hint).toBe(TERMINATION_PROTECTION_HINT);
    expect(error.hint).toBe(
      "Turn off termination protection in the instance's settings (Actions → Instance settings → Change termination protection), then try again.",
    );
    expect(error.details).toMatchObject({ instanceIds: guarded, region: REGION });
    // Nothing was terminated, nothing was modified: only the two attribute reads happened.
    expect(sim.requests.map((r) => r.action).sort()).toEqual(['DescribeInstanceAttribute', 'DescribeInstanceAttribute']);
    await new Promise((r) => setTimeout(r, sim.timings.shuttingDownMs + 50));
    expect((await svc.listInstances(ACCOUNT, REGION)).map((i) => [i.id, i.state])).toEqual([
      [guarded, 'running'],
      [plain, 'running'],
    ]);
    expect(sim.instance(guarded)?.disableApiTermination).toBe(true);
    expect(await svc.terminationProtection(ACCOUNT, REGION, [plain, guarded])).toEqual([
      { instanceId: plain, protected: false },
      { instanceId: guarded, protected: true },
    ]);
  });

  it('names every protected instance when several are selected', async () => {
    const a = sim.addInstance(REGION, { disableApiTermination: true });
    const b = sim.addInstance(REGION, { disableApiTermination: true });
    const error = await caught(act(service(), 'terminate', [a, b]));
    expect(error.message).toBe(`2 instances have termination protection turned on (${a}, ${b}), so none of the selected instances was terminated.`);
  });

  it('terminates an unprotected instance: shutting-down, then terminated', async () => {
    const id = sim.addInstance(REGION);
    const svc = service();
    expect(await act(svc, 'terminate', [id])).toEqual([{ instanceId: id, previousState: 'running', currentState: 'shutting-down' }]);
    // Protection first, then whether a persistent spot request would relaunch it (none here), then the terminate.
    expect(sim.requests.map((r) => r.action)).toEqual(['DescribeInstanceAttribute', 'DescribeSpotInstanceRequests', 'TerminateInstances']);
    await waitForState(svc, id, 'terminated');
  });

  it('turns IncorrectInstanceState into a sentence about the instance', async () => {
    Object.assign(sim.timings, { stoppingMs: 5_000 });
    const stopping = sim.addInstance(REGION);
    sim.setInstanceState(stopping, 'stopping');
    const running = sim.addInstance(REGION);
    const svc = service();

    const start = await caught(act(svc, 'start', [running, stopping]));
    expect(start.code).toBe('AWS_INCORRECT_STATE');
    expect(start.message).toBe(`${stopping} is stopping; it can be started once it has stopped.`);
    expect(start.hint).toMatch(/^Wait a moment/);
    expect(start.details).toMatchObject({ instanceId: stopping, state: 'stopping', awsCode: 'IncorrectInstanceState', action: 'ec2:StartInstances' });
    expect(sim.instance(running)?.state).toBe('running');

    const stopped = sim.addInstance(REGION, { state: 'stopped' });
    const reboot = await caught(act(svc, 'reboot', [stopped]));
    expect(reboot.message).toBe(`${stopped} is stopped; only a running instance can be rebooted.`);
    expect(reboot.hint).toBe('Start it instead.');

    const gone = sim.addInstance(REGION, { state: 'terminated' });
    expect((await caught(act(svc, 'start', [gone]))).message).toBe(`${gone} is terminated, so it cannot be started.`);
  });

  it('absorbs RequestLimitExceeded with the SDK retries', async () => {
    const id = sim.addInstance(REGION);
    sim.injectError({ action: 'StopInstances', code: 'RequestLimitExceeded', times: 2 });
    expect(await act(service(), 'stop', [id])).toEqual([{ instanceId: id, previousState: 'running', currentState: 'stopping' }]);
    expect(sim.requests.map((r) => r.errorCode ?? r.status)).toEqual(['RequestLimitExceeded', 'RequestLimitExceeded', 200]);
  });

  it('is cancellable', async () => {
    const id = sim.addInstance(REGION);
    sim.latencyMs = 1_000;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    expect((await caught(act(service(), 'stop', [id], controller.signal))).code).toBe('CANCELLED');
    expect(Date.now() - started).toBeLessThan(800);
  });

  it('tells onStateChanges listeners what a successful action changed, before act resolves', async () => {
    const id = sim.addInstance(REGION);
    const svc = service();
    const heard: string[] = [];
    const stop = svc.onStateChanges((changes) => heard.push(...changes.map((c) => `${c.instanceId}:${c.currentState}`)));
    const changes = await act(svc, 'stop', [id]);
    expect(heard).toEqual([`${id}:stopping`]);
    expect(changes).toEqual([{ instanceId: id, previousState: 'running', currentState: 'stopping' }]);

    stop();
    await waitForState(svc, id, 'stopped');
    await act(svc, 'start', [id]);
    expect(heard).toEqual([`${id}:stopping`]);
  });

  it('tells onStateChanges listeners nothing when AWS refuses the action', async () => {
    const guarded = sim.addInstance(REGION, { disableApiTermination: true });
    const running = sim.addInstance(REGION);
    const svc = service();
    let calls = 0;
    svc.onStateChanges(() => {
      calls += 1;
    });
    await caught(act(svc, 'terminate', [guarded]));
    await caught(act(svc, 'reboot', [running], AbortSignal.abort()));
    expect(calls).toBe(0);
  });
});

describe('instanceTypes', () => {
  it('joins DescribeInstanceTypes with the bundled prices, and caches per region and type', async () => {
    const svc = service();
    const info = await svc.instanceTypes(ACCOUNT, REGION, ['g5.2xlarge', 'm6a.large', 't3.micro', 'g5.2xlarge']);
    expect(info).toEqual([
      // 1.212 $/h in us-east-1 × Ireland's 1.115
      { type: 'g5.2xlarge', vcpus: 8, memoryMiB: 32768, gpus: 1, pricePerHour: 1.3514 },
      // Known to EC2 (so it has facts) but not to the price table.
      { type: 'm6a.large', vcpus: 2, memoryMiB: 8192 },
      { type: 't3.micro', vcpus: 2, memoryMiB: 1024, pricePerHour: 0.0116 },
    ]);
    expect(sim.requests.map((r) => [r.action, r.region])).toEqual([['DescribeInstanceTypes', REGION]]);
    await svc.instanceTypes(ACCOUNT, REGION, ['t3.micro', 'm6a.large']);
    expect(sim.requests).toHaveLength(1);
    const tokyo = await svc.instanceTypes(ACCOUNT, 'ap-northeast-1', ['t3.micro']);
    expect(tokyo).toEqual([{ type: 't3.micro', vcpus: 2, memoryMiB: 1024, pricePerHour: 0.0134 }]);
    expect(sim.requests).toHaveLength(2);
  });

  it('drops a type EC2 does not know and still describes the rest', async () => {
    const svc = service();
    const info = await svc.instanceTypes(ACCOUNT, REGION, ['zz9.mega', 'g4dn.xlarge', 'not a type']);
    expect(info).toEqual([
      { type: 'zz9.mega' },
      { type: 'g4dn.xlarge', vcpus: 4, memoryMiB: 16384, gpus: 1, pricePerHour: 0.5865 },
      { type: 'not a type' },
    ]);
    expect(sim.requests.map((r) => r.errorCode ?? r.status)).toEqual(['InvalidInstanceType', 200]);
    await svc.instanceTypes(ACCOUNT, REGION, ['zz9.mega']);
    expect(sim.requests).toHaveLength(2);
  });

  it('has a dated price for every bundled type in every default region, and none for unknown ones', () => {
    expect(PRICES_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(PRICED_REGIONS).toEqual(expect.arrayContaining([...ALWAYS_ENABLED_REGIONS, 'af-south-1', 'me-south-1', 'ap-east-1']));
    const types = knownInstanceTypes();
    for (const family of ['t2', 't3', 't3a', 't4g', 'm5', 'm6i', 'm7i', 'm7g', 'c5', 'c6i', 'c7i', 'c7g', 'r5', 'r6i', 'g4dn', 'g5', 'g6', 'p3', 'p4d', 'p5', 'inf2']) {
      expect(types.some((t) => t.startsWith(`${family}.`))).toBe(true);
    }
    for (const region of PRICED_REGIONS) {
      for (const type of types) {
        const price = priceFor(region, type);
        expect(price, `${type} in ${region}`).toBeGreaterThan(0);
        // No region is cheaper than us-east-1, none more than about 1.6 times.
        expect(price ?? 0).toBeGreaterThanOrEqual((priceFor('us-east-1', type) ?? 0) * 0.99);
        expect(price ?? 0).toBeLessThanOrEqual((priceFor('us-east-1', type) ?? 0) * 1.7);
      }
    }
    expect(priceFor('us-east-1', 't3.micro')).toBe(0.0104);
    expect(priceFor('us-east-1', 'm5.24xlarge')).toBe(4.608);
    expect(priceFor('eu-central-1', 'm5.large')).toBe(0.115);
    expect(typeFacts('c5.9xlarge')).toEqual({ vcpus: 36, memoryMiB: 73728 });
    expect(typeFacts('t2.micro')).toEqual({ vcpus: 1, memoryMiB: 1024 });
    expect(priceFor('us-east-1', 'x9.galactic')).toBeUndefined();
    expect(priceFor('cn-north-1', 't3.micro')).toBeUndefined();
  });

  it('falls back to the bundled facts when DescribeInstanceTypes is not allowed, and asks again later', async () => {
    sim.injectError({ action: 'DescribeInstanceTypes', code: 'UnauthorizedOperation' });
    const svc = service();
    expect(await svc.instanceTypes(ACCOUNT, 'us-east-1', ['p4d.24xlarge', 'm6a.large'])).toEqual([
      { type: 'p4d.24xlarge', vcpus: 96, memoryMiB: 1179648, gpus: 8, pricePerHour: 21.96 },
      { type: 'm6a.large' },
    ]);
    expect(await svc.instanceTypes(ACCOUNT, 'us-east-1', ['m6a.large'])).toEqual([{ type: 'm6a.large', vcpus: 2, memoryMiB: 8192 }]);
    expect(sim.requests.map((r) => r.errorCode ?? r.status)).toEqual(['UnauthorizedOperation', 200]);
  });
});

describe('STS through the factory', () => {
  it('returns the caller identity', async () => {
    const out = await factory().sts('us-east-1').send(new GetCallerIdentityCommand({}));
    expect([out.Account, out.Arn]).toEqual(['123456789012', 'arn:aws:iam::123456789012:user/hangar-test']);
  });

  it('maps InvalidClientTokenId to AWS_INVALID_KEY_ID', async () => {
    const client = factory({ credentials: { accessKeyId: 'AKIAUNKNOWNEXAMPLE00', secretAccessKey: 'x' }, maxAttempts: 1 }).sts('us-east-1');
    const error = await caught(
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
    const error = await caught(service().listInstances(ACCOUNT, REGION, controller.signal));
    expect(error.code).toBe('CANCELLED');
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(sim.requests).toHaveLength(1);
  });

  it('does not call AWS at all when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await caught(service().listRegions(ACCOUNT, controller.signal));
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
