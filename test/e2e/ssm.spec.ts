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
    await app.getByRole('button', { name: 'web-1: Connect with Session Manager' }).click();
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
    await app.getByRole('button', { name: 'web-1: Connect with Session Manager' }).click();
    await expect(app.getByText('The Session Manager agent on web-1 is not connected.')).toBeVisible({ timeout: 15_000 });
    await expect(app.getByText(/AmazonSSMManagedInstanceCore/)).toBeVisible();
  });
});
