import type { Locator, Page } from '@playwright/test';
import type { HarnessHandle } from './fixtures';
import { expect, importLabKey, terminalHost, test, waitForLine } from './ssh-fixtures';
import { openInstances } from './aws-fixtures';
import { startSocks5Proxy } from '../support/proxies';
import { startSshd } from '../support/sshd';

/**
 * Jump hosts and proxies end to end (issue 19): the route is set in the connection settings through the UI,
 * the terminal runs a command on the rig's sshd, and the bastion / the proxy say they carried it.
 */

async function connectAndRun(app: Page, marker: string): Promise<void> {
  await app.getByRole('button', { name: 'Connect to web-1' }).click();
  await app.getByRole('dialog', { name: "Trust web-1's host key?" }).getByRole('button', { name: 'Trust and connect' }).click();
  await expect(app.getByRole('tab', { name: /^web-1 — / })).toBeVisible({ timeout: 20_000 });
  await terminalHost(app).click();
  await app.keyboard.type(`echo ${marker}-$((6*7))\n`);
  await waitForLine(app, new RegExp(`^${marker}-42$`));
}

/** The key imported, then web-1's connection settings opened from the Instances screen. */
async function openSettings(app: Page, hangar: HarnessHandle, keyFile: string): Promise<Locator> {
  await importLabKey(app, hangar.harness, keyFile);
  await openInstances(app);
  await app.getByRole('button', { name: 'Connection settings for web-1' }).click();
  return app.getByRole('dialog', { name: 'Connection settings for web-1' });
}

test.describe('routes', () => {
  test('a jump host set in the connection settings, its key fetched and checked, carries the terminal', async ({ app, hangar, sshd, seeded, userKeyFile, addAccount, routeToSshd }) => {
    test.setTimeout(90_000);
    const bastion = await startSshd({ authorizedKeys: [sshd.userPublicKey] });
    try {
      await addAccount();
      await routeToSshd(seeded.web);
      const settings = await openSettings(app, hangar, userKeyFile);
      await settings.getByRole('textbox', { name: /^Jump host(?! fingerprint)/ }).fill('not a jump host');
      await settings.getByRole('button', { name: 'Save', exact: true }).click();
      // Refused at the field, nothing saved.
      await expect(settings.getByText('Write it as user@host or user@host:port.')).toBeVisible();
      expect(hangar.harness.services.terminals.getOverride(seeded.web).jumpHost).toBeUndefined();

      await settings.getByRole('textbox', { name: /^Jump host(?! fingerprint)/ }).fill(`${bastion.username}@127.0.0.1:${bastion.port}`);
      await settings.getByRole('button', { name: "Fetch the jump host's key" }).click();
      await expect(settings.getByRole('textbox', { name: /^Jump host fingerprint/ })).toHaveValue(bastion.hostKeyFingerprintSha256);
      await expect(settings).toContainText('Compare it with what the bastion');
      await settings.getByRole('button', { name: 'Save', exact: true }).click();
      await expect(settings).toBeHidden();
      expect(hangar.harness.services.terminals.getOverride(seeded.web)).toMatchObject({ jumpHost: `${bastion.username}@127.0.0.1:${bastion.port}`, jumpHostKey: bastion.hostKeyFingerprintSha256 });

      await connectAndRun(app, 'via-bastion');
      expect(bastion.logs()).toMatch(/Accepted publickey for \S+ from 127\.0\.0\.1/);
    } finally {
      await bastion.stop();
    }
  });

  test('a SOCKS5 proxy set in the connection settings carries the terminal', async ({ app, hangar, sshd, seeded, userKeyFile, addAccount, routeToSshd }) => {
    test.setTimeout(90_000);
    const proxy = await startSocks5Proxy();
    try {
      await addAccount();
      await routeToSshd(seeded.web);
      const settings = await openSettings(app, hangar, userKeyFile);
      await settings.getByRole('textbox', { name: /^Proxy/ }).fill('socks5://127.0.0.1');
      await settings.getByRole('textbox', { name: /^Proxy/ }).fill(`ftp://127.0.0.1:${proxy.port}`);
      await settings.getByRole('button', { name: 'Save', exact: true }).click();
      await expect(settings.getByText(/Write it as socks5:\/\/host:port/)).toBeVisible();
      await settings.getByRole('textbox', { name: /^Proxy/ }).fill(proxy.url);
      await settings.getByRole('button', { name: 'Save', exact: true }).click();
      await expect(settings).toBeHidden();

      await connectAndRun(app, 'via-socks');
      expect(proxy.relayed).toContainEqual({ host: sshd.host, port: sshd.port });
    } finally {
      await proxy.close();
    }
  });
});
