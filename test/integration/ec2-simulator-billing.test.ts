import {
  BudgetsClient,
  CreateBudgetCommand,
  CreateNotificationCommand,
  CreateSubscriberCommand,
  DeleteBudgetCommand,
  DescribeBudgetCommand,
  DescribeBudgetsCommand,
  DescribeNotificationsForBudgetCommand,
  DescribeSubscribersForNotificationCommand,
  type Notification,
  UpdateBudgetCommand,
} from '@aws-sdk/client-budgets';
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { DescribeServicesCommand, GetAttributeValuesCommand, GetProductsCommand, paginateGetProducts, PricingClient, type Filter } from '@aws-sdk/client-pricing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';
import { isolateAwsEnv } from '../support/isolated-aws-env';

const credentials = { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY };

let sim: Ec2Simulator;
let restoreEnv: () => void;
const clients: { destroy(): void }[] = [];

function track<T extends { destroy(): void }>(client: T): T {
  clients.push(client);
  return client;
}
const pricing = (): PricingClient => track(new PricingClient({ region: 'us-east-1', credentials, endpoint: sim.url, maxAttempts: 1 }));
const budgets = (): BudgetsClient => track(new BudgetsClient({ region: 'us-east-1', credentials, endpoint: sim.url, maxAttempts: 1 }));
const ce = (): CostExplorerClient => track(new CostExplorerClient({ region: 'us-east-1', credentials, endpoint: sim.url, maxAttempts: 1 }));

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

const term = (Field: string, Value: string): Filter => ({ Type: 'TERM_MATCH', Field, Value });

interface PriceDoc {
  product: { productFamily?: string; sku: string; attributes: Record<string, string> };
  serviceCode: string;
  terms: { OnDemand: Record<string, { offerTermCode: string; sku: string; priceDimensions: Record<string, { unit: string; pricePerUnit: { USD: string }; rateCode: string }> }> };
}

/** The single on-demand price of a price-list document, as a ledger reads it. */
function onDemand(doc: PriceDoc): { unit: string; usd: number } {
  const [offer] = Object.values(doc.terms.OnDemand);
  const [dimension] = Object.values(offer?.priceDimensions ?? {});
  return { unit: dimension?.unit ?? '', usd: Number(dimension?.pricePerUnit.USD) };
}

async function products(ServiceCode: string, Filters: Filter[]): Promise<PriceDoc[]> {
  const out = await pricing().send(new GetProductsCommand({ ServiceCode, Filters, FormatVersion: 'aws_v1' }));
  expect(out.FormatVersion).toBe('aws_v1');
  // The SDK wraps each JSON string of the wire in a String object; an object on the wire would read "[object Object]".
  return ((out.PriceList ?? []) as unknown[]).map((item) => {
    expect(item).toBeInstanceOf(String);
    return JSON.parse(String(item)) as PriceDoc;
  });
}

function isoDay(offsetDays: number, from = new Date()): string {
  return new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + offsetDays)).toISOString().slice(0, 10);
}

beforeAll(async () => {
  restoreEnv = isolateAwsEnv({ AWS_ENDPOINT_URL_PRICING: undefined, AWS_ENDPOINT_URL_BUDGETS: undefined, AWS_ENDPOINT_URL_COST_EXPLORER: undefined });
  sim = await startEc2Simulator();
});

afterEach(() => {
  sim.allowActions();
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await sim.close();
  restoreEnv();
});

describe('Pricing GetProducts', () => {
  const LINUX_SHARED = [term('operatingSystem', 'Linux'), term('tenancy', 'Shared'), term('preInstalledSw', 'NA'), term('capacitystatus', 'Used')];

  it('finds exactly one on-demand Linux price per type and region, as real price-list JSON strings', async () => {
    const [doc, ...rest] = await products('AmazonEC2', [term('instanceType', 't3.micro'), term('regionCode', 'us-east-1'), ...LINUX_SHARED]);
    expect(rest).toEqual([]);
    expect(doc?.serviceCode).toBe('AmazonEC2');
    expect(doc?.product.productFamily).toBe('Compute Instance');
    expect(doc?.product.attributes).toMatchObject({ instanceType: 't3.micro', location: 'US East (N. Virginia)', regionCode: 'us-east-1', vcpu: '2', memory: '1 GiB', usagetype: 'BoxUsage:t3.micro', operation: 'RunInstances' });
    const [termKey, offer] = Object.entries(doc?.terms.OnDemand ?? {})[0] ?? [];
    expect(termKey).toBe(`${doc?.product.sku}.JRTCKXETXF`);
    expect(offer?.offerTermCode).toBe('JRTCKXETXF');
    expect(Object.keys(offer?.priceDimensions ?? {})).toEqual([`${termKey}.6YS6EN2CT7`]);
    expect(onDemand(doc as PriceDoc)).toEqual({ unit: 'Hrs', usd: 0.0104 });
    expect(Object.values(offer?.priceDimensions ?? {})[0]?.pricePerUnit.USD).toBe('0.0104000000');

    // The location name finds the same product; other regions cost what the simulator's price view says.
    const byLocation = await products('AmazonEC2', [term('instanceType', 't3.micro'), term('location', 'US East (N. Virginia)'), ...LINUX_SHARED]);
    expect(byLocation.map((d) => d.product.sku)).toEqual([doc?.product.sku]);
    const [ireland] = await products('AmazonEC2', [term('instanceType', 'g4dn.xlarge'), term('regionCode', 'eu-west-1'), ...LINUX_SHARED]);
    expect(ireland?.product.attributes.usagetype).toBe('EU-BoxUsage:g4dn.xlarge');
    expect(onDemand(ireland as PriceDoc).usd).toBe(sim.prices.instanceHourly('eu-west-1', 'g4dn.xlarge'));
  });

  it('needs every narrowing filter: OS, tenancy, pre-installed software and capacity status each split the results', async () => {
    const base = [term('instanceType', 'm5.large'), term('regionCode', 'us-east-1')];
    expect(await products('AmazonEC2', base)).toHaveLength(9);
    expect(await products('AmazonEC2', [...base, term('operatingSystem', 'Linux'), term('tenancy', 'Shared'), term('capacitystatus', 'Used')])).toHaveLength(2);
    expect(await products('AmazonEC2', [...base, term('operatingSystem', 'Linux'), term('tenancy', 'Shared'), term('preInstalledSw', 'NA')])).toHaveLength(2);
    const windows = await products('AmazonEC2', [...base, term('operatingSystem', 'Windows'), term('tenancy', 'Shared'), term('preInstalledSw', 'NA'), term('capacitystatus', 'Used')]);
    expect(onDemand(windows[0] as PriceDoc).usd).toBeGreaterThan(0.096);
  });

  it('prices EBS storage, snapshots and public IPv4 per region, and follows setPrices', async () => {
    const [gp3] = await products('AmazonEC2', [term('productFamily', 'Storage'), term('volumeApiName', 'gp3'), term('regionCode', 'us-east-1')]);
    expect(gp3?.product.attributes).toMatchObject({ volumeApiName: 'gp3', usagetype: 'EBS:VolumeUsage.gp3', volumeType: 'General Purpose' });
    expect(onDemand(gp3 as PriceDoc)).toEqual({ unit: 'GB-Mo', usd: 0.08 });
    const snapshots = await products('AmazonEC2', [term('productFamily', 'Storage Snapshot'), term('regionCode', 'eu-west-2')]);
    expect(snapshots.map((d) => d.product.attributes.usagetype)).toEqual(['EUW2-EBS:SnapshotUsage', 'EUW2-EBS:SnapshotArchiveStorage']);
    expect(onDemand(snapshots[0] as PriceDoc)).toEqual({ unit: 'GB-Mo', usd: 0.05 });
    const eip = await products('AmazonEC2', [term('productFamily', 'IP Address'), term('regionCode', 'us-east-1')]);
    expect(eip.map((d) => d.product.attributes.usagetype)).toEqual(['ElasticIP:IdleAddress', 'ElasticIP:AdditionalAddress']);
    const [ipv4] = await products('AmazonVPC', [term('group', 'VPCPublicIPv4Address'), term('groupDescription', 'Hourly charge for In-use Public IPv4 Addresses'), term('regionCode', 'ap-southeast-2')]);
    expect(ipv4?.product.attributes.usagetype).toBe('APS2-PublicIPv4:InUseAddress');
    expect(onDemand(ipv4 as PriceDoc)).toEqual({ unit: 'Hrs', usd: 0.005 });

    sim.setPrices({ region: 'us-east-1', instanceHourly: { 't3.micro': 0.5 }, volumeGbMonth: { gp3: 0.3 }, snapshotGbMonth: 0.07, publicIpv4Hourly: 0.01 });
    const [pinned] = await products('AmazonEC2', [term('instanceType', 't3.micro'), term('regionCode', 'us-east-1'), ...LINUX_SHARED]);
    expect(onDemand(pinned as PriceDoc).usd).toBe(0.5);
    expect(onDemand((await products('AmazonEC2', [term('productFamily', 'Storage'), term('volumeApiName', 'gp3'), term('regionCode', 'us-east-1')]))[0] as PriceDoc).usd).toBe(0.3);
    expect(onDemand((await products('AmazonEC2', [term('productFamily', 'Storage Snapshot'), term('usagetype', 'EBS:SnapshotUsage'), term('regionCode', 'us-east-1')]))[0] as PriceDoc).usd).toBe(0.07);
    expect(sim.prices.publicIpv4Hourly('us-east-1')).toBe(0.01);
    expect(sim.prices.instanceHourly('us-east-2', 't3.micro')).toBe(0.0104);
  });

  it('pages with NextToken (MaxResults ≤ 100) and refuses a token replayed with other filters', async () => {
    const filters = [term('regionCode', 'us-west-2'), term('productFamily', 'Compute Instance')];
    const skus: string[] = [];
    let pages = 0;
    for await (const page of paginateGetProducts({ client: pricing(), pageSize: 100 }, { ServiceCode: 'AmazonEC2', Filters: filters })) {
      pages++;
      expect(((page.PriceList ?? []) as unknown[]).length).toBeLessThanOrEqual(100);
      for (const item of (page.PriceList ?? []) as unknown[]) skus.push((JSON.parse(String(item)) as PriceDoc).product.sku);
    }
    expect(new Set(skus).size).toBe(skus.length);
    expect(skus.length).toBeGreaterThan(1000);
    expect(pages).toBe(Math.ceil(skus.length / 100));

    const first = await pricing().send(new GetProductsCommand({ ServiceCode: 'AmazonEC2', Filters: filters, MaxResults: 10 }));
    const replay = await rejectionOf(pricing().send(new GetProductsCommand({ ServiceCode: 'AmazonEC2', Filters: [term('regionCode', 'us-east-1')], NextToken: first.NextToken })));
    expect(replay.name).toBe('InvalidNextTokenException');
    expect((await rejectionOf(pricing().send(new GetProductsCommand({ ServiceCode: 'AmazonEC2', MaxResults: 101 })))).name).toBe('ValidationException');
  });

  it('describes services and attribute values; unknown services and IAM denials are errors', async () => {
    const services = await pricing().send(new DescribeServicesCommand({ ServiceCode: 'AmazonEC2' }));
    expect(services.Services?.[0]?.ServiceCode).toBe('AmazonEC2');
    expect(services.Services?.[0]?.AttributeNames).toEqual(expect.arrayContaining(['instanceType', 'location', 'regionCode', 'volumeApiName', 'productFamily']));
    const families = await pricing().send(new GetAttributeValuesCommand({ ServiceCode: 'AmazonEC2', AttributeName: 'productFamily' }));
    expect(families.AttributeValues?.map((v) => v.Value)).toEqual(expect.arrayContaining(['Compute Instance', 'Storage', 'Storage Snapshot', 'IP Address']));
    expect((await rejectionOf(pricing().send(new GetProductsCommand({ ServiceCode: 'AmazonFoo' })))).name).toBe('NotFoundException');
    sim.denyActions(['pricing:GetProducts']);
    const denied = await rejectionOf(pricing().send(new GetProductsCommand({ ServiceCode: 'AmazonEC2' })));
    expect([denied.name, denied.$metadata.httpStatusCode]).toEqual(['AccessDeniedException', 400]);
    expect(denied.message).toContain('pricing:GetProducts');
  });
});

describe('Budgets', () => {
  const alert: Notification = { NotificationType: 'ACTUAL', ComparisonOperator: 'GREATER_THAN', Threshold: 80, ThresholdType: 'PERCENTAGE' };

  it('creates a monthly cost budget with alerts, describes it with month-to-date spend, updates and deletes it', async () => {
    const today = isoDay(0);
    sim.setCostAndUsage([
      { date: today, service: 'Amazon Elastic Compute Cloud - Compute', amount: 30.5 },
      { date: today, service: 'EC2 - Other', amount: 4.25 },
      { date: isoDay(-40), service: 'Amazon Elastic Compute Cloud - Compute', amount: 999 },
    ]);
    const AccountId = sim.accountId;
    await budgets().send(
      new CreateBudgetCommand({
        AccountId,
        Budget: { BudgetName: 'hangar-monthly', BudgetLimit: { Amount: '50', Unit: 'USD' }, TimeUnit: 'MONTHLY', BudgetType: 'COST' },
        NotificationsWithSubscribers: [{ Notification: alert, Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'me@example.com' }] }],
      }),
    );
    const { Budget } = await budgets().send(new DescribeBudgetCommand({ AccountId, BudgetName: 'hangar-monthly' }));
    expect(Budget).toMatchObject({ BudgetName: 'hangar-monthly', BudgetLimit: { Amount: '50', Unit: 'USD' }, TimeUnit: 'MONTHLY', BudgetType: 'COST', CostTypes: { IncludeTax: true, UseBlended: false } });
    expect(Budget?.CalculatedSpend?.ActualSpend).toEqual({ Amount: '34.75', Unit: 'USD' });
    expect(Budget?.TimePeriod?.Start).toBeInstanceOf(Date);
    expect(Budget?.LastUpdatedTime).toBeInstanceOf(Date);

    const duplicate = await rejectionOf(budgets().send(new CreateBudgetCommand({ AccountId, Budget: { BudgetName: 'hangar-monthly', BudgetLimit: { Amount: '1', Unit: 'USD' }, TimeUnit: 'MONTHLY', BudgetType: 'COST' } })));
    expect([duplicate.name, duplicate.message]).toEqual(['DuplicateRecordException', 'Error creating budget: hangar-monthly - the budget already exists.']);

    sim.setBudgetSpend('hangar-monthly', { actual: 45, forecasted: 90 });
    const notifications = await budgets().send(new DescribeNotificationsForBudgetCommand({ AccountId, BudgetName: 'hangar-monthly' }));
    expect(notifications.Notifications).toEqual([{ ...alert, NotificationState: 'ALARM' }]);
    await budgets().send(new CreateNotificationCommand({ AccountId, BudgetName: 'hangar-monthly', Notification: { ...alert, NotificationType: 'FORECASTED', Threshold: 100 }, Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'me@example.com' }] }));
    await budgets().send(new CreateSubscriberCommand({ AccountId, BudgetName: 'hangar-monthly', Notification: alert, Subscriber: { SubscriptionType: 'EMAIL', Address: 'ops@example.com' } }));
    const subscribers = await budgets().send(new DescribeSubscribersForNotificationCommand({ AccountId, BudgetName: 'hangar-monthly', Notification: alert }));
    expect(subscribers.Subscribers?.map((s) => s.Address)).toEqual(['me@example.com', 'ops@example.com']);
    expect((await budgets().send(new DescribeNotificationsForBudgetCommand({ AccountId, BudgetName: 'hangar-monthly' }))).Notifications).toHaveLength(2);

    await budgets().send(new UpdateBudgetCommand({ AccountId, NewBudget: { BudgetName: 'hangar-monthly', BudgetLimit: { Amount: '200', Unit: 'USD' }, TimeUnit: 'MONTHLY', BudgetType: 'COST' } }));
    const updated = await budgets().send(new DescribeBudgetCommand({ AccountId, BudgetName: 'hangar-monthly' }));
    expect(updated.Budget?.BudgetLimit?.Amount).toBe('200');
    expect(updated.Budget?.CalculatedSpend?.ActualSpend?.Amount).toBe('45');

    await budgets().send(new DeleteBudgetCommand({ AccountId, BudgetName: 'hangar-monthly' }));
    const gone = await rejectionOf(budgets().send(new DescribeBudgetCommand({ AccountId, BudgetName: 'hangar-monthly' })));
    expect([gone.name, gone.message]).toEqual(['NotFoundException', "Unable to get budget: hangar-monthly - the budget doesn't exist."]);
    expect((await rejectionOf(budgets().send(new DeleteBudgetCommand({ AccountId, BudgetName: 'hangar-monthly' })))).name).toBe('NotFoundException');
  });

  it('pages DescribeBudgets and refuses denied or foreign-account calls with AccessDeniedException', async () => {
    const AccountId = sim.accountId;
    for (const name of ['a', 'b', 'c']) {
      await budgets().send(new CreateBudgetCommand({ AccountId, Budget: { BudgetName: `paged-${name}`, BudgetLimit: { Amount: '10', Unit: 'USD' }, TimeUnit: 'MONTHLY', BudgetType: 'COST' } }));
    }
    const first = await budgets().send(new DescribeBudgetsCommand({ AccountId, MaxResults: 2 }));
    expect(first.Budgets?.map((b) => b.BudgetName)).toEqual(['paged-a', 'paged-b']);
    const second = await budgets().send(new DescribeBudgetsCommand({ AccountId, MaxResults: 2, NextToken: first.NextToken }));
    expect(second.Budgets?.map((b) => b.BudgetName)).toEqual(['paged-c']);
    expect(second.NextToken).toBeUndefined();

    sim.denyActions(['budgets:ViewBudget']);
    const denied = await rejectionOf(budgets().send(new DescribeBudgetsCommand({ AccountId })));
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toContain('budgets:ViewBudget');
    sim.allowActions();
    sim.denyActions(['budgets:ModifyBudget']);
    expect((await rejectionOf(budgets().send(new DeleteBudgetCommand({ AccountId, BudgetName: 'paged-a' })))).name).toBe('AccessDeniedException');
    sim.allowActions();
    expect((await rejectionOf(budgets().send(new DescribeBudgetsCommand({ AccountId: '210987654321' })))).name).toBe('AccessDeniedException');
    const noLimit = await rejectionOf(budgets().send(new CreateBudgetCommand({ AccountId, Budget: { BudgetName: 'x', TimeUnit: 'MONTHLY', BudgetType: 'COST' } })));
    expect(noLimit.name).toBe('InvalidParameterException');
  });
});

describe('Cost Explorer GetCostAndUsage', () => {
  it('groups monthly UnblendedCost by service, marks the current month estimated, and totals without GroupBy', async () => {
    const now = new Date();
    const thisMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    const month = (d: Date): string => d.toISOString().slice(0, 7);
    sim.setCostAndUsage([
      { month: month(lastMonth), service: 'Amazon Elastic Compute Cloud - Compute', amount: 120.25, region: 'us-east-1' },
      { month: month(lastMonth), service: 'EC2 - Other', amount: 9.5, region: 'us-east-1' },
      { date: thisMonth.toISOString().slice(0, 10), service: 'Amazon Elastic Compute Cloud - Compute', amount: 10, region: 'eu-west-1' },
      { date: thisMonth.toISOString().slice(0, 10), service: 'Amazon Virtual Private Cloud', amount: 1.2, region: 'eu-west-1' },
    ]);
    const TimePeriod = { Start: lastMonth.toISOString().slice(0, 10), End: isoDay(1) };
    const grouped = await ce().send(new GetCostAndUsageCommand({ TimePeriod, Granularity: 'MONTHLY', Metrics: ['UnblendedCost'], GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }] }));
    expect(grouped.GroupDefinitions).toEqual([{ Type: 'DIMENSION', Key: 'SERVICE' }]);
    expect(grouped.ResultsByTime?.map((r) => [r.TimePeriod?.Start, r.Estimated])).toEqual([
      [TimePeriod.Start, false],
      [thisMonth.toISOString().slice(0, 10), true],
    ]);
    expect(grouped.ResultsByTime?.[0]?.Groups).toEqual([
      { Keys: ['Amazon Elastic Compute Cloud - Compute'], Metrics: { UnblendedCost: { Amount: '120.25', Unit: 'USD' } } },
      { Keys: ['EC2 - Other'], Metrics: { UnblendedCost: { Amount: '9.5', Unit: 'USD' } } },
    ]);
    expect(grouped.ResultsByTime?.[1]?.Groups?.map((g) => g.Keys?.[0])).toEqual(['Amazon Elastic Compute Cloud - Compute', 'Amazon Virtual Private Cloud']);
    expect(grouped.ResultsByTime?.[1]?.TimePeriod?.End).toBe(TimePeriod.End);

    const total = await ce().send(new GetCostAndUsageCommand({ TimePeriod, Granularity: 'MONTHLY', Metrics: ['UnblendedCost', 'BlendedCost'], Filter: { Dimensions: { Key: 'REGION', Values: ['eu-west-1'] } } }));
    expect(total.ResultsByTime?.map((r) => r.Total?.UnblendedCost?.Amount)).toEqual(['0', '11.2']);
    expect(total.ResultsByTime?.[1]?.Groups).toEqual([]);
  });

  it('validates dates and metrics, and answers AccessDeniedException when denied', async () => {
    const bad = await rejectionOf(ce().send(new GetCostAndUsageCommand({ TimePeriod: { Start: '2025-03-10', End: '2025-03-01' }, Granularity: 'MONTHLY', Metrics: ['UnblendedCost'] })));
    expect([bad.name, bad.message]).toEqual(['ValidationException', 'Start date (and hour) should be before end date (and hour)']);
    expect((await rejectionOf(ce().send(new GetCostAndUsageCommand({ TimePeriod: { Start: '2025-3-1', End: '2025-04-01' }, Granularity: 'MONTHLY', Metrics: ['UnblendedCost'] })))).name).toBe('ValidationException');
    expect((await rejectionOf(ce().send(new GetCostAndUsageCommand({ TimePeriod: { Start: '2025-03-01', End: '2025-04-01' }, Granularity: 'MONTHLY', Metrics: ['Dollars'] })))).name).toBe('ValidationException');
    sim.denyActions(['ce:GetCostAndUsage']);
    const denied = await rejectionOf(ce().send(new GetCostAndUsageCommand({ TimePeriod: { Start: '2025-03-01', End: '2025-04-01' }, Granularity: 'MONTHLY', Metrics: ['UnblendedCost'] })));
    expect([denied.name, denied.$metadata.httpStatusCode]).toEqual(['AccessDeniedException', 400]);
    expect(denied.message).toContain('ce:GetCostAndUsage');
  });
});

describe('latency injection', () => {
  it('delays Pricing, Budgets and Cost Explorer answers by latencyMs, like EC2’s', async () => {
    sim.latencyMs = 150;
    try {
      const started = Date.now();
      await Promise.all([
        pricing().send(new GetProductsCommand({ ServiceCode: 'AmazonEC2', Filters: [term('regionCode', 'eu-north-1'), term('productFamily', 'Storage')] })),
        budgets().send(new DescribeBudgetsCommand({ AccountId: sim.accountId })),
        ce().send(new GetCostAndUsageCommand({ TimePeriod: { Start: '2025-03-01', End: '2025-04-01' }, Granularity: 'MONTHLY', Metrics: ['UnblendedCost'] })),
      ]);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(150);
      // Concurrent calls wait in parallel, as they would on the network.
      expect(elapsed).toBeLessThan(1_500);
    } finally {
      sim.latencyMs = 0;
    }
  });
});
