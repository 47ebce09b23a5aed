import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startJupyter } from '../support/jupyter';
import { openInstances } from './aws-fixtures';
import { expect, terminalHost, test, waitForLine } from './ssh-fixtures';

/**
 * Session Manager (issue 15) end to end: the built renderer in Chromium, the real services behind the bridge,
 * the simulator's StartSession and its agent running a real bash in a pty. No sshd is routed to and no key
 * is held: the shell comes through the data channel alone.
 */
test.describe('Session Manager', () => {
  test('opens a shell through Session Manager with no key and no SSH, and runs a command', async ({ app, hangar, sim, seeded, addAccount }) => {
    test.setTimeout(60_000);
    await addAccount();
    sim.sessionManager.setAgentOnline(seeded.web, true);
    await openInstances(app);
    // Port 22 is closed to the outside (the default group lets in its members only) and no key is held:
    // the row says Session Manager is the way in, and Connect takes it.
    const ways = app.getByRole('button', { name: 'Ways into web-1' });
    await expect(ways).toContainText('SSM', { timeout: 15_000 });
    await ways.click();
    const menu = app.getByRole('menu', { name: 'Ways into web-1' });
    await expect(menu.getByRole('menuitem', { name: /^Connect with Session Manager/ })).toContainText('Best way in: its SSM agent is online');
    await expect(menu.getByRole('menuitem', { name: /^Connect with SSH key/ })).toContainText('Not available: SSH cannot reach it: port 22 is closed');
    await app.keyboard.press('Escape');
    await app.getByRole('button', { name: 'Connect to web-1' }).click();
    await expect(app.getByRole('tab', { name: /^web-1 — Session Manager/ })).toBeVisible({ timeout: 15_000 });
    await terminalHost(app).click();
    await app.keyboard.type('echo ssm-$((6*7))\n');
    await waitForLine(app, /ssm-42$/);
    expect(sim.sessionManager.sessions.filter((s) => s.instanceId === seeded.web).map((s) => s.documentName)).toEqual(['SSM-SessionManagerRunShell']);
    expect(await hangar.harness.services.keys.list()).toEqual([]);
  });

  test('says why when the SSM agent is offline', async ({ app, seeded, addAccount }) => {
    test.setTimeout(60_000);
    await addAccount();
    expect(seeded.web).toBeTruthy();
    await openInstances(app);
    await app.getByRole('button', { name: 'Ways into web-1' }).click();
    await app.getByRole('menuitem', { name: /^Connect with Session Manager/ }).click();
    await expect(app.getByText('The Session Manager agent on web-1 is not connected.')).toBeVisible({ timeout: 15_000 });
    await expect(app.getByText(/AmazonSSMManagedInstanceCore/)).toBeVisible();
  });

  test('Jupyter with port 22 closed: found and forwarded through Session Manager, and its URL answers 200', async ({ app, hangar, sim, seeded, addAccount }) => {
    test.setTimeout(90_000);
    const home = await mkdtemp(join(tmpdir(), 'hangar-ssm-jupyter-'));
    const jupyter = await startJupyter({ home });
    try {
      await addAccount();
      sim.sessionManager.setAgentOnline(seeded.web, true);
      sim.sessionManager.agentEnv = { HOME: home };
      await openInstances(app);
      await expect(app.getByRole('button', { name: 'Ways into web-1' })).toContainText('SSM', { timeout: 15_000 });
      await expect(app.getByRole('button', { name: 'Files on web-1' })).toHaveAttribute('title', /Files need SSH/);
      await app.getByRole('checkbox', { name: 'Select web-1' }).check();
      await app.getByRole('toolbar', { name: 'Instance actions' }).getByRole('button', { name: 'Jupyter', exact: true }).click();

      const done = app.getByRole('status').filter({ hasText: 'Jupyter on web-1 is forwarded to 127.0.0.1:' });
      await expect(done).toBeVisible({ timeout: 30_000 });
      await expect(done).toContainText('Through Session Manager');
      await expect.poll(() => hangar.harness.openedExternally.length).toBe(1);
      const url = new URL(hangar.harness.openedExternally[0] ?? '');
      expect(url.searchParams.get('token')).toBe(jupyter.token);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Jupyter');
      // Found by a command session and carried by a port session; no SSH anywhere (no host key was asked).
      const documents = sim.sessionManager.sessions.filter((s) => s.instanceId === seeded.web).map((s) => s.documentName);
      expect(documents).toContain('AWS-StartNonInteractiveCommand');
      expect(documents).toContain('AWS-StartPortForwardingSession');
      await expect(app.getByRole('dialog', { name: "Trust web-1's host key?" })).toHaveCount(0);

      // Files need SSH: said at once, with the way round, rather than after an SSH timeout.
      await app.getByRole('button', { name: 'Files on web-1' }).click();
      await expect(app.getByText(/Files need SSH, and this instance is reachable only through Session Manager/)).toBeVisible({ timeout: 10_000 });
      await expect(app.getByText(/Open port 22 to your IP in its security group/)).toBeVisible();
    } finally {
      await jupyter.stop();
      await rm(home, { recursive: true, force: true });
    }
  });
});
