import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAwsClientPool, type AwsClientPool } from '../../src/main/services/aws/aws-client-pool';
import { createCostsService, type CostsService } from '../../src/main/services/costs/costs-service';
import { BUDGET_NAME } from '../../src/main/services/costs/monthly-budget';
import { createPriceCache, PRICE_CACHE_FILE_NAME } from '../../src/main/services/costs/price-cache';
import { createPriceSource, PRICE_MAX_AGE_MS, type PriceSource } from '../../src/main/services/costs/price-source';
import { createEc2Service } from '../../src/main/services/ec2/ec2-service';
import { createLogger } from '../../src/main/services/logging/logger';
import { HangarError } from '../../src/shared/errors/hangar-error';
import type { AccountSummary } from '../../src/shared/models/accounts';
import { HOURS_PER_MONTH, ledgerTotals, type CleanupItem, type LedgerRegionResult, type LedgerRow } from '../../src/shared/models/costs';
import { PRICES_AS_OF, priceFor } from '../../src/shared/models/instance-prices';
import { caught } from '../support/caught';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';
import { spotPrice } from '../support/ec2-simulator/launch-offerings';
import { isolateAwsEnv } from '../support/isolated-aws-env';

const ACCOUNT = 'acct-costs';
const KEYS = { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY };
const HOUR = 3_600_000;
const logger = createLogger({ sink: () => undefined });

let sim: Ec2Simulator;
let pool: AwsClientPool;
let dir: string;
let restoreEnv: () => void = () => undefined;
let now = Date.now();
/** Every service of the test, so their background cache writes are done before the folder goes. */
const rigs: Rig[] = [];

function account(overrides: Partial<AccountSummary> = {}): AccountSummary {
  return {
    id: ACCOUNT,
    label: 'Lab account',
    source: { kind: 'keys', accessKeyIdHint: 'AKIA…MPLE', hasSessionToken: false },
    awsAccountId: sim.accountId,
    defaultRegion: 'us-east-1',
    active: true,
    addedAt: new Date(0).toISOString(),
    ...overrides,
  };
}

interface Rig {
  svc: CostsService;
  prices: PriceSource;
}

function rig(accounts: AccountSummary[] = [account()], keys: Record<string, typeof KEYS> = { [ACCOUNT]: KEYS }): Rig {
  const p = createAwsClientPool({
    credentialsFor: (id): AwsCredentialIdentityProvider => {
      const k = keys[id];
      if (!k) throw new HangarError({ code: 'ACCOUNT_NOT_FOUND', message: `No account ${id}.` });
      return async () => ({ ...k });
    },
    endpoint: sim.url,
  });
  pool = p;
  const prices = createPriceSource({ clientsFor: p.clientsFor, cache: createPriceCache({ dir, logger }), logger, now: () => now });
  const ec2 = createEc2Service({ clientsFor: p.clientsFor });
  const svc = createCostsService({ clientsFor: p.clientsFor, prices, accounts: { list: async () => accounts }, act: ec2.act, stateDir: dir, logger, now: () => now });
  const made = { svc, prices };
  rigs.push(made);
  return made;
}

async function ledger(svc: CostsService, regions?: string[], accountIds = [ACCOUNT]): Promise<{ results: LedgerRegionResult[]; streamed: LedgerRegionResult[]; rows: LedgerRow[] }> {
  const streamed: LedgerRegionResult[] = [];
  const results = await svc.ledger(accountIds, { scanId: 'scan-1', ...(regions ? { regions } : {}), onRegion: (r) => streamed.push(r) });
  return { results, streamed, rows: results.flatMap((r) => r.rows ?? []) };
}

const rowOf = (rows: readonly LedgerRow[], id: string): LedgerRow => {
  const found = rows.find((r) => r.id === id);
  if (!found) throw new Error(`no ledger row for ${id}`);
  return found;
};

const pricingCalls = (): number => sim.requests.filter((r) => r.action === 'GetProducts').length;

beforeAll(async () => {
  restoreEnv = isolateAwsEnv();
  sim = await startEc2Simulator({ timings: { pendingMs: 30, stoppingMs: 30, shuttingDownMs: 30 } });
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hangar-costs-'));
  now = Date.now();
  sim.clearRequests();
});

afterEach(async () => {
  sim.allowActions();
  sim.clearInjectedErrors();
  pool?.destroy();
  for (const r of rigs.splice(0)) await r.svc.flush();
  await rm(dir, { recursive: true, force: true });
});

afterAll(async () => {
  await sim.close();
  restoreEnv();
});

describe('ledger', () => {
  it('lists what bills in two regions with costs a hand computation gives, says skipped regions, streams each region', async () => {
    // EC2 reports launch times to the second.
    const launched = new Date(Math.floor((now - 5 * HOUR) / 1000) * 1000);
    const web = sim.seed.instance('us-west-2', { name: 'web', instanceType: 't3.micro', launchTime: launched, rootVolume: { size: 20, type: 'gp3' }, tags: { 'hangar:created-by': 'Hangar' } });
    const parked = sim.seed.instance('us-west-2', { name: 'parked', instanceType: 'm5.large', state: 'stopped', publicIp: null, rootVolume: { size: 50, type: 'gp2' } });
    sim.seed.volume('us-west-2', { attachedTo: parked, size: 100, type: 'st1' });
    const loose = sim.seed.volume('us-west-2', { size: 200, type: 'gp3', iops: 6000, throughput: 250, tags: { Name: 'scratch' }, createTime: new Date(now - 40 * 24 * HOUR) });
    const snap = sim.seed.snapshot('us-west-2', { volumeSize: 30, tags: { Name: 'backup' } });
    const ami = sim.seed.image('ca-central-1', { name: 'packer-build', blockDeviceMappings: [{ deviceName: '/dev/xvda', volumeSize: 8 }, { deviceName: '/dev/sdf', volumeSize: 16 }] });
    const idle = sim.seed.address('ca-central-1');
    const open = sim.seed.spotRequest('ca-central-1', { state: 'open', instanceType: 'g5.xlarge', spotPrice: '0.400000' });

    const { svc } = rig();
    const { results, streamed, rows } = await ledger(svc, ['us-west-2', 'ca-central-1', 'af-south-1']);
    expect(streamed.map((r) => r.region).sort()).toEqual(['af-south-1', 'ca-central-1', 'us-west-2']);
    expect(results.find((r) => r.region === 'af-south-1')?.skipped).toMatch(/Not enabled for this account/);
    expect(results.every((r) => r.error === undefined)).toBe(true);

    const p = sim.prices;
    const w = rowOf(rows, web);
    const webCompute = p.instanceHourly('us-west-2', 't3.micro') ?? 0;
    const webDisk = 20 * (p.volumeGbMonth('us-west-2', 'gp3') ?? 0);
    expect(w).toMatchObject({ kind: 'instance', name: 'web', state: 'running', createdByHangar: true, billing: 'per-hour', runningSince: launched.toISOString() });
    expect(w.hourly).toBeCloseTo(webCompute + webDisk / HOURS_PER_MONTH, 10);
    expect(w.costSinceStart).toBeCloseTo((webCompute * (now - launched.getTime())) / HOUR, 8);
    expect(w.priceSource).toMatchObject({ source: 'price-list' });
    expect(w.actions).toEqual(['stop-instance', 'terminate-instance']);
    const webIp = rows.find((r) => r.kind === 'public-ipv4' && r.related?.instanceId === web);
    expect(webIp?.hourly).toBe(p.publicIpv4Hourly('us-west-2'));

    const parkedMonthly = 50 * (p.volumeGbMonth('us-west-2', 'gp2') ?? 0) + 100 * (p.volumeGbMonth('us-west-2', 'st1') ?? 0);
    expect(rowOf(rows, parked)).toMatchObject({ kind: 'instance', state: 'stopped', billing: 'per-gb-month', actions: ['terminate-instance'] });
    expect(rowOf(rows, parked).monthly).toBeCloseTo(parkedMonthly, 8);
    expect(rowOf(rows, parked).note).toMatch(/Stopped: compute is free, but its 2 volumes \(150 GiB\) still bill/);

    // gp3 above its free 3,000 IOPS and 125 MiB/s bills the extras (us-west-2 is priced as us-east-1).
    const scratch = rowOf(rows, loose);
    expect(scratch).toMatchObject({ kind: 'volume', name: 'scratch', size: '200 GiB gp3', actions: ['delete-volume'] });
    expect(scratch.monthly).toBeCloseTo(200 * (p.volumeGbMonth('us-west-2', 'gp3') ?? 0) + 3000 * 0.005 + 125 * 0.04, 8);
    expect(scratch.rate).toBe('200 GiB × $0.08 per GB-month + 3,000 extra IOPS × $0.005 + 125 extra MiB/s × $0.04');
    expect(rowOf(rows, snap).monthly).toBeCloseTo(30 * p.snapshotGbMonth('us-west-2'), 8);

    // The AMI carries its two snapshots; they are not listed again on their own.
    const image = rowOf(rows, ami);
    expect(image).toMatchObject({ kind: 'image', name: 'packer-build', size: '2 snapshots · 24 GiB', actions: ['deregister-image'] });
    expect(image.related?.snapshotIds).toHaveLength(2);
    expect(image.monthly).toBeCloseTo(24 * p.snapshotGbMonth('ca-central-1'), 8);
    expect(rows.filter((r) => r.kind === 'snapshot' && r.region === 'ca-central-1')).toEqual([]);
    expect(rowOf(rows, idle)).toMatchObject({ kind: 'elastic-ip', state: 'unassociated', hourly: p.publicIpv4Hourly('ca-central-1') });
    expect(rowOf(rows, open)).toMatchObject({ kind: 'spot-request', billing: 'not-billed', hourly: 0 });

    const hand =
      webCompute +
      webDisk / HOURS_PER_MONTH +
      p.publicIpv4Hourly('us-west-2') +
      parkedMonthly / HOURS_PER_MONTH +
      (scratch.monthly ?? 0) / HOURS_PER_MONTH +
      (30 * p.snapshotGbMonth('us-west-2')) / HOURS_PER_MONTH +
      (24 * p.snapshotGbMonth('ca-central-1')) / HOURS_PER_MONTH +
      p.publicIpv4Hourly('ca-central-1');
    const totals = ledgerTotals(rows);
    expect(totals.hourly).toBeCloseTo(hand, 10);
    expect(totals.monthly).toBeCloseTo(hand * HOURS_PER_MONTH, 8);
    expect(totals.unpriced).toBe(0);
  });

  it('prices a spot instance at its zone’s spot price', async () => {
    const spot = sim.seed.instance('eu-north-1', { instanceType: 'c5.large', instanceLifecycle: 'spot', availabilityZone: 'eu-north-1b' });
    const { svc } = rig();
    const { rows } = await ledger(svc, ['eu-north-1']);
    const row = rowOf(rows, spot);
    expect(row.priceSource?.source).toBe('spot');
    expect(row.costSinceStart).toBeGreaterThanOrEqual(0);
    const disk = 8 * (sim.prices.volumeGbMonth('eu-north-1', 'gp3') ?? 0);
    expect(row.hourly).toBeCloseTo(Number(spotPrice('eu-north-1', 'c5.large', 'eu-north-1b').toFixed(6)) + disk / HOURS_PER_MONTH, 8);
  });

  it('reports a failing region on its own and a kind it may not list as a warning; throttling is waited out', async () => {
    sim.seed.volume('eu-west-3', { size: 10 });
    sim.seed.volume('eu-west-2', { size: 10 });
    sim.seed.snapshot('ap-south-1', { volumeSize: 5 });
    sim.injectError({ action: 'DescribeVolumes', region: 'eu-west-3', code: 'InternalError', times: 50 });
    sim.injectError({ action: 'DescribeInstances', region: 'eu-west-2', code: 'RequestLimitExceeded', times: 3 });
    sim.denyActions(['DescribeSnapshots']);
    const { svc } = rig();
    const { results } = await ledger(svc, ['eu-west-3', 'eu-west-2', 'ap-south-1']);
    const byRegion = new Map(results.map((r) => [r.region, r]));
    expect(byRegion.get('eu-west-3')?.error).toMatchObject({ code: 'AWS_REQUEST_FAILED' });
    expect(byRegion.get('eu-west-2')?.rows?.map((r) => r.kind)).toEqual(['volume']);
    expect(byRegion.get('ap-south-1')?.warnings?.[0]).toMatchObject({ code: 'AWS_UNAUTHORIZED', details: { action: 'ec2:DescribeSnapshots' } });
    expect(byRegion.get('ap-south-1')?.rows).toEqual([]);
  });

  it('says which account’s credentials expired and how it signs in again', async () => {
    const temp = { accessKeyId: 'ASIAEXPIREDEXAMPLE01', secretAccessKey: 'x'.repeat(40), sessionToken: 'token' };
    await sim.close();
    sim = await startEc2Simulator({ credentials: [KEYS, { ...temp, expired: true }] });
    const { svc } = rig([account({ label: 'Course account', source: { kind: 'keys', accessKeyIdHint: 'ASIA…EX01', hasSessionToken: true } })], { [ACCOUNT]: temp });
    const error = await caught(svc.ledger([ACCOUNT], { scanId: 's', regions: ['us-east-1'] }));
    expect(error.code).toBe('AWS_TOKEN_EXPIRED');
    expect(error.message).toBe('The AWS credentials of account “Course account” have expired.');
    expect(error.hint).toMatch(/temporary keys of account “Course account” have run out/);
    await sim.close();
    sim = await startEc2Simulator({ timings: { pendingMs: 30, stoppingMs: 30, shuttingDownMs: 30 } });
  });
});

describe('prices', () => {
  it('asks the Price List once, keeps the answer on disk with its date, and asks again after 7 days or when told', async () => {
    const { prices } = rig();
    const first = await prices.onDemand(ACCOUNT, 'us-east-1', ['t3.micro', 'g5.xlarge']);
    expect(first.get('t3.micro')).toEqual({ usd: sim.prices.instanceHourly('us-east-1', 't3.micro'), provenance: { source: 'price-list', fetchedAt: new Date(now).toISOString() } });
    expect(pricingCalls()).toBe(1);
    await prices.flush();
    const onDisk = JSON.parse(await readFile(join(dir, PRICE_CACHE_FILE_NAME), 'utf8')) as { instances: Record<string, Record<string, { usd: number }>> };
    expect(onDisk.instances['us-east-1']?.['g5.xlarge']?.usd).toBe(sim.prices.instanceHourly('us-east-1', 'g5.xlarge'));

    // A new start reads the file: no call.
    const again = rig().prices;
    expect((await again.onDemand(ACCOUNT, 'us-east-1', ['t3.micro'])).get('t3.micro')?.provenance.source).toBe('price-list');
    expect(pricingCalls()).toBe(1);
    await again.onDemand(ACCOUNT, 'us-east-1', ['t3.micro'], undefined, { refresh: true });
    expect(pricingCalls()).toBe(2);
    now += PRICE_MAX_AGE_MS + 1;
    sim.setPrices({ region: 'us-east-1', instanceHourly: { 't3.micro': 0.0111 } });
    expect((await again.onDemand(ACCOUNT, 'us-east-1', ['t3.micro'])).get('t3.micro')?.usd).toBe(0.0111);
    expect(pricingCalls()).toBe(3);
    const rates = await again.rates(ACCOUNT, 'eu-west-2');
    expect(rates?.rates).toMatchObject({ volumeGbMonth: { gp3: sim.prices.volumeGbMonth('eu-west-2', 'gp3') }, snapshotGbMonth: sim.prices.snapshotGbMonth('eu-west-2'), publicIpv4Hourly: 0.005, gp3IopsMonth: expect.any(Number) });
  });

  it('falls back to the bundled table, labelled, when the Price List cannot be read', async () => {
    sim.denyActions(['pricing:GetProducts']);
    const { prices } = rig();
    expect((await prices.onDemand(ACCOUNT, 'us-east-1', ['m5.large'])).get('m5.large')).toEqual({ usd: priceFor('us-east-1', 'm5.large'), provenance: { source: 'bundled', asOf: PRICES_AS_OF } });
    expect((await prices.rates(ACCOUNT, 'us-east-1'))?.provenance).toEqual({ source: 'bundled', asOf: PRICES_AS_OF });
  });

  it('feeds the instance table and the launch wizard from the same source', async () => {
    const { prices } = rig();
    const ec2 = createEc2Service({ clientsFor: pool.clientsFor, prices });
    const [info] = await ec2.instanceTypes(ACCOUNT, 'eu-central-1', ['g4dn.xlarge']);
    expect(info).toMatchObject({ pricePerHour: sim.prices.instanceHourly('eu-central-1', 'g4dn.xlarge'), priceSource: { source: 'price-list' } });
  });
});

describe('cleanup', () => {
  const item = (action: CleanupItem['action'], id: string, region = 'eu-west-1', name?: string): CleanupItem => ({ accountId: ACCOUNT, region, action, id, ...(name ? { name } : {}) });

  it('deregisters an AMI and deletes its snapshots in one step; explains what is in use and goes on past it', async () => {
    const region = 'eu-west-1';
    const ami = sim.seed.image(region, { name: 'old-build', blockDeviceMappings: [{ deviceName: '/dev/xvda', volumeSize: 8 }, { deviceName: '/dev/sdf', volumeSize: 20 }] });
    const [s1, s2] = sim.image(region, ami) ? (await ledger(rig().svc, [region])).rows.find((r) => r.id === ami)?.related?.snapshotIds ?? [] : [];
    const other = sim.seed.image(region, { name: 'keeper', volumeSize: 8 });
    const kept = (await ledger(rig().svc, [region])).rows.find((r) => r.id === other)?.related?.snapshotIds?.[0] ?? '';
    const host = sim.seed.instance(region, { name: 'db' });
    const attached = sim.seed.volume(region, { attachedTo: host, size: 5 });
    const loose = sim.seed.volume(region, { size: 5 });
    const eip = sim.seed.address(region, { instanceId: host });
    const { svc } = rig();
    const results = await svc.cleanup([item('deregister-image', ami), item('delete-snapshot', kept), item('delete-volume', attached), item('release-address', eip), item('delete-volume', loose)]);
    expect(results.map((r) => r.status)).toEqual(['done', 'failed', 'failed', 'failed', 'done']);
    expect(results[0]?.note).toBe(`Deleted its snapshots ${s1}, ${s2}.`);
    expect(sim.image(region, ami)).toBeUndefined();
    expect(sim.snapshot(region, s1 ?? '')).toBeUndefined();
    expect(sim.snapshot(region, s2 ?? '')).toBeUndefined();
    expect(results[1]?.error).toMatchObject({ code: 'AWS_RESOURCE_IN_USE', message: `Snapshot ${kept} is used by AMI keeper (${other}), so it was not deleted.` });
    expect(results[1]?.error?.hint).toMatch(/Deregister the AMI first/);
    expect(results[2]?.error).toMatchObject({ message: `Volume ${attached} is attached to db (${host}), so it was not deleted.` });
    expect(results[2]?.error?.hint).toMatch(/^Detach it first/);
    expect(results[3]?.error?.message).toBe(`Elastic IP ${eip} is associated with instance db (${host}), so it was not released.`);
    expect(sim.volume(region, loose)).toBeUndefined();
  });

  it('names a missing permission from the dry run, changes nothing for those items, and completes the rest', async () => {
    const region = 'eu-west-1';
    const a = sim.seed.snapshot(region, { volumeSize: 1 });
    const b = sim.seed.snapshot(region, { volumeSize: 1 });
    const vol = sim.seed.volume(region, { size: 3 });
    sim.denyActions(['DeleteSnapshot']);
    const { svc } = rig();
    const dry = await svc.cleanup([item('delete-snapshot', a), item('delete-volume', vol)], { dryRunOnly: true });
    expect(dry.map((r) => r.status)).toEqual(['failed', 'allowed']);
    expect(sim.volume(region, vol)).toBeDefined();
    const results = await svc.cleanup([item('delete-snapshot', a, region, 'nightly'), item('delete-snapshot', b), item('delete-volume', vol)]);
    expect(results.map((r) => r.status)).toEqual(['failed', 'failed', 'done']);
    expect(results[0]?.error).toMatchObject({ code: 'AWS_UNAUTHORIZED', message: `Your AWS credentials are not allowed to call ec2:DeleteSnapshot in ${region}, so nightly was left as it is.` });
    expect(sim.snapshot(region, a)).toBeDefined();
    expect(sim.volume(region, vol)).toBeUndefined();
    // Only one dry run for the two snapshots, and no real DeleteSnapshot was sent.
    expect(sim.requests.filter((r) => r.action === 'DeleteSnapshot')).toHaveLength(2);
  });

  it('refuses to deregister an AMI whose snapshots it could not delete, before changing anything', async () => {
    const region = 'eu-west-1';
    const ami = sim.seed.image(region, { name: 'half', volumeSize: 8 });
    sim.denyActions(['DeleteSnapshot']);
    const [result] = await rig().svc.cleanup([item('deregister-image', ami)]);
    expect(result?.error?.details?.missingAction).toBe('ec2:DeleteSnapshot');
    expect(sim.image(region, ami)).toBeDefined();
  });

  it('stops and terminates instances through the EC2 service', async () => {
    const region = 'eu-west-1';
    const one = sim.seed.instance(region, {});
    const two = sim.seed.instance(region, { disableApiTermination: true, name: 'guarded' });
    const results = await rig().svc.cleanup([item('stop-instance', one), item('terminate-instance', two)]);
    expect(results[0]?.status).toBe('done');
    expect(results[1]?.error?.message).toMatch(/termination protection/);
    expect(sim.instance(two)?.state).toBe('running');
  });
});

describe('actual spend and budget', () => {
  const today = (): string => new Date().toISOString().slice(0, 10);

  it('reads month-to-date cost by service on request and keeps it with its time; a denial names ce:GetCostAndUsage', async () => {
    sim.setCostAndUsage([
      { date: today(), service: 'Amazon Elastic Compute Cloud - Compute', amount: 12.5 },
      { date: today(), service: 'EC2 - Other', amount: 2.25 },
    ]);
    const { svc } = rig();
    expect(svc.cachedSpend(ACCOUNT)).toBeUndefined();
    const spend = await svc.actualSpend(ACCOUNT);
    expect(spend).toMatchObject({ total: 14.75, currency: 'USD', byService: [{ service: 'Amazon Elastic Compute Cloud - Compute', amount: 12.5 }, { service: 'EC2 - Other', amount: 2.25 }] });
    await svc.flush();
    expect(rig().svc.cachedSpend(ACCOUNT)).toEqual(spend);
    expect(sim.requests.filter((r) => r.action === 'GetCostAndUsage')).toHaveLength(1);
    sim.denyActions(['ce:GetCostAndUsage']);
    const denied = await caught(svc.actualSpend(ACCOUNT));
    expect(denied.message).toContain('ce:GetCostAndUsage');
    expect(denied.hint).toMatch(/IAM policy/);
  });

  it('creates, shows and changes Hangar’s monthly budget with alerts at 50, 80 and 100 %', async () => {
    const { svc } = rig();
    expect(await svc.budget(ACCOUNT)).toBeUndefined();
    const created = await svc.saveBudget({ accountId: ACCOUNT, amount: 40, email: 'me@example.com' });
    expect(created).toMatchObject({ name: BUDGET_NAME, amount: 40, emails: ['me@example.com'], alerts: [{ threshold: 50 }, { threshold: 80 }, { threshold: 100 }] });
    sim.setBudgetSpend(BUDGET_NAME, { actual: 35 });
    const changed = await svc.saveBudget({ accountId: ACCOUNT, amount: 60, email: 'team@example.com' });
    expect(changed).toMatchObject({ amount: 60, actualSpend: 35, emails: ['team@example.com'] });
    expect(changed.alerts.map((a) => a.state)).toEqual(['ALARM', 'OK', 'OK']);
    const bad = await caught(svc.saveBudget({ accountId: ACCOUNT, amount: -5, email: 'me@example.com' }));
    expect(bad.code).toBe('INVALID_ARGUMENT');
    sim.denyActions(['budgets:ViewBudget']);
    const denied = await caught(svc.budget(ACCOUNT));
    expect(denied.message).toBe('Your AWS credentials are not allowed to read budgets (budgets:ViewBudget).');
  });
});
