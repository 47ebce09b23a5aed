import { readFile } from 'node:fs/promises';
import type { Locator, Page } from '@playwright/test';
import { expect, importLabKey, terminalHost, test, waitForLine } from './ssh-fixtures';
import { openInstances, row } from './aws-fixtures';
import type { HarnessHandle } from './fixtures';

/** Split panes, snippets and session logs (issue 19), against the real sshd rig through the UI. */

async function connectWeb1(app: Page, hangar: HarnessHandle, keyFile: string): Promise<void> {
  await importLabKey(app, hangar.harness, keyFile);
  await openInstances(app);
  await app.getByRole('button', { name: 'Connect to web-1' }).click();
  await app.getByRole('dialog', { name: "Trust web-1's host key?" }).getByRole('button', { name: 'Trust and connect' }).click();
  await expect(app.getByRole('tab', { name: /^web-1 — / })).toBeVisible({ timeout: 20_000 });
}

function paneText(pane: Locator): Promise<string> {
  return pane.locator('.terminal-host').evaluate((element) => (element as HTMLElement & { readBuffer(): string }).readBuffer());
}

async function menuItem(app: Page, name: string | RegExp): Promise<void> {
  await app.getByRole('button', { name: /^Terminal menu for / }).click();
  const check = /Broadcast|^Log/.test(String(name));
  await app.getByRole('menu').getByRole(check ? 'menuitemcheckbox' : 'menuitem', { name }).click();
}

test.describe('terminal parity', () => {
  test('splits a tab and each pane runs its own shell', async ({ app, hangar, seeded, userKeyFile, addAccount, routeToSshd }) => {
    test.setTimeout(90_000);
    await addAccount();
    await routeToSshd(seeded.web);
    await connectWeb1(app, hangar, userKeyFile);
    await terminalHost(app).click();
    await app.keyboard.type('echo "first=$$"\n');
    await waitForLine(app, /^first=\d+$/);

    await menuItem(app, 'Split right');
    const first = app.getByRole('group', { name: /^Pane 1 of 2: web-1/ });
    const second = app.getByRole('group', { name: /^Pane 2 of 2: web-1/ });
    await expect(second).toBeVisible();
    await expect(app.getByRole('tab', { name: /split in 2 panes/ })).toBeVisible();
    // Both panes are on screen side by side.
    const [a, b] = [await first.boundingBox(), await second.boundingBox()];
    expect(a && b && b.x > a.x + a.width - 2).toBe(true);

    await expect.poll(() => paneText(second), { timeout: 15_000 }).toMatch(/[#$] $/m);
    await second.locator('.terminal-host').click();
    await app.keyboard.type('echo pane-two-$((1+1))\n');
    await first.locator('.terminal-host').click();
    await app.keyboard.type('echo pane-one-$((0+1))\n');
    await expect.poll(() => paneText(second)).toMatch(/^pane-two-2$/m);
    await expect.poll(() => paneText(first)).toMatch(/^pane-one-1$/m);
    expect(await paneText(first)).not.toMatch(/^pane-two-2$/m);
    expect(await paneText(second)).not.toMatch(/^pane-one-1$/m);

    // The keyboard moves between panes, and the divider resizes them.
    await app.keyboard.press('Control+Alt+ArrowRight');
    await app.keyboard.type('echo moved-$((2+1))\n');
    await expect.poll(() => paneText(second)).toMatch(/^moved-3$/m);
    const divider = app.getByRole('separator', { name: 'Resize between pane 1 and pane 2' });
    await divider.focus();
    await app.keyboard.press('ArrowRight');
    await expect(divider).toHaveAttribute('aria-valuenow', '55');
  });

  test('runs a snippet with a variable from the palette', async ({ app, hangar, seeded, userKeyFile, addAccount, routeToSshd }) => {
    test.setTimeout(90_000);
    await addAccount();
    await routeToSshd(seeded.web);
    await connectWeb1(app, hangar, userKeyFile);
    await terminalHost(app).click();
    await app.keyboard.press('Control+Shift+P');
    const palette = app.getByRole('dialog', { name: 'Snippets' });
    await expect(palette.getByRole('option', { name: /Watch GPU use/ })).toBeVisible();
    await palette.getByRole('button', { name: 'New snippet…' }).click();
    const form = app.getByRole('dialog', { name: 'New snippet' });
    await form.getByRole('textbox', { name: 'Name' }).fill('Greet');
    await form.getByRole('textbox', { name: /^Command/ }).fill('echo "hello-{who}-$((20+1))"');
    await form.getByRole('button', { name: 'Save snippet' }).click();
    await expect.poll(() => hangar.harness.services.settings.get().snippets.map((s) => s.name)).toContain('Greet');

    await palette.getByRole('combobox', { name: 'Find a snippet' }).fill('gre');
    await expect(palette.getByRole('option')).toHaveCount(1);
    await app.keyboard.press('Enter');
    const fill = app.getByRole('dialog', { name: 'Run “Greet”' });
    await fill.getByRole('textbox', { name: 'who' }).fill('world');
    await expect(fill).toContainText('echo "hello-world-$((20+1))"');
    await fill.getByRole('button', { name: 'Run' }).click();
    await waitForLine(app, /^hello-world-21$/);
  });

  test('logs a session to a plain-text file while logging is on', async ({ app, hangar, seeded, userKeyFile, addAccount, routeToSshd }) => {
    test.setTimeout(90_000);
    await addAccount();
    await routeToSshd(seeded.web);
    await connectWeb1(app, hangar, userKeyFile);
    await menuItem(app, 'Log this session');
    await expect(app.getByRole('status').filter({ hasText: 'Logging' })).toBeVisible();
    await terminalHost(app).click();
    await app.keyboard.type("printf '\\033[1;32mgreen\\033[0m-logged-%s\\n' $((40+2))\n");
    await waitForLine(app, /^green-logged-42$/);
    await menuItem(app, 'Log this session');
    await expect(app.getByRole('status').filter({ hasText: 'Logging' })).toBeHidden();
    await terminalHost(app).click();
    await app.keyboard.type('echo not-in-log\n');
    await waitForLine(app, /^not-in-log$/);

    const [shell] = hangar.harness.services.terminals.list();
    const path = hangar.harness.services.terminals.logState(shell?.session.sessionId ?? '').path ?? '';
    const text = await readFile(path, 'utf8');
    expect(text).toMatch(/^green-logged-42$/m);
    expect(text).not.toContain('\x1b');
    expect(text).not.toContain('not-in-log\n');
  });

  test('terminals of two instances side by side; broadcast typing goes to the checked panes only', async ({ app, hangar, sshd, seeded, userKeyFile, addAccount }) => {
    test.setTimeout(90_000);
    await addAccount();
    for (const id of [seeded.web, seeded.scratch]) {
      hangar.harness.services.terminals.setOverride(id, { host: `${sshd.host}:${sshd.port}`, user: sshd.username });
    }
    // Host keys pinned as setup: this test is about the panes, not the first-contact prompt.
    hangar.harness.services.settings.mutate((s) => ({
      ...s,
      hostKeys: Object.fromEntries([seeded.web, seeded.scratch].map((id) => [id, { keyType: 'ssh-ed25519', fingerprintSha256: sshd.hostKeyFingerprintSha256, verifiedBy: 'user' as const, pinnedAt: new Date().toISOString() }])),
    }));
    await importLabKey(app, hangar.harness, userKeyFile);
    await openInstances(app);
    await row(app, 'web-1').getByRole('checkbox', { name: 'Select web-1' }).check();
    await row(app, 'scratch-box').getByRole('checkbox', { name: 'Select scratch-box' }).check();
    await app.getByRole('toolbar', { name: 'Instance actions' }).getByRole('button', { name: 'Terminals side by side' }).click();

    const panes = app.getByRole('group', { name: /^Pane \d of 2: / });
    await expect(panes).toHaveCount(2);
    const [first, second] = [panes.nth(0), panes.nth(1)];
    for (const pane of [first, second]) await expect.poll(() => paneText(pane), { timeout: 20_000 }).toMatch(/[#$] $/m);

    await menuItem(app, 'Broadcast typing to all panes');
    await first.locator('.terminal-host').click();
    await app.keyboard.type('echo bc-$((1+1))\n');
    await expect.poll(() => paneText(first)).toMatch(/^bc-2$/m);
    await expect.poll(() => paneText(second)).toMatch(/^bc-2$/m);

    await second.getByRole('checkbox', { name: /^Broadcast typing to / }).uncheck();
    await first.locator('.terminal-host').click();
    await app.keyboard.type('echo solo-$((0+1))\n');
    await expect.poll(() => paneText(first)).toMatch(/^solo-1$/m);
    await app.waitForTimeout(500);
    expect(await paneText(second)).not.toMatch(/^solo-1$/m);
  });
});
