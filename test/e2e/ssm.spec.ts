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

  test('Launch with "Connect through Session Manager": consent, the role and a group with no inbound rules, then a Session Manager shell', async ({ app, sim, addAccount }) => {
    test.setTimeout(120_000);
    await addAccount();
    await openInstances(app);
    await app.getByRole('button', { name: 'Launch', exact: true }).click();
    const dialog = app.getByRole('dialog', { name: /^Launch instances in .*\(us-east-1\)$/ });
    const ubuntu = dialog.getByRole('radio', { name: 'Ubuntu 24.04 LTS x86_64' });
    await expect(ubuntu).toBeVisible({ timeout: 15_000 });
    await ubuntu.check();
    await dialog.getByRole('button', { name: 'Next' }).click();
    const micro = dialog.getByRole('table', { name: 'Instance types' }).getByRole('radio', { name: 't3.micro', exact: true });
    await expect(micro).toBeVisible({ timeout: 15_000 });
    await micro.check();
    await dialog.getByRole('button', { name: 'Next' }).click();
    // No key pair: Session Manager needs none.
    await dialog.getByRole('button', { name: 'Next' }).click();

    await dialog.getByRole('radio', { name: 'Connect through Session Manager (no SSH port open)' }).check();
    await expect(dialog.getByRole('group', { name: 'Session Manager' })).toContainText('Hangar will create the IAM role and instance profile hangar-ssm-instance', { timeout: 15_000 });
    // Nothing is created without consent: Next waits for it.
    await expect(dialog.getByRole('button', { name: 'Next' })).toBeDisabled();
    await dialog.getByRole('checkbox', { name: /Create the IAM role hangar-ssm-instance/ }).check();
    await dialog.getByRole('button', { name: 'Next' }).click();
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('no-port');
    await dialog.getByRole('button', { name: 'Next' }).click();

    await expect(dialog).toContainText('Session Manager only: hangar-ssm with no inbound rules');
    await expect(dialog).toContainText('None — Session Manager needs no key');
    await dialog.getByText('The same launch with the AWS CLI').click();
    await expect(dialog.getByLabel('AWS CLI command')).toContainText('--iam-instance-profile Name=hangar-ssm-instance');
    await dialog.getByRole('button', { name: 'Launch 1 instance' }).click();

    // Ready once its SSM agent is online; Connect opens a Session Manager shell.
    await expect(dialog.getByRole('list', { name: 'Launched instances' })).toContainText('Session Manager is ready', { timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Connect to no-port' }).click();
    await expect(app.getByRole('tab', { name: /^no-port — Session Manager/ })).toBeVisible({ timeout: 15_000 });
    await terminalHost(app).click();
    await app.keyboard.type('echo no-port-$((6*7))\n');
    await waitForLine(app, /no-port-42$/);

    // What AWS holds: the role with its policy, and the instance's only group lets nothing in.
    expect([...(sim.iam.roles.get('hangar-ssm-instance')?.policies ?? [])]).toEqual(['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore']);
    const instanceId = sim.sessionManager.sessions.at(-1)?.instanceId ?? '';
    const groups = sim.instance(instanceId)?.securityGroupIds ?? [];
    expect(groups).toHaveLength(1);
    expect(sim.securityGroupRules('us-east-1', groups[0] ?? '').filter((r) => !r.egress)).toEqual([]);
  });
});
