import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startWebHarness } from '../../src/main/bridge/web-harness';
import { createLogger } from '../../src/main/services/logging/logger';
import { defaultUsers } from '../../src/main/services/ssh/default-users';
import type { AccountSummary } from '../../src/shared/models/accounts';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator';
import { createMemorySecretStore } from '../support/memory-secret-store';
import { expect, openApp, test as base } from './fixtures';
import { assertRendererBuilt } from '../support/renderer-build';
import type { SlurmLayout } from '../../src/main/services/cluster/slurm-config';

export { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY };

/** The instances every test starts with: two regions, one protected, one stopped. */
export const SEED = {
  web: { region: 'us-east-1', name: 'web-1', instanceType: 't3.micro' },
  scratch: { region: 'us-east-1', name: 'scratch-box', instanceType: 't3.small' },
  protectedDb: { region: 'us-east-1', name: 'db-protected', instanceType: 'm5.large', disableApiTermination: true },
  gpu: { region: 'eu-west-1', name: 'train-gpu', instanceType: 'g4dn.xlarge' },
  notebook: { region: 'eu-west-1', name: 'notebook', instanceType: 't3.medium', state: 'stopped' as const },
} as const;

export type SeedName = keyof typeof SEED;

interface AwsFixtures {
  /** The contents of the AWS CLI credentials file the harness sees (empty by default). */
  awsCredentialsFile: string;
  /**
   * Every instance RunInstances launches gets a real sshd on 127.0.0.<n>:22 (the simulator's
   * `sshdForLaunches`), and the harness also tries the OS user those sshds log in as. Off by default.
   */
  launchSshd: boolean;
  /** How long a closed page's shells wait to be taken over (the harness's `terminalGraceMs`; default 30 s). */
  terminalGraceMs: number | undefined;
  /** Where Slurm lives on the rig's nodes (daemons started directly, files in a temp folder); default Debian's. */
  slurmLayout: SlurmLayout | undefined;
  /** The EC2 + STS simulator every AWS call of the harness goes to (AWS_ENDPOINT_URL). */
  sim: Ec2Simulator;
  /** Instance ids of SEED, by key. */
  seeded: Record<SeedName, string>;
  /** Adds the simulator's account through the service (tests of the dashboard need not type keys). */
  addAccount: (options?: { defaultRegion?: string; label?: string }) => Promise<AccountSummary>;
  /**
   * Desktop notifications are recorded instead of shown: the page's Notification API is replaced (before the
   * app loads) by a recorder that says notifications are allowed. Read them with `notificationsShown`.
   */
  recordNotifications: boolean;
}

const ENV_KEYS = ['AWS_ENDPOINT_URL', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_REGION', 'AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;



/**
 * The app frame's fixtures, with the harness pointed at a fresh EC2 simulator: the real services and
 * the unmodified AWS SDK, their endpoint swapped through AWS_ENDPOINT_URL (which the SDK honours for
 * EC2 and STS). The AWS CLI files point at an empty temp folder, so nothing from the machine leaks in.
 */
export const test = base.extend<AwsFixtures>({
  awsCredentialsFile: ['', { option: true }],
  launchSshd: [false, { option: true }],
  recordNotifications: [false, { option: true }],

  app: async ({ page, hangar, recordNotifications }, use) => {
    if (recordNotifications) await page.addInitScript(installNotificationRecorder);
    await openApp(page, hangar.harness.url);
    await use(page);
  },
  terminalGraceMs: [undefined, { option: true }],
  slurmLayout: [undefined, { option: true }],

  sim: async ({ launchSshd }, use) => {
    // Short transitions so a test sees stopping → stopped and shutting-down → terminated quickly.
    const sim = await startEc2Simulator({
      timings: { pendingMs: 1_000, stoppingMs: 1_500, shuttingDownMs: 1_500 },
      ...(launchSshd ? { sshdForLaunches: true } : {}),
    });
    try {
      await use(sim);
    } finally {
      await sim.close();
    }
  },

  seeded: async ({ sim }, use) => {
    const ids = {} as Record<SeedName, string>;
    for (const [key, { region, ...input }] of Object.entries(SEED) as [SeedName, (typeof SEED)[SeedName]][]) {
      ids[key] = sim.addInstance(region, { ...input, keyName: 'lab-key', launchTime: new Date(Date.now() - 26 * 3_600_000) });
    }
    await use(ids);
  },

  hangar: async ({ sim, seeded, awsCredentialsFile, launchSshd, terminalGraceMs, slurmLayout }, use) => {
    void seeded;
    assertRendererBuilt();
    const dataDir = await mkdtemp(join(tmpdir(), 'hangar-e2e-aws-'));
    const awsDir = await mkdtemp(join(tmpdir(), 'hangar-e2e-awscli-'));
    await writeFile(join(awsDir, 'credentials'), awsCredentialsFile);
    await writeFile(join(awsDir, 'config'), '');
    const saved = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));
    for (const key of ENV_KEYS) delete process.env[key];
    // Set before the harness starts: the SDK reads it when each client is created.
    process.env.AWS_ENDPOINT_URL = sim.url;
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(awsDir, 'credentials');
    process.env.AWS_CONFIG_FILE = join(awsDir, 'config');
    const harness = await startWebHarness({
      dataDir,
      rendererDir: 'out/renderer',
      secrets: createMemorySecretStore(),
      logger: createLogger({ level: 'error' }),
      version: '0.1.0-e2e',
      // The launched sshds log in as whoever runs the tests, after the AMI's own users.
      ...(launchSshd ? { userCandidates: (imageName: string | undefined) => [...defaultUsers(imageName), userInfo().username] } : {}),
      ...(terminalGraceMs === undefined ? {} : { terminalGraceMs }),
      ...(slurmLayout === undefined ? {} : { slurmLayout }),
    });
    try {
      await use({ harness, dataDir, origin: harness.bridge.origin });
    } finally {
      await harness.close();
      for (const key of ENV_KEYS) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
      await rm(dataDir, { recursive: true, force: true });
      await rm(awsDir, { recursive: true, force: true });
    }
  },

  addAccount: async ({ hangar }, use) => {
    await use((options = {}) =>
      hangar.harness.services.accounts.add({
        accessKeyId: DEFAULT_ACCESS_KEY_ID,
        secretAccessKey: DEFAULT_SECRET_ACCESS_KEY,
        label: options.label ?? 'Lab account',
        defaultRegion: options.defaultRegion ?? 'us-east-1',
      }),
    );
  },
});

export { expect };

// ---- page helpers --------------------------------------------------------------------------------

export function grid(page: Page) {
  return page.getByRole('grid', { name: 'Instances' });
}

/** The row of an instance, found by its name (rows are named by their cells). */
export function row(page: Page, name: string) {
  return grid(page).getByRole('row').filter({ has: page.getByRole('gridcell', { name, exact: true }) });
}

export function regionPicker(page: Page) {
  return page.getByRole('combobox', { name: 'Region' });
}

export async function openInstances(page: Page): Promise<void> {
  await page.keyboard.press('Control+2');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Instances');
}

// ---- desktop notifications ----------------------------------------------------------------------------

export interface ShownNotification {
  readonly title: string;
  readonly body: string;
  readonly tag: string;
}

/** Runs in the page before the app: the Notification API, granted, recording instead of showing. */
function installNotificationRecorder(): void {
  interface Recorded {
    title: string;
    body: string;
    tag: string;
    onclick: (() => void) | null;
  }
  const shown: Recorded[] = [];
  class RecordingNotification {
    static readonly permission = 'granted';
    static requestPermission(): Promise<string> {
      return Promise.resolve('granted');
    }
    onclick: (() => void) | null = null;
    readonly title: string;
    readonly body: string;
    readonly tag: string;
    constructor(title: string, options: { body?: string; tag?: string } = {}) {
      this.title = title;
      this.body = options.body ?? '';
      this.tag = options.tag ?? '';
      shown.push(this);
    }
    close(): void {}
  }
  Object.defineProperty(window, 'Notification', { value: RecordingNotification, configurable: true, writable: true });
  Object.defineProperty(window, '__hangarNotifications', { value: shown });
}

/** The notifications the app has shown so far (with `recordNotifications`). */
export async function notificationsShown(page: Page): Promise<ShownNotification[]> {
  return page.evaluate(() =>
    ((window as unknown as { __hangarNotifications?: ShownNotification[] }).__hangarNotifications ?? []).map(({ title, body, tag }) => ({ title, body, tag })),
  );
}

/** Clicks (the system would) the last notification whose title contains `text`. */
export async function clickNotification(page: Page, text: string): Promise<void> {
  await page.evaluate((wanted) => {
    const all = (window as unknown as { __hangarNotifications?: { title: string; onclick: (() => void) | null }[] }).__hangarNotifications ?? [];
    const found = [...all].reverse().find((n) => n.title.includes(wanted));
    if (!found?.onclick) throw new Error(`no clickable notification titled like "${wanted}"`);
    found.onclick();
  }, text);
}

/** Turns on one of the table's optional columns through its Columns picker. */
export async function showColumn(page: Page, label: string): Promise<void> {
  await page.getByRole('button', { name: 'Columns' }).click();
  await page.getByRole('group', { name: 'Show columns' }).getByRole('checkbox', { name: label }).check();
  await page.keyboard.press('Escape');
  await expect(grid(page).getByRole('columnheader', { name: label })).toBeVisible();
}
