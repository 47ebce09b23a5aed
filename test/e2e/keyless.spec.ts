import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateInstanceConnectEndpointCommand, CreateKeyPairCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, openInstances } from './aws-fixtures';
import { expect, terminalHost, test, waitForLine } from './ssh-fixtures';

/**
 * Keyless access (issue 15) end to end: the built renderer in Chromium, the real services behind the bridge,
 * the simulator's EC2 Instance Connect installing each pushed key on a real sshd, and GetPasswordData
 * encrypting a Windows password to a key pair the simulator made.
 */
test.describe('keyless access', () => {
  test('connects with EC2 Instance Connect with no key imported and runs a command', async ({ app, hangar, sim, sshd, seeded, addAccount, routeToSshd }) => {
    test.setTimeout(60_000);
    await addAccount();
    await routeToSshd(seeded.web);
    // web-1 runs Amazon Linux 2023 (which has Instance Connect); the rig's sshd stands in for it.
    sim.setImageName(sim.instance(seeded.web)?.imageId ?? '', 'al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64');
    sim.attachSshd(seeded.web, sshd);

    // No key in Hangar.
    await app.keyboard.press('Control+1');
    await expect(app.getByRole('region', { name: 'SSH keys' })).toBeVisible();
    expect(await hangar.harness.services.keys.list()).toEqual([]);

    await openInstances(app);
    await app.getByRole('button', { name: 'Ways into web-1' }).click();
    await app.getByRole('menuitem', { name: /^Connect with Instance Connect/ }).click();
    const trust = app.getByRole('dialog', { name: "Trust web-1's host key?" });
    await expect(trust).toBeVisible({ timeout: 15_000 });
    await expect(trust.getByTestId('host-key-fingerprint')).toHaveText(sshd.hostKeyFingerprintSha256);
    await trust.getByRole('button', { name: 'Trust and connect' }).click();

    const tab = app.getByRole('tab', { name: new RegExp(`^web-1 — ${sshd.username}`) });
    await expect(tab).toBeVisible({ timeout: 15_000 });
    await terminalHost(app).click();
    await app.keyboard.type('echo keyless-$((40+2))\n');
    await waitForLine(app, /^keyless-42$/);

    // Two pushes (the first attempt stopped at the host key question), each a fresh key for the rig's user.
    const pushes = sim.instanceConnectPushes.filter((p) => p.instanceId === seeded.web);
    expect(pushes.length).toBeGreaterThanOrEqual(1);
    expect(pushes.every((p) => p.osUser === sshd.username && p.installed && p.publicKey.startsWith('ssh-ed25519 '))).toBe(true);
    expect(new Set(pushes.map((p) => p.publicKey)).size).toBe(pushes.length);
    // Still nothing stored: the keychain holds the account's access key and nothing else.
    expect(await hangar.harness.services.keys.list()).toEqual([]);
    expect((await hangar.harness.services.secrets.keys()).filter((key) => !key.startsWith('aws:'))).toEqual([]);
  });

  test('Connect uses Instance Connect on its own when no key is held', async ({ app, sim, sshd, seeded, addAccount, routeToSshd }) => {
    test.setTimeout(60_000);
    await addAccount();
    await routeToSshd(seeded.web);
    sim.setImageName(sim.instance(seeded.web)?.imageId ?? '', 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241119');
    sim.attachSshd(seeded.web, sshd);
    await openInstances(app);
    await app.getByRole('button', { name: 'Connect to web-1', exact: true }).click();
    await app.getByRole('dialog', { name: "Trust web-1's host key?" }).getByRole('button', { name: 'Trust and connect' }).click();
    await expect(app.getByRole('tab', { name: new RegExp(`^web-1 — ${sshd.username}`) })).toBeVisible({ timeout: 15_000 });
    await terminalHost(app).click();
    await app.keyboard.type('echo auto-$((6*7))\n');
    await waitForLine(app, /^auto-42$/);
    expect(sim.instanceConnectPushes.some((p) => p.instanceId === seeded.web && p.installed)).toBe(true);
  });

  test('an instance with no public IP: Connect goes through its VPC\'s EC2 Instance Connect Endpoint', async ({ app, hangar, sim, sshd, addAccount }) => {
    test.setTimeout(60_000);
    await addAccount();
    const id = sim.addInstance('us-east-1', { publicIp: null, privateIp: '10.0.9.40', keyName: 'lab-key', name: 'private-1' });
    sim.setImageName(sim.instance(id)?.imageId ?? '', 'al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64');
    sim.attachSshd(id, sshd);
    // The rig's login user (no host: the address is the endpoint's business).
    await hangar.harness.services.terminals.setOverride(id, { user: sshd.username });
    const ec2 = new EC2Client({ region: 'us-east-1', endpoint: sim.url, credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY } });
    let endpointId = '';
    try {
      endpointId = (await ec2.send(new CreateInstanceConnectEndpointCommand({ SubnetId: sim.instance(id)?.subnetId ?? '' }))).InstanceConnectEndpoint?.InstanceConnectEndpointId ?? '';
    } finally {
      ec2.destroy();
    }
    await openInstances(app);
    // The row says how: Instance Connect (no key held) through the endpoint.
    const ways = app.getByRole('button', { name: 'Ways into private-1' });
    await expect(ways).toContainText('EICE', { timeout: 15_000 });
    await expect(ways).toContainText('IC');
    await app.getByRole('button', { name: 'Connect to private-1', exact: true }).click();
    const trust = app.getByRole('dialog', { name: "Trust private-1's host key?" });
    await expect(trust.getByTestId('host-key-fingerprint')).toHaveText(sshd.hostKeyFingerprintSha256, { timeout: 15_000 });
    await trust.getByRole('button', { name: 'Trust and connect' }).click();
    await expect(app.getByRole('tab', { name: new RegExp(`^private-1 — ${sshd.username}`) })).toBeVisible({ timeout: 15_000 });
    await terminalHost(app).click();
    await app.keyboard.type('echo eice-$((40+2))\n');
    await waitForLine(app, /^eice-42$/);
    expect(sim.instanceConnectEndpoints.tunnels.filter((t) => t.instanceId === id).map((t) => [t.endpointId, t.privateIp, t.remotePort])).toContainEqual([endpointId, '10.0.9.40', 22]);
  });

  test('gets a Windows password, decrypted with the imported key pair, and opens RDP', async ({ app, hangar, sim, addAccount }) => {
    test.setTimeout(60_000);
    await addAccount();
    // An RSA key pair EC2 made; its .pem is what the user downloaded.
    const ec2 = new EC2Client({ region: 'us-east-1', endpoint: sim.url, credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY } });
    const made = await ec2.send(new CreateKeyPairCommand({ KeyName: 'win-key', KeyType: 'rsa' }));
    ec2.destroy();
    const dir = await mkdtemp(join(tmpdir(), 'hangar-e2e-win-'));
    const pem = join(dir, 'win-key.pem');
    await writeFile(pem, made.KeyMaterial ?? '', { mode: 0o600 });
    const id = sim.addInstance('us-east-1', { name: 'win-1', platformDetails: 'Windows', keyName: 'win-key', publicIp: '203.0.113.50' });
    // Windows has not set its password yet.
    sim.windowsPasswordDelayMs = 60 * 60_000;
    try {
      await app.keyboard.press('Control+1');
      hangar.harness.queuePickedFiles([pem]);
      await app.getByRole('region', { name: 'SSH keys' }).getByRole('button', { name: 'Import key…' }).click();
      await expect(app.getByRole('listitem', { name: 'win-key' })).toContainText('ssh-rsa');

      await openInstances(app);
      await app.getByRole('button', { name: 'Windows password of win-1' }).click();
      const dialog = app.getByRole('dialog', { name: 'Windows password — win-1' });
      await expect(dialog).toBeVisible();
      await expect(dialog).toContainText('Password not ready yet');
      await expect(dialog).toContainText('about 4 minutes after launch');

      // Ready now: Retry decrypts it.
      sim.windowsPasswordDelayMs = 0;
      await dialog.getByRole('button', { name: 'Retry' }).click();
      await expect(dialog.getByTestId('windows-password')).toHaveText(sim.windowsPassword(id));
      await expect(dialog).toContainText('Administrator');
      await expect(dialog.getByRole('button', { name: 'Copy the Administrator password' })).toBeVisible();

      await dialog.getByRole('button', { name: 'Open Remote Desktop to win-1' }).click();
      await expect(dialog.getByRole('status').filter({ hasText: 'Opened a Remote Desktop file' })).toBeVisible();
      const rdp = hangar.harness.openedPaths.at(-1) ?? '';
      expect(rdp).toMatch(/win-1\.rdp$/);
      const text = await readFile(rdp, 'utf8');
      expect(text).toContain('full address:s:203.0.113.50\r\n');
      expect(text).toContain('username:s:Administrator\r\n');
      expect(text).not.toContain(sim.windowsPassword(id));

      // Closing forgets it.
      await app.keyboard.press('Escape');
      await expect(dialog).toBeHidden();
      await rm(rdp, { force: true });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
