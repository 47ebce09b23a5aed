import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { expect, grid, openInstances, row, test } from './aws-fixtures';
import { openApp } from './fixtures';
import { terminalHost, waitForLine } from './ssh-fixtures';
import { startIpEcho } from './ip-echo';
import { generateKeyPair } from '../support/sshd';

/**
 * The Launch flow end to end: the built renderer in Chromium, the real services behind the bridge, the EC2
 * simulator with a real sshd for every launched instance (127.0.0.<n>:22), and a local IP echo service.
 */
test.use({ launchSshd: true });

let echo: { stop(): Promise<void> } | undefined;

test.afterEach(async () => {
  await echo?.stop();
  echo = undefined;
});

async function useIpEcho(ip: string): Promise<void> {
  echo = await startIpEcho(ip);
}

test.describe('launch', () => {
  test('creates a key pair and a my-IP group, launches 2 Ubuntu instances, sees them running and runs a command on one', async ({
    app,
    hangar,
    sim,
    addAccount,
  }) => {
    test.setTimeout(120_000);
    await useIpEcho('203.0.113.7');
    await addAccount();
    await openInstances(app);
    await expect(row(app, 'web-1')).toBeVisible();

    await app.getByRole('button', { name: 'Launch', exact: true }).click();
    const dialog = app.getByRole('dialog', { name: /^Launch instances in .*\(us-east-1\)$/ });
    await expect(dialog).toBeVisible();

    // Image: the Ubuntu 24.04 preset, resolved in us-east-1 through SSM.
    const ubuntu = dialog.getByRole('radio', { name: 'Ubuntu 24.04 LTS x86_64' });
    await expect(ubuntu).toBeVisible({ timeout: 15_000 });
    await ubuntu.check();
    await expect(dialog.getByRole('radiogroup', { name: 'Recommended images' })).toContainText('ubuntu-noble-24.04-amd64-server');
    await dialog.getByRole('button', { name: 'Next' }).click();

    // Type: x86_64 only, with the free-tier badge and a price.
    const types = dialog.getByRole('table', { name: 'Instance types' });
    await expect(types).toBeVisible({ timeout: 15_000 });
    await expect(types.getByRole('radio', { name: 't4g.micro' })).toHaveCount(0);
    const micro = types.getByRole('row').filter({ has: app.getByRole('radio', { name: 't3.micro', exact: true }) });
    await expect(micro).toContainText('Free tier');
    await expect(micro).toContainText(/\$0\.\d{4}\/h/);
    await micro.getByRole('radio').check();
    // Enter moves on.
    await micro.getByRole('radio').press('Enter');

    // Key pair: created by AWS, private key into the keychain, a .pem saved owner-only.
    await dialog.getByRole('textbox', { name: 'Key pair name' }).fill('lab-launch');
    await dialog.getByRole('button', { name: 'Create key pair' }).click();
    await expect(dialog.getByRole('status').filter({ hasText: 'Created “lab-launch”' })).toBeVisible({ timeout: 15_000 });
    await expect(dialog.getByRole('radio', { name: 'lab-launch' })).toBeChecked();
    await expect(dialog.getByRole('radiogroup', { name: 'Key pairs' })).toContainText('Key in Hangar');
    expect(sim.keyPair('us-east-1', 'lab-launch')?.tags['hangar:created-by']).toBe('Hangar');
    const saveDir = await mkdtemp(join(tmpdir(), 'hangar-e2e-pem-'));
    try {
      const pemPath = join(saveDir, 'lab-launch.pem');
      hangar.harness.queueSavePath(pemPath);
      await dialog.getByRole('button', { name: 'Save .pem…' }).click();
      await expect(dialog).toContainText(`Saved to ${pemPath}`);
      expect((await stat(pemPath)).mode & 0o777).toBe(0o600);
      expect(await readFile(pemPath, 'utf8')).toContain('PRIVATE KEY');
    } finally {
      await rm(saveDir, { recursive: true, force: true });
    }
    await dialog.getByRole('button', { name: 'Next' }).click();

    // Network: hangar-ssh allowing TCP 22 from the echoed IP only.
    await expect(dialog).toContainText('Your public IP is 203.0.113.7', { timeout: 15_000 });
    await dialog.getByRole('button', { name: 'Create hangar-ssh for my IP' }).click();
    const group = dialog.getByRole('checkbox', { name: /^hangar-ssh \(sg-/ });
    await expect(group).toBeChecked({ timeout: 15_000 });
    await expect(dialog).toContainText('SSH from 203.0.113.7/32');
    const groupId = /\((sg-[0-9a-f]+)\)/.exec((await group.getAttribute('aria-label')) ?? '')?.[1] ?? '';
    expect(sim.securityGroupRules('us-east-1', groupId).filter((r) => !r.egress).map((r) => [r.protocol, r.fromPort, r.cidrIpv4])).toEqual([['tcp', 22, '203.0.113.7/32']]);
    await dialog.getByRole('button', { name: 'Next' }).click();

    // Details: two instances named train-1, train-2.
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('train');
    await dialog.getByRole('textbox', { name: 'Number of instances' }).fill('2');
    await expect(dialog).toContainText('Named train-1 … train-2');
    await dialog.getByRole('button', { name: 'Next' }).click();

    // Review: the dry run passes, the cost is for 2, the CLI line is shown.
    await expect(dialog.getByRole('status').filter({ hasText: 'Dry run passed' })).toBeVisible({ timeout: 15_000 });
    await expect(dialog.getByRole('group', { name: 'Estimated cost' })).toContainText('for 2 × t3.micro');
    await dialog.getByText('The same launch with the AWS CLI').click();
    await expect(dialog.getByLabel('AWS CLI command')).toContainText('aws ec2 run-instances');
    await expect(dialog.getByLabel('AWS CLI command')).toContainText('--count 2');
    await expect(dialog.getByLabel('AWS CLI command')).toContainText('--key-name lab-launch');
    await dialog.getByRole('button', { name: 'Launch 2 instances' }).click();

    // Launched: followed until SSH answers; the table shows them running and selected.
    const launched = dialog.getByRole('list', { name: 'Launched instances' });
    await expect(launched).toContainText('train-1');
    await expect(launched).toContainText('train-2');
    for (const name of ['train-1', 'train-2']) {
      await expect(dialog.getByRole('button', { name: `Connect to ${name}` })).toBeVisible({ timeout: 30_000 });
    }
    expect(sim.launchErrors).toEqual([]);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(dialog).toBeHidden();
    for (const name of ['train-1', 'train-2']) {
      await expect(row(app, name)).toHaveAttribute('aria-selected', 'true', { timeout: 15_000 });
      await expect(row(app, name)).toContainText('Running', { timeout: 15_000 });
    }
    await expect(grid(app)).toBeVisible();

    // A terminal on one of them: the key from the keychain, the host key vouched for by the console output.
    await app.getByRole('button', { name: 'Connect to train-1' }).click();
    const user = userInfo().username;
    const tab = app.getByRole('tab', { name: new RegExp(`^train-1 — ${user}`) });
    await expect(tab).toBeVisible({ timeout: 30_000 });
    await terminalHost(app).click();
    await app.keyboard.type('echo launched-$((6*7))\n');
    await waitForLine(app, /^launched-42$/);
  });
});

test.describe('launch problems', () => {
  test.use({ launchSshd: false });

  test('offline IP echo asks for the address; DryRun names the missing permission; a vCPU quota refusal says how to raise it', async ({ app, sim, addAccount }) => {
    test.setTimeout(90_000);
    // Nothing listens there: the echo service is "unreachable".
    process.env.HANGAR_IP_ECHO_URL = 'http://127.0.0.1:9/';
    sim.setVcpuQuota('G and VT', 0);
    await addAccount();
    await openInstances(app);
    await app.getByRole('button', { name: 'Launch', exact: true }).click();
    const dialog = app.getByRole('dialog', { name: /^Launch instances in / });

    await dialog.getByRole('radio', { name: 'Deep Learning AMI (GPU, PyTorch) x86_64' }).check({ timeout: 15_000 });
    await dialog.getByRole('button', { name: 'Next' }).click();
    // GPU only is preselected for a GPU image; the quota note reads Service Quotas.
    await expect(dialog.getByRole('checkbox', { name: 'GPU only' })).toBeChecked();
    await dialog.getByRole('radio', { name: 'g5.xlarge' }).check({ timeout: 15_000 });
    await expect(dialog.getByRole('note')).toContainText('0 vCPUs of G and VT instances', { timeout: 15_000 });
    await dialog.getByRole('button', { name: 'Next' }).click();
    await dialog.getByRole('button', { name: 'Next' }).click();

    // No IP from the echo service: the error with its fix, and a field to type it.
    await expect(dialog.getByRole('alert').filter({ hasText: 'Hangar could not learn your public IP address.' })).toBeVisible({ timeout: 15_000 });
    await dialog.getByRole('textbox', { name: 'Your public IP address' }).fill('198.51.100.5');
    // 0.0.0.0/0 is an explicit choice, with a warning; not taken here.
    const anywhere = dialog.getByRole('checkbox', { name: 'Allow SSH from anywhere (0.0.0.0/0)' });
    await anywhere.check();
    await expect(dialog.getByRole('alert').filter({ hasText: 'Anyone on the internet can then try to log in on port 22' })).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Create hangar-ssh open to anywhere' })).toBeVisible();
    await anywhere.uncheck();
    await dialog.getByRole('button', { name: 'Create hangar-ssh for my IP' }).click();
    const group = dialog.getByRole('checkbox', { name: /^hangar-ssh \(sg-/ });
    await expect(group).toBeChecked({ timeout: 15_000 });
    await expect(dialog).toContainText('SSH from 198.51.100.5/32');
    const groupId = /\((sg-[0-9a-f]+)\)/.exec((await group.getAttribute('aria-label')) ?? '')?.[1] ?? '';
    expect(sim.securityGroupRules('us-east-1', groupId).filter((r) => !r.egress).map((r) => r.cidrIpv4)).toEqual(['198.51.100.5/32']);
    await dialog.getByRole('button', { name: 'Next' }).click();
    await dialog.getByRole('button', { name: 'Next' }).click();

    // Tagging denied: the dry run says which permission is missing; allowed again, it passes.
    await expect(dialog.getByRole('status').filter({ hasText: 'Dry run passed' })).toBeVisible({ timeout: 15_000 });
    sim.denyActions(['ec2:CreateTags']);
    await dialog.getByRole('button', { name: 'Back' }).click();
    await dialog.getByRole('button', { name: 'Next' }).click();
    const denied = dialog.getByRole('alert').filter({ hasText: 'Dry run: permission missing' });
    await expect(denied).toBeVisible({ timeout: 15_000 });
    await expect(denied.getByRole('listitem')).toHaveText(['ec2:CreateTags']);
    sim.allowActions();
    await denied.getByRole('button', { name: 'Check again' }).click();
    await expect(dialog.getByRole('status').filter({ hasText: 'Dry run passed' })).toBeVisible({ timeout: 15_000 });

    // The launch itself runs into the vCPU quota: the message and how to raise it.
    await dialog.getByRole('button', { name: 'Launch 1 instance' }).click();
    const failed = dialog.getByRole('alert').filter({ hasText: 'The launch failed' });
    await expect(failed).toBeVisible({ timeout: 15_000 });
    await expect(failed).toContainText("over your account's vCPU limit");
    await expect(failed).toContainText('console.aws.amazon.com/servicequotas');
    await app.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  });
});

test.describe('a later launch', () => {
  test.use({ launchSshd: false });

  test('hangar-ssh is preselected and Update my IP says why it waits; no SSH group is warned about; the CLI is what is launched; rows follow EC2 and say what to check', async ({
    page,
    hangar,
    sim,
    addAccount,
  }) => {
    test.setTimeout(120_000);
    // The echo service is unreachable this time; hangar-ssh exists from an earlier launch.
    process.env.HANGAR_IP_ECHO_URL = 'http://127.0.0.1:9/';
    const account = await addAccount();
    const services = hangar.harness.services;
    const vpcId = sim.defaultVpc('us-east-1')?.vpcId ?? '';
    const group = await services.launch.createSshGroup({ accountId: account.id, region: 'us-east-1', vpcId, source: '203.0.113.7' });
    // Port 22 that accepts and never answers: where the new instances' SSH probes go.
    const held = new Set<Socket>();
    const silent = createNetServer((socket) => {
      held.add(socket);
      socket.on('close', () => held.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      // The page's clock runs normally until the test moves it on.
      await page.clock.install();
      await openApp(page, hangar.harness.url);
      await openInstances(page);
      await page.getByRole('button', { name: 'Launch', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: /^Launch instances in / });
      await dialog.getByRole('radio', { name: 'Ubuntu 24.04 LTS x86_64' }).check({ timeout: 15_000 });
      await dialog.getByRole('button', { name: 'Next' }).click();
      await dialog.getByRole('radio', { name: 't3.micro', exact: true }).check({ timeout: 15_000 });
      await dialog.getByRole('button', { name: 'Next' }).click();
      await dialog.getByRole('button', { name: 'Next' }).click();

      // Network: the group made last time is chosen; why Update my IP is disabled, and how to enable it.
      const ours = dialog.getByRole('checkbox', { name: `hangar-ssh (${group.groupId})` });
      await expect(ours).toBeChecked({ timeout: 15_000 });
      const why = dialog.getByRole('note', { name: 'Update my IP' });
      await expect(why).toContainText('Hangar could not learn your public IP address');
      await expect(why).toContainText('disabled: type your address below');
      const update = dialog.getByRole('button', { name: 'Update my IP' });
      await expect(update).toBeDisabled();
      await dialog.getByRole('textbox', { name: 'Your public IP address' }).fill('198.51.100.9');
      await expect(update).toBeEnabled();
      await expect(why).toContainText('it will allow 198.51.100.9/32');

      // Without an SSH group, the Review says SSH will not answer.
      await ours.uncheck();
      await dialog.getByRole('button', { name: 'Next' }).click();
      await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('acc');
      await dialog.getByRole('textbox', { name: 'Number of instances' }).fill('2');
      await dialog.getByRole('button', { name: 'Next' }).click();
      const warning = dialog.getByRole('note', { name: 'SSH will not answer' });
      await expect(warning).toContainText('the VPC’s default security group');
      await expect(warning).toContainText('Hangar cannot connect');
      await dialog.getByRole('button', { name: 'Back' }).click();
      await dialog.getByRole('button', { name: 'Back' }).click();
      await ours.check();
      await dialog.getByRole('button', { name: 'Next' }).click();
      await dialog.getByRole('button', { name: 'Next' }).click();
      await expect(dialog.getByRole('status').filter({ hasText: 'Dry run passed' })).toBeVisible({ timeout: 15_000 });
      await expect(warning).toHaveCount(0);

      // The CLI: the names and the volume's Name tag the launch really gives.
      await dialog.getByText('The same launch with the AWS CLI').click();
      const cli = dialog.getByLabel('AWS CLI command');
      await expect(cli).toContainText('ResourceType=instance,Tags=[{Key=Name,Value=acc-1},');
      await expect(cli).toContainText('ResourceType=volume,Tags=[{Key=Name,Value=acc},');
      await expect(cli).toContainText('--resources INSTANCE_2_ID --tags Key=Name,Value=acc-2');
      await dialog.getByRole('button', { name: 'Launch 2 instances' }).click();

      const launched = dialog.getByRole('list', { name: 'Launched instances' });
      await expect(launched).toContainText('acc-2', { timeout: 15_000 });
      const ids = (await launched.innerText()).match(/i-[0-9a-f]{8,17}/g) ?? [];
      expect(ids).toHaveLength(2);
      for (const id of ids) await services.terminals.setOverride(id, { host: `127.0.0.1:${(silent.address() as AddressInfo).port}` });
      await expect.poll(() => ids.map((id) => sim.instance(id)?.tags.Name).sort(), { timeout: 15_000 }).toEqual(['acc-1', 'acc-2']);
      expect(ids.map((id) => sim.instance(id)?.rootVolume.tags.Name)).toEqual(['acc', 'acc']);

      // EC2 says running while SSH is still being tried: the rows say so, not "pending…".
      await expect.poll(() => held.size, { timeout: 30_000 }).toBeGreaterThan(0);
      await expect(launched.getByRole('status')).toHaveText(['running · waiting for SSH…', 'running · waiting for SSH…'], { timeout: 1_000 });

      // Minutes later SSH still has not answered: each row says what to check.
      await page.clock.fastForward('03:00');
      const hint = launched.getByRole('note', { name: 'SSH on acc-1' });
      await expect(hint).toContainText('has not answered for 3 minutes', { timeout: 20_000 });
      await expect(hint).toContainText('security group allows TCP port 22');
      await expect(hint).toContainText('private key is in Hangar');
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

test.describe('Update my IP from a terminal', () => {
  test.use({ launchSshd: false });

  test('a terminal that timed out on port 22 offers Update my IP, which swaps the hangar-ssh rule to the current IP', async ({ app, hangar, sim, addAccount }) => {
    test.setTimeout(90_000);
    const account = await addAccount();
    const services = hangar.harness.services;
    const vpcId = sim.defaultVpc('us-east-1')?.vpcId ?? '';
    // Made when the user's IP was 203.0.113.7; it has changed since.
    const group = await services.launch.createSshGroup({ accountId: account.id, region: 'us-east-1', vpcId, source: '203.0.113.7' });
    await useIpEcho('198.51.100.77');
    const instanceId = sim.addInstance('us-east-1', { name: 'ip-box', keyName: 'ip-key', securityGroups: [{ id: group.groupId, name: group.groupName }] });
    await services.keys.importMaterial({ name: 'ip-key', privateKey: (await generateKeyPair('ed25519')).privateKey });
    // Port 22 that accepts and never answers, like a security group dropping the packets.
    const held = new Set<Socket>();
    const silent = createNetServer((socket) => {
      held.add(socket);
      socket.on('close', () => held.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      await services.terminals.setOverride(instanceId, { host: `127.0.0.1:${(silent.address() as AddressInfo).port}` });
      await openInstances(app);
      await app.getByRole('button', { name: 'Connect to ip-box' }).click();
      const failed = app.getByRole('alert').filter({ hasText: 'Could not connect to ip-box' });
      await expect(failed).toBeVisible({ timeout: 60_000 });
      await expect(failed).toContainText('Port 22 is probably closed to you');
      await failed.getByRole('button', { name: 'Update my IP' }).click();
      await expect(failed.getByRole('status')).toHaveText('SSH is now allowed from 198.51.100.77/32. Retry to connect.', { timeout: 15_000 });
      expect(sim.securityGroupRules('us-east-1', group.groupId).filter((r) => !r.egress).map((r) => r.cidrIpv4)).toEqual(['198.51.100.77/32']);
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
