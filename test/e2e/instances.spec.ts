import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, expect, grid, openInstances, regionPicker, row, showColumn, test } from './aws-fixtures';


const STOP_TEXT =
  'The disk is kept. Compute billing stops, but storage (EBS volumes) is still billed. The public IP address changes on the next start unless it is an Elastic IP.';
const TERMINATE_TEXT = 'This deletes the instance and every volume marked delete-on-termination, forever. This cannot be undone.';

test.describe('accounts', () => {
  test('adds an account by keys; a wrong secret is shown with its fix next to the secret field', async ({ app, hangar, sim }) => {
    await app.keyboard.press('Control+1');
    await app.getByRole('region', { name: 'No AWS accounts yet' }).getByRole('button', { name: 'Add account' }).click();
    const dialog = app.getByRole('dialog', { name: 'Add an AWS account' });
    await expect(dialog).toBeVisible();
    const keyId = dialog.getByRole('textbox', { name: 'Access key ID' });
    const secret = dialog.getByLabel('Secret access key', { exact: true });
    await expect(keyId).toBeFocused();

    // Checked before anything is sent: the format of the key id.
    await keyId.fill('AKIA123');
    await secret.fill('x'.repeat(40));
    await dialog.getByRole('button', { name: 'Add account' }).click();
    await expect(keyId).toHaveAttribute('aria-invalid', 'true');
    await expect(keyId).toHaveAccessibleDescription(/starts with AKIA/);
    expect(sim.requests.filter((r) => r.service === 'sts')).toHaveLength(0);

    // A key id AWS knows, with the wrong secret: STS refuses, the message and hint sit at the secret.
    await keyId.fill(DEFAULT_ACCESS_KEY_ID);
    await expect(keyId).not.toHaveAttribute('aria-invalid', 'true');
    await secret.fill('wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGKEYXX');
    await dialog.getByRole('button', { name: 'Add account' }).click();
    await expect(secret).toHaveAttribute('aria-invalid', 'true');
    // Message and hint, both in the field's description (what a screen reader says on focus).
    await expect(secret).toHaveAccessibleDescription(/The secret access key does not match the access key ID.*exactly as IAM showed it/);
    await expect(keyId).not.toHaveAttribute('aria-invalid', 'true');

    // The show toggle reveals what was typed.
    await dialog.getByRole('button', { name: 'Show secret access key' }).click();
    await expect(secret).toHaveAttribute('type', 'text');

    await secret.fill(DEFAULT_SECRET_ACCESS_KEY);
    await dialog.getByRole('textbox', { name: 'Label' }).fill('Lab account');
    await dialog.getByRole('combobox', { name: 'Default region' }).selectOption('eu-west-1');
    await dialog.getByRole('button', { name: 'Add account' }).click();
    await expect(dialog).toBeHidden();

    const card = app.getByRole('listitem', { name: 'Lab account' });
    await expect(card).toContainText(sim.accountId);
    await expect(card).toContainText(`arn:aws:iam::${sim.accountId}:user/`);
    await expect(card).toContainText('Active');
    await expect(card).toContainText('AKIA');
    await expect(card.getByRole('combobox', { name: 'Default region' })).toHaveValue('eu-west-1');
    // The secret went to the keychain only.
    const settingsFile = await readFile(join(hangar.dataDir, 'settings.json'), 'utf8');
    expect(settingsFile).not.toContain(DEFAULT_SECRET_ACCESS_KEY);
    expect(settingsFile).not.toContain(DEFAULT_ACCESS_KEY_ID);

    // Verify asks STS again; Remove says the keys are wiped from the keychain.
    await card.getByRole('button', { name: 'Verify Lab account' }).click();
    await expect(card.getByRole('status')).toContainText('Verified with AWS');
    await card.getByRole('button', { name: 'Remove Lab account' }).click();
    const remove = app.getByRole('dialog', { name: 'Remove Lab account?' });
    await expect(remove).toContainText('wipes its access key and secret from your system keychain');
    await remove.getByRole('button', { name: 'Remove account' }).click();
    await expect(app.getByRole('region', { name: 'No AWS accounts yet' })).toBeVisible();
  });
});

test.describe('importing AWS CLI profiles', () => {
  test.use({
    awsCredentialsFile: `[course]\naws_access_key_id = ${DEFAULT_ACCESS_KEY_ID}\naws_secret_access_key = ${DEFAULT_SECRET_ACCESS_KEY}\nregion = eu-west-1\n`,
  });

  test('lists the profiles with their type and imports one', async ({ app, sim }) => {
    await app.keyboard.press('Control+1');
    await app.getByRole('button', { name: 'Import from AWS CLI' }).click();
    const dialog = app.getByRole('dialog', { name: 'Import from AWS CLI profiles' });
    const profile = dialog.getByRole('listitem', { name: 'course' });
    await expect(profile).toContainText('Access key');
    await expect(profile).toContainText('Europe (Ireland)');
    await profile.getByRole('button', { name: 'Import course' }).click();
    await expect(profile).toContainText('Imported');
    await dialog.getByRole('button', { name: 'Done' }).click();
    const card = app.getByRole('listitem', { name: /course/ });
    await expect(card).toContainText(sim.accountId);
    await expect(card).toContainText('AWS CLI profile');
  });
});

test.describe('instance dashboard', () => {
  test('All regions streams in instances from two regions, with a count per region', async ({ app, addAccount, sim }) => {
    await addAccount();
    await openInstances(app);
    // The default region first: only its instances.
    await expect(regionPicker(app)).toHaveValue('us-east-1');
    await expect(row(app, 'web-1')).toBeVisible();
    await expect(row(app, 'db-protected')).toBeVisible();
    await expect(row(app, 'train-gpu')).toHaveCount(0);

    await regionPicker(app).selectOption('all');
    await expect(row(app, 'train-gpu')).toBeVisible();
    await expect(row(app, 'notebook')).toBeVisible();
    await expect(row(app, 'web-1')).toBeVisible();
    await expect(grid(app)).toHaveAttribute('aria-rowcount', '6');
    await expect(regionPicker(app).locator('option[value="all"]')).toHaveText('All regions (5 in 2 regions)');
    await expect(regionPicker(app).locator('option[value="us-east-1"]')).toHaveText('US East (N. Virginia) · us-east-1 (3)');
    await expect(regionPicker(app).locator('option[value="eu-west-1"]')).toHaveText('Europe (Ireland) · eu-west-1 (2)');
    await expect(regionPicker(app).locator('option[value="us-west-2"]')).toHaveText('US West (Oregon) · us-west-2 (0)');

    // The default columns: state with words, the type and its price, the zone with the region's name.
    const gpu = row(app, 'train-gpu');
    await expect(gpu).toContainText('Running');
    await expect(gpu).toContainText('g4dn.xlarge');
    await expect(gpu).toContainText('eu-west-1');
    await expect(gpu).toContainText('Europe (Ireland)');
    // The price comes from the AWS Price List (here the simulator's), so it is AWS's figure, not "approx.".
    await expect(gpu).toContainText(`$${(sim.prices.instanceHourly('eu-west-1', 'g4dn.xlarge') ?? 0).toFixed(4)}/h`);
    await expect(gpu).not.toContainText('approx.');
    await expect(row(app, 'notebook')).toContainText('Stopped');
  });

  test('a region that fails shows its own error and the others still list', async ({ app, addAccount, sim }) => {
    await addAccount();
    sim.injectError({ action: 'DescribeInstances', code: 'UnauthorizedOperation', message: 'You are not authorized to perform this operation.', region: 'eu-west-1', times: 100 });
    await openInstances(app);
    await regionPicker(app).selectOption('all');
    const problem = app.getByRole('alert').filter({ hasText: 'Europe (Ireland) (eu-west-1) could not be listed' });
    await expect(problem).toContainText('ec2:DescribeInstances');
    await expect(problem).toContainText('Ask your AWS administrator');
    await expect(row(app, 'web-1')).toBeVisible();
    await expect(row(app, 'train-gpu')).toHaveCount(0);
    await expect(regionPicker(app).locator('option[value="eu-west-1"]')).toHaveText('Europe (Ireland) · eu-west-1 (failed)');
  });

  test('stop explains itself, then the row follows stopping → stopped', async ({ app, addAccount, seeded, sim }) => {
    await addAccount();
    await openInstances(app);
    const web = row(app, 'web-1');
    await expect(web).toContainText('Running');
    await web.getByRole('checkbox', { name: 'Select web-1' }).check();
    await expect(web).toHaveAttribute('aria-selected', 'true');
    await app.getByRole('toolbar', { name: 'Instance actions' }).getByRole('button', { name: 'Stop', exact: true }).click();

    const dialog = app.getByRole('dialog', { name: 'Stop web-1?' });
    await expect(dialog).toContainText(STOP_TEXT);
    await dialog.getByRole('button', { name: 'Stop instance' }).click();
    await expect(dialog).toBeHidden();
    await expect(web).toContainText('Stopping');
    await expect(web).toContainText('Stopped', { timeout: 10_000 });
    expect(sim.instance(seeded.web)?.state).toBe('stopped');
    // The selection survived the refreshes.
    await expect(web).toHaveAttribute('aria-selected', 'true');
  });

  test('terminate needs the name typed; a protected instance is refused with how to lift protection', async ({ app, addAccount, seeded, sim }) => {
    await addAccount();
    await openInstances(app);
    const actions = app.getByRole('toolbar', { name: 'Instance actions' });

    // Protected: shown as such, and there is nothing to confirm.
    await row(app, 'db-protected').getByRole('checkbox').check();
    await actions.getByRole('button', { name: 'Terminate', exact: true }).click();
    let dialog = app.getByRole('dialog', { name: 'Terminate db-protected?' });
    await expect(dialog).toContainText(TERMINATE_TEXT);
    const note = dialog.getByRole('note', { name: 'Termination protection' });
    await expect(note).toContainText('Termination protection is on for db-protected');
    await expect(note).toContainText('Change termination protection');
    await expect(note).toContainText(`--instance-id ${seeded.protectedDb} --no-disable-api-termination`);
    await expect(dialog.getByRole('button', { name: 'Terminate instance' })).toBeDisabled();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    expect(sim.instance(seeded.protectedDb)?.disableApiTermination).toBe(true);
    await actions.getByRole('button', { name: 'Clear selection' }).click();

    // Unprotected: the button waits for the exact name.
    const scratch = row(app, 'scratch-box');
    await scratch.getByRole('checkbox').check();
    await actions.getByRole('button', { name: 'Terminate', exact: true }).click();
    dialog = app.getByRole('dialog', { name: 'Terminate scratch-box?' });
    await expect(dialog).toContainText(TERMINATE_TEXT);
    const confirm = dialog.getByRole('textbox', { name: 'Type scratch-box to confirm' });
    const go = dialog.getByRole('button', { name: 'Terminate instance' });
    await expect(confirm).toBeFocused();
    await expect(go).toBeDisabled();
    await confirm.fill('scratch');
    await expect(go).toBeDisabled();
    await confirm.fill('scratch-box');
    await expect(go).toBeEnabled();
    await go.click();
    await expect(dialog).toBeHidden();
    await expect(scratch).toContainText('Shutting down');
    await expect(scratch).toContainText('Terminated', { timeout: 10_000 });
    expect(sim.instance(seeded.scratch)?.state).toBe('terminated');
  });

  test('a refusal from AWS is shown with its message and hint', async ({ app, addAccount, seeded, sim }) => {
    await addAccount();
    await openInstances(app);
    await expect(row(app, 'web-1')).toContainText('Running');
    // The table still says running; AWS has moved on meanwhile.
    sim.setInstanceState(seeded.web, 'stopped');
    await row(app, 'web-1').getByRole('checkbox').check();
    await app.getByRole('toolbar', { name: 'Instance actions' }).getByRole('button', { name: 'Reboot' }).click();
    const dialog = app.getByRole('dialog', { name: 'Reboot web-1?' });
    await expect(dialog).toContainText('keeps the IP and disk');
    await dialog.getByRole('button', { name: 'Reboot instance' }).click();
    const error = dialog.getByRole('alert');
    await expect(error).toContainText('Reboot failed');
    await expect(error).toContainText(`${seeded.web} is stopped; only a running instance can be rebooted.`);
    await expect(error).toContainText('Start it instead.');
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    // After the action the row follows the real state.
    await expect(row(app, 'web-1')).toContainText('Stopped', { timeout: 10_000 });
  });

  test('hibernate explains itself and shows why an instance cannot', async ({ app, addAccount, seeded, sim }) => {
    await addAccount();
    await openInstances(app);
    await row(app, 'web-1').getByRole('checkbox').check();
    await app.getByRole('toolbar', { name: 'Instance actions' }).getByRole('button', { name: 'Hibernate' }).click();
    const dialog = app.getByRole('dialog', { name: 'Hibernate web-1?' });
    await expect(dialog).toContainText('memory (RAM) are saved to the instance’s root disk');
    await dialog.getByRole('button', { name: 'Hibernate instance' }).click();
    const error = dialog.getByRole('alert');
    await expect(error).toContainText('Hibernate failed');
    await expect(error).toContainText('hibernation was not turned on when it was launched');
    expect(sim.instance(seeded.web)?.state).toBe('running');
  });

  test('an empty region says so and offers All regions', async ({ app, addAccount }) => {
    await addAccount({ defaultRegion: 'us-west-1' });
    await openInstances(app);
    const empty = app.getByRole('region', { name: 'No instances in US West (N. California)' });
    await expect(empty).toContainText('try All regions');
    await empty.getByRole('button', { name: 'Show all regions' }).click();
    await expect(regionPicker(app)).toHaveValue('all');
    await expect(row(app, 'train-gpu')).toBeVisible();
  });

  test('search, state chips, sorting, keyboard selection, copy and F5', async ({ app, addAccount, seeded, context, sim }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await addAccount();
    await openInstances(app);
    await regionPicker(app).selectOption('all');
    await expect(grid(app)).toHaveAttribute('aria-rowcount', '6');

    const search = app.getByRole('searchbox', { name: 'Search instances' });
    await search.fill('gpu');
    await expect(grid(app)).toHaveAttribute('aria-rowcount', '2');
    await expect(row(app, 'train-gpu')).toBeVisible();
    await search.fill(seeded.notebook);
    await expect(row(app, 'notebook')).toBeVisible();
    await expect(grid(app)).toHaveAttribute('aria-rowcount', '2');
    await search.fill('nothing-like-this');
    await expect(app.getByRole('region', { name: 'No instances match' })).toBeVisible();
    await app.getByRole('button', { name: 'Clear search and filters' }).click();

    const chips = app.getByRole('group', { name: 'Filter by state' });
    await chips.getByRole('button', { name: /Stopped/ }).click();
    await expect(chips.getByRole('button', { name: /Stopped/ })).toHaveAttribute('aria-pressed', 'true');
    await expect(grid(app)).toHaveAttribute('aria-rowcount', '2');
    await expect(row(app, 'notebook')).toBeVisible();
    await chips.getByRole('button', { name: /Stopped/ }).click();

    const nameHeader = grid(app).getByRole('columnheader', { name: 'Name' });
    await expect(nameHeader).toHaveAttribute('aria-sort', 'ascending');
    const names = () => grid(app).getByRole('row').locator('.cell--name').allInnerTexts();
    await expect.poll(names).toEqual(['Name', 'db-protected', 'notebook', 'scratch-box', 'train-gpu', 'web-1']);
    await nameHeader.getByRole('button').click();
    await expect(nameHeader).toHaveAttribute('aria-sort', 'descending');
    await expect.poll(names).toEqual(['Name', 'web-1', 'train-gpu', 'scratch-box', 'notebook', 'db-protected']);

    // One Tab stop; arrows move, Space selects.
    await grid(app).focus();
    await app.keyboard.press('ArrowDown');
    await app.keyboard.press('Space');
    await expect(row(app, 'train-gpu')).toHaveAttribute('aria-selected', 'true');
    await expect(app.getByRole('toolbar', { name: 'Instance actions' })).toContainText('1 instance selected');

    await showColumn(app, 'Instance ID');
    await row(app, 'web-1').getByRole('button', { name: `Copy instance ID ${seeded.web}` }).click();
    await expect(row(app, 'web-1')).toContainText('Copied');
    expect(await app.evaluate(() => navigator.clipboard.readText())).toBe(seeded.web);

    // F5 refreshes the list in place instead of reloading the window.
    await app.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    sim.clearRequests();
    await app.keyboard.press('F5');
    await expect.poll(() => sim.requests.filter((r) => r.action === 'DescribeInstances').length).toBeGreaterThan(0);
    expect(await app.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    await expect(row(app, 'train-gpu')).toHaveAttribute('aria-selected', 'true');
  });
});

test.describe('at the default window size (1280 × 820)', () => {
  test.use({ viewport: { width: 1280, height: 820 } });

  test('the instance table fits without sideways scrolling; Columns adds one, remembered after a reload', async ({ app, hangar, addAccount }) => {
    await addAccount();
    await openInstances(app);
    await regionPicker(app).selectOption('all');
    await expect(row(app, 'train-gpu')).toBeVisible();
    // What a user decides by, all in view.
    await expect(grid(app).getByRole('columnheader')).toHaveText(['', 'Name', 'State', 'Type', 'Region / zone', 'Price / hour']);
    const overflow = () => grid(app).evaluate((element) => element.scrollWidth - element.clientWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);

    // The others are a choice away, and the choice is kept.
    await showColumn(app, 'Key pair');
    await showColumn(app, 'Launched');
    const gpu = row(app, 'train-gpu');
    await expect(gpu).toContainText('lab-key');
    await expect(gpu).toContainText(/up 1 d 2 h/);
    await expect.poll(() => hangar.harness.services.settings.get().ui.instanceColumns).toEqual(['state', 'type', 'az', 'keyName', 'launchTime', 'price']);
    await app.reload();
    await expect(row(app, 'web-1')).toBeVisible();
    await expect(grid(app).getByRole('columnheader')).toHaveText(['', 'Name', 'State', 'Type', 'Region / zone', 'Key pair', 'Launched', 'Price / hour']);

    // And taken away again.
    await app.getByRole('button', { name: 'Columns' }).click();
    await app.getByRole('group', { name: 'Show columns' }).getByRole('checkbox', { name: 'Launched' }).uncheck();
    await app.keyboard.press('Escape');
    await expect(grid(app).getByRole('columnheader', { name: 'Launched' })).toHaveCount(0);
    await expect.poll(() => hangar.harness.services.settings.get().ui.instanceColumns).toEqual(['state', 'type', 'az', 'keyName', 'price']);
  });

  test("the Add account dialog's Default region shows the whole name of every region", async ({ app }) => {
    await app.keyboard.press('Control+1');
    await app.getByRole('region', { name: 'No AWS accounts yet' }).getByRole('button', { name: 'Add account' }).click();
    const select = app.getByRole('dialog', { name: 'Add an AWS account' }).getByRole('combobox', { name: 'Default region' });
    await expect(select).toHaveValue('us-east-1');
    // Room for the widest option's text, its padding and the arrow, measured with the select's own font.
    const fit = await select.evaluate((element) => {
      const box = element as HTMLSelectElement;
      const style = getComputedStyle(box);
      const context = document.createElement('canvas').getContext('2d');
      if (!context) return { need: Number.NaN, have: 0, widest: '' };
      context.font = style.font;
      let widest = '';
      for (const option of Array.from(box.options)) if (context.measureText(option.text).width > context.measureText(widest).width) widest = option.text;
      const need = context.measureText(widest).width + parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
      return { need, have: box.clientWidth, widest };
    });
    expect(fit.widest).toContain(' · ');
    expect(fit.have).toBeGreaterThanOrEqual(fit.need);
  });
});
