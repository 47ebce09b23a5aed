import { execFile } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from './ssh-fixtures';
import { openInstances } from './aws-fixtures';
import { startJupyter } from '../support/jupyter';

/**
 * Jupyter in one click, end to end: the built renderer in Chromium, the real services behind the bridge,
 * a real sshd on loopback and a real Jupyter Notebook behind it (HOME = the sshd's home, so discovery over
 * SSH finds it). The seeded instance web-1 is routed to the sshd (test setup); the rest goes through the UI.
 */
test.describe('tunnels', () => {
  test('Jupyter on an instance: trusted, forwarded, listed in Tunnels, the URL it opens answers 200; Forward port… by keyboard', async ({ app, hangar, sshd, seeded, userKeyFile, addAccount, routeToSshd }) => {
    test.setTimeout(90_000);
    const jupyter = await startJupyter({ home: sshd.home });
    try {
      await addAccount();
      await routeToSshd(seeded.web);
      await app.keyboard.press('Control+1');
      hangar.harness.queuePickedFiles([userKeyFile]);
      await app.getByRole('region', { name: 'SSH keys' }).getByRole('button', { name: 'Import key…' }).click();
      await expect(app.getByRole('listitem', { name: 'lab-key' })).toBeVisible();

      await openInstances(app);
      const jupyterButton = app.getByRole('toolbar', { name: 'Instance actions' }).getByRole('button', { name: 'Jupyter', exact: true });
      // Nothing selected: the button says what it needs.
      await expect(jupyterButton).toBeDisabled();
      await app.getByRole('checkbox', { name: 'Select web-1' }).check();
      await expect(jupyterButton).toBeEnabled();
      await jupyterButton.click();

      // First contact: the host key question, then discovery finds the running server.
      const trust = app.getByRole('dialog', { name: "Trust web-1's host key?" });
      await expect(trust).toBeVisible({ timeout: 15_000 });
      await expect(trust.getByTestId('host-key-fingerprint')).toHaveText(sshd.hostKeyFingerprintSha256);
      await trust.getByRole('button', { name: 'Trust and connect' }).click();

      const done = app.getByRole('status').filter({ hasText: 'Jupyter on web-1 is forwarded to 127.0.0.1:' });
      await expect(done).toBeVisible({ timeout: 30_000 });
      await expect(done).toContainText('opened in your browser');

      // What the app asked the system browser to open: the tunnel's URL with the server's token; it answers.
      await expect.poll(() => hangar.harness.openedExternally.length).toBe(1);
      const url = new URL(hangar.harness.openedExternally[0] ?? '');
      expect(url.hostname).toBe('127.0.0.1');
      expect(url.searchParams.get('token')).toBe(jupyter.token);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Jupyter');
      expect((await fetch(`http://${url.host}/api/status`)).status).toBe(403);

      // Listed in Tunnels with its addresses and state.
      await app.keyboard.press('Control+4');
      await expect(app.getByRole('heading', { level: 1 })).toHaveText('Tunnels');
      const row = app.getByRole('row', { name: 'Jupyter on web-1' });
      await expect(row).toBeVisible();
      await expect(row.getByTestId('tunnel-local')).toHaveText(url.host);
      await expect(row).toContainText(`127.0.0.1:${jupyter.port}`);
      await expect(row).toContainText('Open');
      await expect(row.getByRole('button', { name: 'Copy the URL of Jupyter on web-1' })).toBeVisible();

      // Stop closes it; it stays remembered and reopens with one click.
      await row.getByRole('button', { name: 'Stop Jupyter on web-1' }).click();
      await expect(row).toBeHidden();
      await expect.poll(() => fetch(`http://${url.host}/api/status`).then(() => 'open', () => 'closed')).toBe('closed');
      const reopen = app.getByRole('button', { name: 'Reopen Jupyter on web-1' });
      await expect(reopen).toBeEnabled();
      await reopen.click();
      await expect(app.getByRole('row', { name: 'Jupyter on web-1' })).toBeVisible({ timeout: 30_000 });
      await expect.poll(() => hangar.harness.openedExternally.length).toBe(2);
      const again = await fetch(hangar.harness.openedExternally[1] ?? '');
      expect(again.status).toBe(200);

      // Forward port…, by keyboard: any port on the instance (here a web server on its loopback).
      const web = createServer((req, res) => res.end(`instance says ${req.url ?? ''}`));
      await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
      try {
        const webPort = (web.address() as AddressInfo).port;
        await openInstances(app);
        await app.getByRole('checkbox', { name: 'Select web-1' }).check();
        await app.getByRole('button', { name: 'More tunnels' }).click();
        const menu = app.getByRole('menu', { name: 'Tunnels' });
        await expect(menu.getByRole('menuitem', { name: 'TensorBoard (port 6006)' })).toBeFocused();
        await app.keyboard.press('ArrowDown');
        await expect(menu.getByRole('menuitem', { name: 'Forward port…' })).toBeFocused();
        await app.keyboard.press('Enter');
        const dialog = app.getByRole('dialog', { name: 'Forward a port on web-1' });
        await expect(dialog).toBeVisible();
        await dialog.getByRole('textbox', { name: 'Port on the instance' }).fill(String(webPort));
        await app.keyboard.press('Enter');
        await expect(dialog).toBeHidden();
        const forwarded = app.getByRole('status').filter({ hasText: `Port ${webPort} on web-1 is forwarded to 127.0.0.1:` });
        await expect(forwarded).toBeVisible({ timeout: 15_000 });
        const local = /127\.0\.0\.1:(\d+)/.exec((await forwarded.textContent()) ?? '')?.[1];
        expect(await (await fetch(`http://127.0.0.1:${local ?? ''}/hi`)).text()).toBe('instance says /hi');
        await app.keyboard.press('Control+4');
        await expect(app.getByRole('row', { name: `Port ${webPort} on web-1` })).toBeVisible();
      } finally {
        web.closeAllConnections();
        web.close();
      }
    } finally {
      await jupyter.stop();
    }
  });

  test('no Jupyter: the install command to copy when it is missing, then Start Jupyter in ~ and the browser gets it', async ({ app, hangar, context, sshd, seeded, userKeyFile, addAccount, routeToSshd }) => {
    test.setTimeout(120_000);
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    // The "instance" gets its own tmux socket dir (sshd runs ~/.bashrc for commands), so the test's tmux is its own.
    const tmuxDir = await mkdtemp(join(tmpdir(), 'hangar-e2e-tmux-'));
    await appendFile(join(sshd.home, '.bashrc'), `export TMUX_TMPDIR=${tmuxDir}\n`);
    // A login PATH without jupyter: ~/.bash_profile (read by `bash -l`) narrows it to a folder holding only `id`.
    const bin = join(sshd.home, 'bin-minimal');
    await mkdir(bin);
    await symlink('/usr/bin/id', join(bin, 'id'));
    await writeFile(join(sshd.home, '.bash_profile'), `PATH=${bin}\n`);
    try {
      await addAccount();
      await routeToSshd(seeded.web);
      await app.keyboard.press('Control+1');
      hangar.harness.queuePickedFiles([userKeyFile]);
      await app.getByRole('region', { name: 'SSH keys' }).getByRole('button', { name: 'Import key…' }).click();
      await expect(app.getByRole('listitem', { name: 'lab-key' })).toBeVisible();

      await openInstances(app);
      await app.getByRole('checkbox', { name: 'Select web-1' }).check();
      const jupyterButton = app.getByRole('toolbar', { name: 'Instance actions' }).getByRole('button', { name: 'Jupyter', exact: true });
      await jupyterButton.click();
      await app.getByRole('dialog', { name: "Trust web-1's host key?" }).getByRole('button', { name: 'Trust and connect' }).click();

      const missing = app.getByRole('dialog', { name: 'Jupyter is not installed on web-1' });
      await expect(missing).toBeVisible({ timeout: 20_000 });
      await expect(missing.getByTestId('install-command')).toHaveText('pip install jupyterlab');
      await missing.getByRole('button', { name: 'Copy command' }).click();
      await expect(missing.getByRole('button', { name: 'Copied' })).toBeVisible();
      expect(await app.evaluate(() => navigator.clipboard.readText())).toBe('pip install jupyterlab');
      await missing.getByRole('button', { name: 'Close', exact: true }).last().click();
      await expect(missing).toBeHidden();
      expect(hangar.harness.openedExternally).toEqual([]);

      // Installed (the PATH is back), none running: Hangar offers to start one in a folder.
      await rm(join(sshd.home, '.bash_profile'));
      await jupyterButton.click();
      const start = app.getByRole('dialog', { name: 'Start Jupyter on web-1?' });
      await expect(start).toBeVisible({ timeout: 20_000 });
      await expect(start.getByRole('textbox', { name: 'Start Jupyter in folder' })).toHaveValue('~');
      await start.getByRole('button', { name: 'Start Jupyter' }).click();
      await expect(start).toBeHidden();
      await expect(app.getByRole('status').filter({ hasText: 'Jupyter on web-1 is forwarded to 127.0.0.1:' })).toBeVisible({ timeout: 70_000 });

      await expect.poll(() => hangar.harness.openedExternally.length).toBe(1);
      const url = new URL(hangar.harness.openedExternally[0] ?? '');
      expect(url.searchParams.get('token')?.length ?? 0).toBeGreaterThan(10);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Jupyter');
      // The server runs in tmux on the instance, so it outlives this connection.
      const { stdout } = await promisify(execFile)('tmux', ['list-sessions', '-F', '#{session_name}'], { env: { ...process.env, TMUX_TMPDIR: tmuxDir } });
      expect(stdout).toMatch(/^hangar-jupyter-\d+$/m);
    } finally {
      await promisify(execFile)('tmux', ['kill-server'], { env: { ...process.env, TMUX_TMPDIR: tmuxDir } }).catch(() => undefined);
      await rm(tmuxDir, { recursive: true, force: true });
    }
  });

  test('the "forwarded" notice goes away when its tunnel closes, from the Tunnels panel or by itself', async ({ app, hangar, seeded, userKeyFile, addAccount, routeToSshd }) => {
    test.setTimeout(60_000);
    const web = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    try {
      const webPort = (web.address() as AddressInfo).port;
      await addAccount();
      await routeToSshd(seeded.web);
      await app.keyboard.press('Control+1');
      hangar.harness.queuePickedFiles([userKeyFile]);
      await app.getByRole('region', { name: 'SSH keys' }).getByRole('button', { name: 'Import key…' }).click();
      await expect(app.getByRole('listitem', { name: 'lab-key' })).toBeVisible();
      await openInstances(app);

      const forward = async (): Promise<ReturnType<typeof app.getByRole>> => {
        await app.getByRole('checkbox', { name: 'Select web-1' }).check();
        await app.getByRole('button', { name: 'More tunnels' }).click();
        await app.getByRole('menu', { name: 'Tunnels' }).getByRole('menuitem', { name: 'Forward port…' }).click();
        const dialog = app.getByRole('dialog', { name: 'Forward a port on web-1' });
        await dialog.getByRole('textbox', { name: 'Port on the instance' }).fill(String(webPort));
        await dialog.getByRole('button', { name: 'Forward', exact: true }).click();
        // The first time only, the host key question comes first.
        const trust = app.getByRole('dialog', { name: "Trust web-1's host key?" });
        const notice = app.getByRole('status').filter({ hasText: `Port ${webPort} on web-1 is forwarded to 127.0.0.1:` });
        await expect(trust.or(notice)).toBeVisible({ timeout: 15_000 });
        if (await trust.isVisible()) await trust.getByRole('button', { name: 'Trust and connect' }).click();
        await expect(notice).toBeVisible({ timeout: 15_000 });
        return notice;
      };

      // Closed by the service (the instance stopped, the user quit it elsewhere): the notice goes at once.
      let notice = await forward();
      const [tunnel] = hangar.harness.services.tunnels.list();
      await hangar.harness.services.tunnels.close(tunnel?.id ?? '');
      await expect(notice).toBeHidden();

      // Stopped from the Tunnels panel: back on Instances, no notice of a tunnel that is gone.
      notice = await forward();
      await app.keyboard.press('Control+4');
      await app.getByRole('button', { name: `Stop Port ${webPort} on web-1` }).click();
      await expect(app.getByRole('row', { name: `Port ${webPort} on web-1` })).toBeHidden();
      await openInstances(app);
      await expect(app.getByRole('toolbar', { name: 'Instance actions' })).toBeVisible();
      await expect(notice).toBeHidden();
    } finally {
      web.closeAllConnections();
      web.close();
    }
  });
});
