import { readFile } from 'node:fs/promises';
import type { Locator, Page } from '@playwright/test';
import { expect, terminalHost, test, waitForLine } from './ssh-fixtures';
import { openInstances } from './aws-fixtures';
import type { HarnessHandle } from './fixtures';

/** Split panes, snippets and session logs (issue 19), against the real sshd rig through the UI. */

async function connectWeb1(app: Page, hangar: HarnessHandle, keyFile: string): Promise<void> {
  await app.keyboard.press('Control+1');
  hangar.harness.queuePickedFiles([keyFile]);
  await app.getByRole('region', { name: 'SSH keys' }).getByRole('button', { name: 'Import key…' }).click();
  await expect(app.getByRole('listitem', { name: 'lab-key' })).toBeVisible();
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
  await app.getByRole('menu').getByRole(/Log/.test(String(name)) && !/Open/.test(String(name)) ? 'menuitemcheckbox' : 'menuitem', { name }).click();
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
});
