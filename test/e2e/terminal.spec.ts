import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, fingerprintOf, terminalHost, test, waitForLine } from './ssh-fixtures';
import { openInstances } from './aws-fixtures';
import { openApp, type HarnessHandle } from './fixtures';
import { createKeysService } from '../../src/main/services/ssh/create-keys-service';
import { generateKeyPair } from '../support/sshd';

/**
 * The terminal end to end: the built renderer in Chromium, the real services behind the bridge, a real
 * OpenSSH sshd on loopback. The seeded instance web-1 (key pair lab-key) is routed to the sshd by a
 * connection override, which is test setup; everything else goes through the UI.
 */
test.describe('terminal', () => {
  test('imports the key, trusts the host key, runs a command and follows a resize', async ({ app, hangar, sshd, seeded, userKeyFile, addAccount, routeToSshd }) => {
    test.setTimeout(60_000);
    await addAccount();
    await routeToSshd(seeded.web);

    // Import the key pair's private key through the (simulated) native picker.
    await app.keyboard.press('Control+1');
    const keysPanel = app.getByRole('region', { name: 'SSH keys' });
    await expect(keysPanel).toBeVisible();
    hangar.harness.queuePickedFiles([userKeyFile]);
    await keysPanel.getByRole('button', { name: 'Import key…' }).click();
    const keyRow = keysPanel.getByRole('listitem', { name: 'lab-key' });
    await expect(keyRow).toBeVisible();
    await expect(keyRow).toContainText('ssh-ed25519');
    await expect(keyRow).toContainText(fingerprintOf(sshd.userPublicKey));

    // Connect: first contact asks about the host key, showing the server's real fingerprint.
    await openInstances(app);
    await app.getByRole('button', { name: 'Connect to web-1' }).click();
    const trust = app.getByRole('dialog', { name: "Trust web-1's host key?" });
    await expect(trust).toBeVisible({ timeout: 15_000 });
    await expect(trust.getByTestId('host-key-fingerprint')).toHaveText(sshd.hostKeyFingerprintSha256);
    await expect(trust).toContainText('ssh-ed25519');
    await trust.getByRole('button', { name: 'Trust and connect' }).click();
    await expect(trust).toBeHidden();

    const tab = app.getByRole('tab', { name: new RegExp(`^web-1 — ${sshd.username}`) });
    await expect(tab).toBeVisible({ timeout: 15_000 });
    await expect(tab).toHaveAttribute('aria-selected', 'true');
    await expect(app.getByRole('tabpanel', { name: new RegExp(`^web-1 — ${sshd.username}`) })).toBeVisible();

    // Type into the shell; the answer comes back through ssh2 and the bridge into xterm.
    await terminalHost(app).click();
    await app.keyboard.type('echo hangar-$((40+2))\n');
    await waitForLine(app, /^hangar-42$/);

    // The pty follows the terminal's size.
    await app.keyboard.type('echo "size1=$(stty size)"\n');
    const [, , cols1] = await waitForLine(app, /^size1=(\d+) (\d+)$/);
    await app.setViewportSize({ width: 960, height: 640 });
    await app.waitForTimeout(300);
    await app.keyboard.type('echo "size2=$(stty size)"\n');
    const [, rows2, cols2] = await waitForLine(app, /^size2=(\d+) (\d+)$/);
    // The window got narrower, so the terminal has fewer columns (rows depend on the page layout).
    expect(Number(cols2)).toBeLessThan(Number(cols1));
    expect(Number(rows2)).toBeGreaterThan(0);
  });

  test('connection settings turn on a persistent tmux session and forget the pinned host key', async ({ app, hangar, seeded, userKeyFile, addAccount, routeToSshd }) => {
    test.setTimeout(60_000);
    await addAccount();
    await routeToSshd(seeded.web);
    await app.keyboard.press('Control+1');
    hangar.harness.queuePickedFiles([userKeyFile]);
    await app.getByRole('region', { name: 'SSH keys' }).getByRole('button', { name: 'Import key…' }).click();
    await expect(app.getByRole('listitem', { name: 'lab-key' })).toBeVisible();

    // The settings show what is stored (the route to the sshd) and save the persistent switch.
    await openInstances(app);
    await app.getByRole('button', { name: 'Connection settings for web-1' }).click();
    const settings = app.getByRole('dialog', { name: 'Connection settings for web-1' });
    await expect(settings).toBeVisible();
    const routed = hangar.harness.services.terminals.getOverride(seeded.web);
    await expect(settings.getByRole('textbox', { name: /^Host/ })).toHaveValue(routed.host ?? '');
    await expect(settings.getByRole('combobox', { name: 'SSH key' })).toContainText('lab-key (ssh-ed25519)');
    await settings.getByRole('checkbox', { name: /^Persistent session \(tmux\)/ }).check();
    await settings.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(settings).toBeHidden();
    expect(hangar.harness.services.terminals.getOverride(seeded.web)).toEqual({ ...routed, persistent: true });

    // Connecting now runs the shell inside tmux, and the tab says so.
    await app.getByRole('button', { name: 'Connect to web-1' }).click();
    await app.getByRole('dialog', { name: "Trust web-1's host key?" }).getByRole('button', { name: 'Trust and connect' }).click();
    const tab = app.getByRole('tab', { name: /^web-1 — .*, persistent \(tmux\)/ });
    await expect(tab).toBeVisible({ timeout: 15_000 });
    await expect(tab).toContainText('persistent (tmux)');
    expect(hangar.harness.services.settings.get().hostKeys[seeded.web]).toBeDefined();

    // Forgetting the pin asks first, then unpins it.
    await openInstances(app);
    await app.getByRole('button', { name: 'Connection settings for web-1' }).click();
    await expect(settings).toBeVisible();
    await settings.getByRole('button', { name: 'Forget the pinned host key' }).click();
    expect(hangar.harness.services.settings.get().hostKeys[seeded.web]).toBeDefined();
    await settings.getByRole('button', { name: 'Forget host key', exact: true }).click();
    await expect(settings.getByRole('status')).toContainText('The host key was forgotten');
    expect(hangar.harness.services.settings.get().hostKeys[seeded.web]).toBeUndefined();
  });

  test('asks for the passphrase of an encrypted key when connecting, and connects once it is given', async ({ app, hangar, sshd, seeded, addAccount, routeToSshd }) => {
    test.setTimeout(60_000);
    await addAccount();
    await routeToSshd(seeded.web);
    // The situation of a new app run: the encrypted key is in the keychain, its passphrase is not (it was
    // imported without "remember" by an earlier run — here, a second keys service over the same stores).
    const pair = await generateKeyPair('ed25519', { passphrase: 'correct horse battery', name: 'lab-key', dir: await mkdtemp(join(tmpdir(), 'hangar-e2e-locked-')) });
    await sshd.authorizeKey(pair.publicKey);
    const earlierRun = createKeysService({ settings: hangar.harness.services.settings, secrets: hangar.harness.services.secrets });
    await earlierRun.import({ path: pair.privateKeyPath ?? '', name: 'lab-key', passphrase: 'correct horse battery', rememberPassphrase: false });

    await openInstances(app);
    await app.getByRole('button', { name: 'Connect to web-1' }).click();
    // The key is needed before the server is even asked, so the passphrase comes first.
    const unlock = app.getByRole('form', { name: 'Unlock lab-key' });
    await expect(unlock).toBeVisible({ timeout: 15_000 });
    await expect(app.getByText('protected by a passphrase')).toBeVisible();

    await unlock.getByRole('textbox', { name: 'Passphrase for lab-key' }).fill('not it');
    await unlock.getByRole('button', { name: 'Unlock and connect' }).click();
    await expect(unlock).toContainText('That passphrase did not unlock the key.');

    await unlock.getByRole('textbox', { name: 'Passphrase for lab-key' }).fill('correct horse battery');
    await unlock.getByRole('button', { name: 'Unlock and connect' }).click();
    await app.getByRole('dialog', { name: "Trust web-1's host key?" }).getByRole('button', { name: 'Trust and connect' }).click();
    await expect(app.getByRole('tab', { name: new RegExp(`^web-1 — ${sshd.username}`) })).toBeVisible({ timeout: 15_000 });
    await terminalHost(app).click();
    await app.keyboard.type('echo unlocked-$((6*7))\n');
    await waitForLine(app, /^unlocked-42$/);
    // Not remembered unless asked: nothing about the passphrase reached the keychain or the settings.
    const keyId = (await hangar.harness.services.keys.list())[0]?.id ?? '';
    expect(await hangar.harness.services.secrets.get(`ssh:${keyId}:passphrase`)).toBeUndefined();
    expect(JSON.stringify(hangar.harness.services.settings.get())).not.toContain('correct horse battery');
  });

  test('falls back to the DOM renderer without WebGL, styled and within the CSP', async ({ page, hangar, seeded, userKeyFile, addAccount, routeToSshd }) => {
    test.setTimeout(60_000);
    // No WebGL2 (old GPU, blocklisted driver): the addon fails and xterm renders rows as DOM spans.
    await page.addInitScript(() => {
      const original = HTMLCanvasElement.prototype.getContext;
      HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, ...args: unknown[]) {
        if (args[0] === 'webgl2') return null;
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      } as typeof original;
    });
    await addAccount();
    await routeToSshd(seeded.web);
    await openApp(page, hangar.harness.url);
    await page.keyboard.press('Control+1');
    hangar.harness.queuePickedFiles([userKeyFile]);
    await page.getByRole('region', { name: 'SSH keys' }).getByRole('button', { name: 'Import key…' }).click();
    await expect(page.getByRole('listitem', { name: 'lab-key' })).toBeVisible();
    await openInstances(page);
    await page.getByRole('button', { name: 'Connect to web-1' }).click();
    await page.getByRole('dialog', { name: "Trust web-1's host key?" }).getByRole('button', { name: 'Trust and connect' }).click();
    await terminalHost(page).click();
    // True-colour cells are the ones xterm styles per element; the fixture fails the test on any CSP report.
    await page.keyboard.type('printf "\\033[38;2;255;128;0mtrue\\033[48;2;0;64;128mcolour\\033[0m\\n"\n');
    await waitForLine(page, /^truecolour$/);
    const screen = terminalHost(page);
    await expect(screen.locator('canvas')).toHaveCount(0);
    await expect(screen.locator('.xterm-rows span', { hasText: /^true$/ }).first()).toHaveCSS('color', 'rgb(255, 128, 0)');
  });

  test('stopping the instance from Hangar ends its shell with a clear state, offers Start instead of Reconnect, and Start brings a new shell', async ({ app, hangar, seeded, sim, userKeyFile, addAccount, routeToSshd }) => {
    test.setTimeout(90_000);
    await addAccount();
    await routeToSshd(seeded.web);
    await app.keyboard.press('Control+1');
    hangar.harness.queuePickedFiles([userKeyFile]);
    await app.getByRole('region', { name: 'SSH keys' }).getByRole('button', { name: 'Import key…' }).click();
    await expect(app.getByRole('listitem', { name: 'lab-key' })).toBeVisible();
    await openInstances(app);
    await app.getByRole('button', { name: 'Connect to web-1' }).click();
    await app.getByRole('dialog', { name: "Trust web-1's host key?" }).getByRole('button', { name: 'Trust and connect' }).click();
    const tab = app.getByRole('tab', { name: /^web-1 — / });
    await expect(tab).toBeVisible({ timeout: 15_000 });
    await terminalHost(app).click();
    await app.keyboard.type('echo before-$((1+1))\n');
    await waitForLine(app, /^before-2$/);

    // Stop it from Hangar.
    await openInstances(app);
    await app.getByRole('checkbox', { name: 'Select web-1' }).check();
    await app.getByRole('toolbar', { name: 'Instance actions' }).getByRole('button', { name: 'Stop', exact: true }).click();
    await app.getByRole('dialog', { name: 'Stop web-1?' }).getByRole('button', { name: 'Stop instance' }).click();

    const stopped = app.getByRole('alert', { name: 'The instance was stopped' });
    await expect(stopped).toBeVisible({ timeout: 10_000 });
    await expect(stopped.getByRole('button', { name: 'Start instance' })).toBeVisible();
    await expect(app.getByRole('button', { name: 'Reconnect' })).toHaveCount(0);
    await expect(tab).toHaveAccessibleName(/instance stopped$/);
    await expect(app.getByRole('alert', { name: 'Connection lost' })).toHaveCount(0);

    // Start brings the instance back and a new shell on it.
    await expect.poll(() => sim.instance(seeded.web)?.state, { timeout: 10_000 }).toBe('stopped');
    await stopped.getByRole('button', { name: 'Start instance' }).click();
    await expect(stopped).toBeHidden({ timeout: 30_000 });
    expect(['pending', 'running']).toContain(sim.instance(seeded.web)?.state);
    await terminalHost(app).click();
    await app.keyboard.type('echo after-$((2+2))\n');
    await waitForLine(app, /^after-4$/, 30_000);
  });

  test('reloading the page brings its shell back in a tab: the same shell, with its latest output', async ({ app, hangar, seeded, userKeyFile, addAccount, routeToSshd }) => {
    test.setTimeout(60_000);
    await addAccount();
    await routeToSshd(seeded.web);
    const pid = await openShellOnWeb1(app, hangar, userKeyFile);

    await app.reload();
    const tab = app.getByRole('tab', { name: /^web-1 — / });
    await expect(tab).toBeVisible({ timeout: 15_000 });
    await expect(tab).toHaveCount(1);
    // What the shell printed before the reload is on screen again, and the shell is the same process.
    await waitForLine(app, new RegExp(`^pid=${pid}$`));
    await terminalHost(app).click();
    await app.keyboard.type('echo "again=$$"\n');
    await waitForLine(app, new RegExp(`^again=${pid}$`));
    expect(hangar.harness.services.terminals.list().map((shell) => shell.detached)).toEqual([false]);
  });

  test.describe('a page that goes away for good', () => {
    test.use({ terminalGraceMs: 1_500 });

    test('its shell waits the grace period for a page to take it over, then ends, on the instance too', async ({ app, hangar, seeded, userKeyFile, addAccount, routeToSshd }) => {
      test.setTimeout(60_000);
      await addAccount();
      await routeToSshd(seeded.web);
      const pid = await openShellOnWeb1(app, hangar, userKeyFile);
      const { terminals } = hangar.harness.services;
      expect(terminals.list().map((shell) => shell.detached)).toEqual([false]);

      await app.close();
      await expect.poll(() => terminals.list().map((shell) => shell.detached), { intervals: [100] }).toEqual([true]);
      await expect.poll(() => terminals.list().length, { timeout: 10_000 }).toBe(0);
      // The sshd rig runs on this machine: the shell was a local process, and it is gone.
      await expect.poll(() => processAlive(pid), { timeout: 10_000 }).toBe(false);
    });
  });
});

/** Imports the rig's key, connects to web-1, trusts its host key and prints the shell's pid; returns it. */
async function openShellOnWeb1(page: Page, hangar: HarnessHandle, userKeyFile: string): Promise<number> {
  await page.keyboard.press('Control+1');
  hangar.harness.queuePickedFiles([userKeyFile]);
  await page.getByRole('region', { name: 'SSH keys' }).getByRole('button', { name: 'Import key…' }).click();
  await expect(page.getByRole('listitem', { name: 'lab-key' })).toBeVisible();
  await openInstances(page);
  await page.getByRole('button', { name: 'Connect to web-1' }).click();
  await page.getByRole('dialog', { name: "Trust web-1's host key?" }).getByRole('button', { name: 'Trust and connect' }).click();
  await expect(page.getByRole('tab', { name: /^web-1 — / })).toBeVisible({ timeout: 15_000 });
  await terminalHost(page).click();
  await page.keyboard.type('echo "pid=$$"\n');
  const [, pid] = await waitForLine(page, /^pid=(\d+)$/);
  return Number(pid);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
