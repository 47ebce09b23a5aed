import { expect, openInstances, row, showColumn, test } from './aws-fixtures';

const FINGERPRINT = 'SHA256:Xq0tZ3bCw8WcFZtI3D0n9vYkq0E7a1h3VhJrPpS9s1Y';
const CLOUD_INIT = [
  '[    0.000000] Linux version 6.8.0-1018-aws (buildd@lcy02-amd64-046) #19-Ubuntu SMP',
  "[    9.612044] cloud-init[512]: Cloud-init v. 24.3.1 running 'init'. Up 9.52 seconds.",
  'ec2: #############################################################',
  'ec2: -----BEGIN SSH HOST KEY FINGERPRINTS-----',
  `ec2: 256 ${FINGERPRINT} root@ip-172-31-0-9 (ED25519)`,
  'ec2: -----END SSH HOST KEY FINGERPRINTS-----',
  'ec2: #############################################################',
  'Ubuntu 24.04 LTS ip-172-31-0-9 ttyS0',
].join('\n');

/** The instance's console and network (issue 19): console output and screen, inbound rules, Elastic IPs, against the simulator. */
test.describe('console and network of an instance', () => {
  test('the console tab shows the simulator’s console text with the fingerprints highlighted, the screen, and the serial console', async ({ app, sim, seeded, hangar, addAccount }) => {
    sim.setSerialConsoleAccess(true);
    await addAccount();
    await openInstances(app);

    await row(app, 'web-1').getByRole('button', { name: 'Console and network of web-1' }).click();
    const dialog = app.getByRole('dialog', { name: 'web-1 — console and network' });
    await expect(dialog.getByRole('tab', { name: 'Console', selected: true })).toBeVisible();
    // Nothing printed yet: AWS sends no output for the first minutes.
    await expect(dialog.getByRole('region', { name: 'No console output yet' })).toBeVisible({ timeout: 15_000 });

    sim.setConsoleOutput(seeded.web, CLOUD_INIT);
    await dialog.getByRole('button', { name: 'Refresh' }).click();
    const text = dialog.getByLabel('Console output of web-1');
    await expect(text).toContainText('Ubuntu 24.04 LTS ip-172-31-0-9 ttyS0', { timeout: 15_000 });
    const keys = text.locator('mark');
    await expect(keys).toHaveCount(1);
    await expect(keys).toContainText(FINGERPRINT);
    await expect(keys).toContainText('-----BEGIN SSH HOST KEY FINGERPRINTS-----');
    await expect(keys).not.toContainText('Linux version');
    await expect(dialog.getByRole('status').first()).toHaveText(/^Live console output as of /);

    const screen = dialog.getByRole('img', { name: 'What the screen of web-1 shows (GetConsoleScreenshot)' });
    await expect(screen).toBeVisible();
    expect(await screen.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(160);

    const serial = dialog.getByRole('note', { name: 'EC2 serial console' });
    await expect(serial).toContainText('EC2 serial console access is on');
    await serial.getByRole('button', { name: 'Open the EC2 serial console' }).click();
    await expect
      .poll(() => [...hangar.harness.openedExternally])
      .toEqual([`https://us-east-1.console.aws.amazon.com/ec2/home?region=us-east-1#ConnectToInstance:instanceId=${seeded.web}`]);

    // Keyboard: the tabs move with the arrow keys.
    await dialog.getByRole('tab', { name: 'Console' }).focus();
    await app.keyboard.press('ArrowRight');
    await expect(dialog.getByRole('tab', { name: 'Firewall', selected: true })).toBeFocused();
  });

  test('adds an inbound rule for a teammate’s IP with a description, refuses a bad CIDR and a duplicate at the field, warns about 0.0.0.0/0, and removes the rule', async ({ app, sim, seeded, addAccount }) => {
    await addAccount();
    await openInstances(app);
    const group = sim.defaultVpc('us-east-1')?.defaultGroupId ?? '';
    expect(sim.instance(seeded.web)?.securityGroupIds).toEqual([group]);

    await row(app, 'web-1').getByRole('button', { name: 'Console and network of web-1' }).click();
    const dialog = app.getByRole('dialog', { name: 'web-1 — console and network' });
    await dialog.getByRole('tab', { name: 'Firewall' }).click();
    const rules = dialog.getByRole('list', { name: 'Inbound rules of default' });
    await expect(rules.getByRole('listitem')).toHaveText([/^All traffic from instances in sg-/], { timeout: 15_000 });

    await dialog.getByRole('button', { name: 'Add a rule…' }).click();
    const form = dialog.getByRole('form', { name: 'Add an inbound rule' });
    const source = form.getByRole('textbox', { name: 'From (IP address or range)' });
    await source.fill('203.0.113.7/33');
    await expect(source).toHaveAccessibleDescription(/The part after “\/” must be a number from 0 to 32\./);
    await source.fill('10.0.0.5/24');
    await expect(source).toHaveAccessibleDescription(/did you mean 10\.0\.0\.0\/24\?/);
    await source.fill('0.0.0.0/0');
    await expect(form.getByRole('note', { name: 'Open to the internet' })).toContainText('SSH (22) is open to the whole internet');
    await source.fill('203.0.113.7');
    await expect(form.getByRole('note', { name: 'Open to the internet' })).toBeHidden();
    const description = form.getByRole('textbox', { name: 'Description (optional)' });
    await description.fill("Ana's laptop");
    await expect(description).toHaveAccessibleDescription(/does not allow “'”/);
    await expect(form.getByRole('button', { name: 'Add rule' })).toBeEnabled();
    await form.getByRole('button', { name: 'Add rule' }).click();
    // Refused at the field: nothing reached EC2.
    await expect(form.getByRole('button', { name: 'Add rule' })).toBeDisabled();
    expect(sim.requests.filter((r) => r.action === 'AuthorizeSecurityGroupIngress')).toHaveLength(0);
    await description.fill('Ana laptop');
    await form.getByRole('button', { name: 'Add rule' }).click();

    await expect(rules.getByRole('listitem').filter({ hasText: 'SSH (22) from 203.0.113.7/32 — Ana laptop' })).toBeVisible({ timeout: 15_000 });
    expect(sim.securityGroupRules('us-east-1', group)).toContainEqual(expect.objectContaining({ protocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '203.0.113.7/32', description: 'Ana laptop' }));

    // The same address again is a duplicate, a range around it an overlap: both refused before asking EC2.
    await dialog.getByRole('button', { name: 'Add a rule…' }).click();
    await source.fill('203.0.113.7');
    await expect(source).toHaveAccessibleDescription(/This rule already exists: SSH \(22\) from 203\.0\.113\.7\/32 — Ana laptop\./);
    await source.fill('203.0.113.0/24');
    await expect(source).toHaveAccessibleDescription(/Overlaps an existing rule/);
    await form.getByRole('button', { name: 'Cancel' }).click();

    await rules.getByRole('button', { name: 'Remove rule: SSH (22) from 203.0.113.7/32 — Ana laptop' }).click();
    const confirm = app.getByRole('dialog', { name: 'Remove this rule?' });
    await confirm.getByRole('button', { name: 'Remove rule' }).click();
    await expect(confirm).toBeHidden();
    await expect(rules.getByRole('listitem')).toHaveCount(1);
    expect(sim.securityGroupRules('us-east-1', group).some((r) => r.cidrIpv4 === '203.0.113.7/32')).toBe(false);
  });

  test('allocates an Elastic IP with its price said first, attaches it, detaches and releases it', async ({ app, sim, seeded, addAccount }) => {
    await addAccount();
    await openInstances(app);
    await showColumn(app, 'Public IPv4 / DNS');
    await row(app, 'web-1').getByRole('button', { name: 'Console and network of web-1' }).click();
    const dialog = app.getByRole('dialog', { name: 'web-1 — console and network' });
    await dialog.getByRole('tab', { name: 'Elastic IP' }).click();
    await expect(dialog.getByRole('note', { name: 'Elastic IP price' })).toContainText(
      'An Elastic IP not attached to a running instance bills at $0.005 per hour (about $3.65 a month)',
      { timeout: 15_000 },
    );
    await expect(dialog.getByText('No Elastic IPs in this region.')).toBeVisible();

    await dialog.getByRole('textbox', { name: 'Name for a new Elastic IP (optional)' }).fill('lab server');
    await dialog.getByRole('button', { name: 'Allocate Elastic IP' }).click();
    const list = dialog.getByRole('list', { name: 'Elastic IPs in this region' });
    await expect(list.getByRole('listitem')).toContainText(['idle — billing while unattached'], { timeout: 15_000 });
    const address = (await list.getByRole('listitem').locator('.mono').textContent()) ?? '';

    await list.getByRole('button', { name: `Attach ${address} (lab server) to this instance` }).click();
    await expect(list.getByRole('listitem')).toContainText(['attached to this instance'], { timeout: 15_000 });
    expect(sim.instance(seeded.web)?.publicIp).toBe(address);
    // The instance list asks EC2 again: the row shows the new public IP.
    await expect(row(app, 'web-1')).toContainText(address, { timeout: 15_000 });

    await list.getByRole('button', { name: `Detach ${address} (lab server)` }).click();
    await expect(list.getByRole('listitem')).toContainText(['idle — billing while unattached'], { timeout: 15_000 });
    await list.getByRole('button', { name: `Release ${address} (lab server)` }).click();
    await app.getByRole('dialog', { name: 'Release this Elastic IP?' }).getByRole('button', { name: 'Release' }).click();
    await expect(dialog.getByText('No Elastic IPs in this region.')).toBeVisible({ timeout: 15_000 });
  });
});
