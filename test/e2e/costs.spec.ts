import type { Page } from '@playwright/test';
import type { Ec2Simulator } from '../support/ec2-simulator';
import { expect, test } from './aws-fixtures';

/**
 * Prices pinned for the whole simulated world, chosen so the hand computation below reads easily:
 * a GB-month rate of 0.073 is 0.0001 per GB-hour (AWS bills a month as 730 hours).
 */
const PRICES = {
  instanceHourly: { 't3.micro': 0.01, 't3.small': 0.02, 'm5.large': 0.1, 'g4dn.xlarge': 0.5, 't3.medium': 0.04 },
  volumeGbMonth: { gp3: 0.073, gp2: 0.146 },
  snapshotGbMonth: 0.0365,
  publicIpv4Hourly: 0.005,
};

const NOTHING = /nothing is costing/i;
/** The first ledger of a fresh simulator: 17 regions × six listings and their prices, on a busy machine. */
const FIRST_LEDGER = { timeout: 20_000 };

function ledgerGrid(page: Page) {
  return page.getByRole('grid', { name: 'Costs ledger' });
}

/** A ledger row by text in it (its Name tag or id). */
function ledgerRow(page: Page, text: string) {
  return ledgerGrid(page).getByRole('row').filter({ hasText: text });
}

async function openCosts(page: Page): Promise<void> {
  await page.keyboard.press('Control+5');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Costs');
}

/** An AMI of the account with two snapshots behind it (created first, so their ids are known here). */
function seedPackerAmi(sim: Ec2Simulator): { ami: string; snapshots: string[] } {
  const snapshots = [sim.seed.snapshot('eu-west-1', { volumeSize: 8 }), sim.seed.snapshot('eu-west-1', { volumeSize: 16 })];
  const ami = sim.seed.image('eu-west-1', {
    name: 'packer-build',
    blockDeviceMappings: [
      { deviceName: '/dev/xvda', volumeSize: 8, snapshotId: snapshots[0] },
      { deviceName: '/dev/sdf', volumeSize: 16, snapshotId: snapshots[1] },
    ],
  });
  return { ami, snapshots };
}

test.describe('costs ledger', () => {
  test('resources in two regions: rows and totals equal a hand computation', async ({ app, sim, addAccount }) => {
    sim.setPrices(PRICES);
    sim.seed.volume('us-east-1', { size: 100, type: 'gp2', tags: { Name: 'old-data' } });
    sim.seed.snapshot('us-east-1', { volumeSize: 20, tags: { Name: 'nightly' } });
    sim.seed.address('us-east-1', { tags: { Name: 'spare-ip' } });
    seedPackerAmi(sim);
    await addAccount();
    await openCosts(app);

    // The seeded instances (3 running in us-east-1; a running GPU and a stopped notebook in eu-west-1),
    // their auto-assigned public IPs, the volume, snapshot, Elastic IP and AMI: 13 rows.
    await expect(ledgerGrid(app)).toHaveAttribute('aria-rowcount', '14', FIRST_LEDGER);
    // By hand ($/h): every instance has an 8 GiB gp3 root volume = 8 × 0.073 / 730 = 0.0008.
    //   us-east-1: compute 0.01 + 0.02 + 0.1, disks 3 × 0.0008, public IPs 3 × 0.005,
    //              old-data 100 × 0.146 / 730 = 0.02, nightly 20 × 0.0365 / 730 = 0.001, spare-ip 0.005 → 0.1734
    //   eu-west-1: compute 0.5, disks 2 × 0.0008, public IP 0.005, AMI (8 + 16) × 0.0365 / 730 = 0.0012 → 0.5078
    //   total 0.6812 $/h; × 24 = 16.3488 per day; × 730 = 497.276 per month.
    const totals = app.getByRole('region', { name: 'Totals' });
    await expect(totals.getByLabel('Now: $0.6812/h')).toBeVisible();
    await expect(totals.getByLabel('Per day: $16.35')).toBeVisible();
    await expect(totals.getByLabel('Per month: $497.28')).toBeVisible();
    const perRegion = totals.getByRole('list', { name: 'Per region' });
    await expect(perRegion.getByRole('listitem', { name: 'us-east-1: $0.1734/h, $126.58 per month' })).toBeVisible();
    await expect(perRegion.getByRole('listitem', { name: 'eu-west-1: $0.5078/h, $370.69 per month' })).toBeVisible();

    // Rows: what each is, its size, how it bills and its cost per month at this rate.
    await expect(ledgerRow(app, 'old-data')).toContainText('EBS volume');
    await expect(ledgerRow(app, 'old-data')).toContainText('100 GiB gp2');
    await expect(ledgerRow(app, 'old-data')).toContainText('100 GiB × $0.146 per GB-month');
    await expect(ledgerRow(app, 'old-data')).toContainText('$14.60');
    await expect(ledgerRow(app, 'packer-build')).toContainText('2 snapshots · 24 GiB');
    await expect(ledgerRow(app, 'packer-build')).toContainText('$0.88');
    const web = ledgerRow(app, 'web-1');
    await expect(web).toContainText('t3.micro · 8 GiB');
    await expect(web).toContainText('$0.01 per hour + $0.584 per month for 1 volume (8 GiB)');
    await expect(web).toContainText('$7.88');
    await expect(web).toContainText('up 26 h');
    await expect(web).toContainText('$0.26 so far');
    await expect(ledgerRow(app, 'notebook')).toContainText('stopped');
    await expect(ledgerRow(app, 'notebook')).toContainText('$0.58');
    await expect(ledgerRow(app, 'spare-ip')).toContainText('unassociated');

    // Most expensive first.
    await expect(ledgerGrid(app).getByRole('row').nth(1)).toContainText('train-gpu');
    // The sidebar says the burn rate while something runs.
    await expect(app.getByRole('navigation', { name: 'Sections' }).getByRole('status', { name: 'Spending $0.6812 per hour now' })).toBeVisible();

    // Filters: a kind, a region, older than N days.
    await app.getByRole('group', { name: 'Kind' }).getByRole('button', { name: /^EBS volume/ }).click();
    await expect(ledgerGrid(app)).toHaveAttribute('aria-rowcount', '2');
    await app.getByRole('button', { name: 'Clear filters' }).first().click();
    await app.getByLabel('Region', { exact: true }).selectOption('eu-west-1');
    await expect(ledgerGrid(app)).toHaveAttribute('aria-rowcount', '5');
    await app.getByLabel('Older than').fill('1');
    await expect(ledgerGrid(app)).toHaveAttribute('aria-rowcount', '3');
  });

  test('deregistering an AMI deletes its two snapshots in the same step', async ({ app, sim, addAccount }) => {
    const { ami, snapshots } = seedPackerAmi(sim);
    for (const id of snapshots) expect(sim.snapshot('eu-west-1', id)).toBeDefined();
    await addAccount();
    await openCosts(app);
    const row = ledgerRow(app, 'packer-build');
    await expect(row).toBeVisible(FIRST_LEDGER);
    await row.getByRole('checkbox', { name: 'Select packer-build' }).click();
    await app.getByRole('toolbar', { name: 'Cleanup' }).getByRole('button', { name: 'Deregister 1 AMI + snapshots' }).click();

    const dialog = app.getByRole('dialog', { name: 'Deregister packer-build?' });
    await expect(dialog).toContainText('no new instance can be launched from it');
    await expect(dialog).toContainText('Its snapshots are deleted in the same step');
    const confirm = dialog.getByRole('button', { name: 'Deregister AMI' });
    await expect(confirm).toBeDisabled();
    await dialog.getByRole('textbox', { name: 'Type packer-build to confirm' }).fill('packer-build');
    await confirm.click();
    await expect(dialog.getByRole('status')).toHaveText('Done: 1 AMI.');
    await expect(dialog.getByRole('listitem', { name: 'packer-build: done' })).toContainText(`Deleted its snapshots ${snapshots.join(', ')}.`);
    await dialog.getByRole('button', { name: 'Done' }).click();

    // All three gone in AWS (the simulator), and from the ledger.
    expect(sim.image('eu-west-1', ami)).toBeUndefined();
    for (const id of snapshots) expect(sim.snapshot('eu-west-1', id)).toBeUndefined();
    await expect(ledgerRow(app, 'packer-build')).toHaveCount(0);
  });

  test('a denied delete shows its reason and the rest of the batch completes', async ({ app, sim, addAccount }) => {
    const nightly = sim.seed.snapshot('us-east-1', { volumeSize: 20, tags: { Name: 'nightly' } });
    const weekly = sim.seed.snapshot('eu-west-1', { volumeSize: 30, tags: { Name: 'weekly' } });
    // A policy that allows deleting snapshots only outside us-east-1 (e.g. an aws:RequestedRegion condition).
    sim.injectError({
      action: 'DeleteSnapshot',
      region: 'us-east-1',
      code: 'UnauthorizedOperation',
      message: `You are not authorized to perform this operation. User: arn:aws:iam::${sim.accountId}:user/hangar-test is not authorized to perform: ec2:DeleteSnapshot on resource: arn:aws:ec2:us-east-1::snapshot/${nightly}`,
      times: 10,
    });
    await addAccount();
    await openCosts(app);
    await app.getByRole('group', { name: 'Kind' }).getByRole('button', { name: /^Snapshot/ }).click(FIRST_LEDGER);
    await expect(ledgerGrid(app)).toHaveAttribute('aria-rowcount', '3');
    await app.getByRole('checkbox', { name: 'Select all shown rows' }).click();
    await app.getByRole('toolbar', { name: 'Cleanup' }).getByRole('button', { name: 'Delete 2 snapshots' }).click();

    const dialog = app.getByRole('dialog', { name: 'Delete 2 snapshots?' });
    // The dry run names the missing permission before anything is changed.
    await expect(dialog.getByRole('alert')).toContainText('1 snapshot will be left as it is');
    await expect(dialog.getByRole('alert')).toContainText('not allowed to call ec2:DeleteSnapshot in us-east-1');
    expect(sim.snapshot('eu-west-1', weekly)).toBeDefined();
    await dialog.getByRole('textbox', { name: 'Type weekly to confirm' }).fill('weekly');
    await dialog.getByRole('button', { name: 'Delete snapshot' }).click();

    await expect(dialog.getByRole('status')).toHaveText('1 of 2 done; 1 not (see why below).');
    await expect(dialog.getByRole('listitem', { name: 'weekly: done' })).toBeVisible();
    const failed = dialog.getByRole('listitem', { name: 'nightly: failed' });
    await expect(failed).toContainText('Your AWS credentials are not allowed to call ec2:DeleteSnapshot in us-east-1, so nightly was left as it is.');
    await expect(failed).toContainText('Ask your AWS administrator to allow ec2:DeleteSnapshot');
    expect(sim.snapshot('eu-west-1', weekly)).toBeUndefined();
    expect(sim.snapshot('us-east-1', nightly)).toBeDefined();
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(ledgerRow(app, 'weekly')).toHaveCount(0);
    await expect(ledgerRow(app, 'nightly')).toBeVisible();
  });

  test('never says nothing is costing money while an instance runs', async ({ page, app, sim, seeded, addAccount }) => {
    // Watches every text the page ever shows, from before the account exists until the end.
    await page.evaluate((pattern) => {
      const re = new RegExp(pattern, 'i');
      const w = window as unknown as { sawNothing: boolean };
      w.sawNothing = re.test(document.body.textContent ?? '');
      new MutationObserver(() => {
        if (re.test(document.body.textContent ?? '')) w.sawNothing = true;
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    }, NOTHING.source);
    await openCosts(app);
    await expect(app.getByRole('region', { name: 'Add an AWS account to see what it costs' })).toBeVisible();
    await addAccount();
    await expect(ledgerRow(app, 'web-1')).toBeVisible(FIRST_LEDGER);
    await expect(app.getByText(/^Updated /)).toBeVisible();
    await app.getByRole('button', { name: 'Refresh', exact: true }).click();
    await expect(app.getByText(/^Updated /)).toBeVisible();
    expect(await app.evaluate(() => (window as unknown as { sawNothing: boolean }).sawNothing)).toBe(false);

    // Once nothing bills, it is said (so the watch above can see the sentence when it is there).
    for (const id of Object.values(seeded)) sim.setInstanceState(id, 'terminated');
    await app.getByRole('button', { name: 'Refresh', exact: true }).click();
    await expect(app.getByRole('region', { name: 'Nothing is costing you money' })).toBeVisible();
    expect(await app.evaluate(() => (window as unknown as { sawNothing: boolean }).sawNothing)).toBe(true);
    await expect(app.getByRole('navigation', { name: 'Sections' }).getByRole('status', { name: /per hour now/ })).toHaveCount(0);
  });

  test('a budget amount that is not a positive number is refused at the field', async ({ app, sim, addAccount }) => {
    await addAccount();
    await openCosts(app);
    const panel = app.getByRole('region', { name: 'Monthly budget' });
    await panel.getByRole('button', { name: 'Set a budget' }).click();
    const amount = panel.getByRole('textbox', { name: 'Monthly budget (USD)' });
    await amount.fill('-20');
    await panel.getByRole('textbox', { name: 'Alert e-mail' }).fill('me@example.com');
    await panel.getByRole('button', { name: 'Create budget' }).click();
    await expect(amount).toHaveAttribute('aria-invalid', 'true');
    await expect(amount).toHaveAccessibleDescription('The amount must be more than $0.');
    await amount.fill('twenty');
    await panel.getByRole('button', { name: 'Create budget' }).click();
    await expect(amount).toHaveAccessibleDescription('Enter the monthly amount in dollars, e.g. 50.');
    expect(sim.requests.filter((r) => r.action === 'CreateBudget')).toHaveLength(0);

    await amount.fill('25');
    await panel.getByRole('button', { name: 'Create budget' }).click();
    await expect(panel).toContainText('of $25.00 spent this month');
    await expect(panel.getByRole('list', { name: 'Alerts' })).toContainText('50 %: not reached');
    await expect(panel).toContainText('Alerts go to me@example.com.');
    expect(sim.requests.filter((r) => r.action === 'CreateBudget')).toHaveLength(1);
  });
});
