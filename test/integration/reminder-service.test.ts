import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAwsClientPool, type AwsClientPool } from '../../src/main/services/aws/aws-client-pool';
import { createEc2Service, type Ec2Service } from '../../src/main/services/ec2/ec2-service';
import { silentLogger } from '../../src/main/services/logging/logger';
import { createReminderService, type ReminderService } from '../../src/main/services/reminders/reminder-service';
import { createReminderStateStore, REMINDER_STATE_FILE_NAME } from '../../src/main/services/reminders/reminder-state';
import { createSettingsStore, type SettingsStore } from '../../src/main/services/settings/settings-store';
import { priceFor } from '../../src/shared/models/instance-prices';
import type { Reminder } from '../../src/shared/models/reminders';
import { DEFAULT_SETTINGS, type ReminderSettings } from '../../src/shared/models/settings';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';
import { isolateAwsEnv } from '../support/isolated-aws-env';

const GOOD = { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY };
const ACCOUNT = 'acct-main';
const HOUR = 3_600_000;

let restoreEnv: () => void = () => undefined;
let sim: Ec2Simulator;
let pool: AwsClientPool;
let ec2: Ec2Service;
let dir: string;
const running: ReminderService[] = [];

beforeAll(() => {
  restoreEnv = isolateAwsEnv();
});
afterAll(() => restoreEnv());

beforeEach(async () => {
  sim = await startEc2Simulator();
  pool = createAwsClientPool({ credentialsFor: (): AwsCredentialIdentityProvider => async () => GOOD, endpoint: sim.url });
  ec2 = createEc2Service({ clientsFor: pool.clientsFor });
  dir = await mkdtemp(join(tmpdir(), 'hangar-reminders-'));
});

afterEach(async () => {
  for (const service of running.splice(0)) await service.dispose();
  pool.destroy();
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

function settingsWith(reminders: Partial<ReminderSettings>, activeAccountId: string | undefined = ACCOUNT): SettingsStore {
  const store = createSettingsStore({
    store: { ...structuredClone(DEFAULT_SETTINGS), reminders: { ...DEFAULT_SETTINGS.reminders, ...reminders } },
    path: join(dir, 'settings.json'),
  });
  if (activeAccountId !== undefined) store.mutate((s) => ({ ...s, activeAccountId }));
  return store;
}

function start(settings: SettingsStore, options: { checkEveryMs?: number } = {}) {
  const published: Reminder[][] = [];
  const service = createReminderService({
    settings,
    ec2,
    state: createReminderStateStore(dir, silentLogger),
    publish: (active) => published.push(active),
    logger: silentLogger,
    ...options,
  });
  running.push(service);
  service.start();
  return { service, published };
}

const GPU_ON = { gpuHours: { enabled: true, hours: 1 } };

describe('reminders decided in main against the account’s instances', () => {
  it('reminds of a GPU instance past the hours set in any region, once, and hands it to one window to notify', async () => {
    const notebook = sim.addInstance('eu-west-1', { name: 'notebook-gpu', instanceType: 'g4dn.xlarge', launchTime: new Date(Date.now() - 19 * HOUR - 60_000) });
    sim.addInstance('us-east-1', { name: 'web', instanceType: 't3.micro', launchTime: new Date(Date.now() - 50 * HOUR) });
    const { service, published } = start(settingsWith(GPU_ON));
    await service.checkNow();
    const [reminder, ...rest] = service.list();
    expect(rest).toEqual([]);
    expect(reminder).toMatchObject({
      kind: 'gpu-hours',
      accountId: ACCOUNT,
      instance: { region: 'eu-west-1', instanceId: notebook, name: 'notebook-gpu' },
    });
    // g4dn.xlarge in Ireland at the price the instance table shows, for the 19 h 1 min it has run.
    const cost = Number(/^notebook-gpu has run 19 h, about \$(\d+\.\d\d)$/.exec(reminder?.title ?? '')?.[1]);
    expect(cost).toBeCloseTo((19 + 1 / 60) * (priceFor('eu-west-1', 'g4dn.xlarge') ?? 0), 1);
    expect(published.at(-1)).toEqual(service.list());
    expect(service.takeNew().map((r) => r.key)).toEqual([reminder?.key]);
    expect(service.takeNew()).toEqual([]);
    // Looking again raises nothing new.
    await service.checkNow();
    expect(service.takeNew()).toEqual([]);
    expect(service.list()).toHaveLength(1);
  });

  it('raises the reminder when a GPU instance crosses the hours set, on a look timed for the crossing', async () => {
    sim.addInstance('us-east-1', { name: 'almost', instanceType: 'g4dn.xlarge', launchTime: new Date(Date.now() - HOUR + 2_000) });
    const { service } = start(settingsWith(GPU_ON));
    await service.checkNow();
    expect(service.list()).toEqual([]);
    const deadline = Date.now() + 8_000;
    while (service.list().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(service.list().map((r) => r.title)).toEqual(['almost has run 1 h, about $0.53']);
  });

  it('tells at start-up what kept running while Hangar was closed, even under the hours set', async () => {
    const lastSeenAt = Date.now() - 5 * HOUR;
    await writeFile(join(dir, REMINDER_STATE_FILE_NAME), JSON.stringify({ lastSeenAt, told: {} }));
    const left = sim.addInstance('us-east-1', { name: 'left-gpu', instanceType: 'g4dn.xlarge', launchTime: new Date(Date.now() - 10 * HOUR) });
    sim.addInstance('us-east-1', { name: 'new-gpu', instanceType: 'g4dn.xlarge', launchTime: new Date(Date.now() - 2 * HOUR) });
    const { service } = start(settingsWith({ gpuHours: { enabled: true, hours: 24 } }));
    await service.checkNow();
    expect(service.list().map((r) => [r.kind, r.instance?.instanceId, r.title])).toEqual([['left-running', left, 'left-gpu has run 10 h, about $5.26']]);
    expect(service.takeNew()).toHaveLength(1);
    // The heartbeat writes down (in the background) that Hangar is open now.
    const seen = async (): Promise<number> => (JSON.parse(await readFile(join(dir, REMINDER_STATE_FILE_NAME), 'utf8')) as { lastSeenAt: number }).lastSeenAt;
    await expect.poll(seen).toBeGreaterThan(lastSeenAt + 4 * HOUR);
  });

  it('reminds of the burn rate across regions; a dismissed reminder leaves the banner and is not told again', async () => {
    sim.addInstance('us-east-1', { name: 'big', instanceType: 'p3.2xlarge' });
    sim.addInstance('eu-west-1', { name: 'small', instanceType: 't3.micro' });
    const { service } = start(settingsWith({ burnRate: { enabled: true, dollarsPerHour: 2 } }));
    await service.checkNow();
    const [burn] = service.list();
    expect(burn).toMatchObject({ kind: 'burn-rate', instance: { name: 'big' } });
    expect(burn?.title).toMatch(/^Running instances cost about \$3\.\d\d\/h$/);
    expect(service.dismiss(burn?.key ?? '')).toEqual([]);
    expect(service.takeNew()).toEqual([]);
    await service.checkNow();
    expect(service.list()).toEqual([]);
  });

  it('asks AWS nothing while the reminders are off, and looks as soon as one is turned on', async () => {
    sim.addInstance('us-east-1', { name: 'gpu', instanceType: 'g4dn.xlarge', launchTime: new Date(Date.now() - 3 * HOUR) });
    const settings = settingsWith({});
    const { service } = start(settings);
    await service.checkNow();
    expect(sim.requests.filter((r) => r.action === 'DescribeInstances')).toEqual([]);
    settings.update({ reminders: { gpuHours: { enabled: true, hours: 2 } } });
    const deadline = Date.now() + 5_000;
    while (service.list().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(service.list().map((r) => r.kind)).toEqual(['gpu-hours']);
    expect(sim.requests.some((r) => r.action === 'DescribeInstances')).toBe(true);
  });
});
