import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page, WebSocketRoute } from '@playwright/test';
import { LOCKED_KEYCHAIN_ERROR, expect, openApp, test } from './fixtures';

const SECTIONS = ['Accounts', 'Instances', 'Transfers', 'Tunnels', 'Costs', 'Images & snapshots'];

async function readSettingsFile(dataDir: string): Promise<{ appearance?: { theme?: string }; ui?: { lastSection?: string } }> {
  try {
    return JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8'));
  } catch {
    return {};
  }
}

function sidebar(page: Page) {
  return page.getByRole('navigation', { name: 'Sections' });
}

function navItem(page: Page, name: string) {
  return sidebar(page).getByRole('button', { name, exact: true });
}

function title(page: Page) {
  return page.getByRole('heading', { level: 1 });
}

function themeRadio(page: Page, name: 'System' | 'Light' | 'Dark') {
  return page.getByRole('radiogroup', { name: 'Theme' }).getByRole('radio', { name, exact: true });
}

test.describe('frame and navigation', () => {
  test('the sidebar lists the six sections, each with an icon, and opens on Instances', async ({ app }) => {
    const items = sidebar(app).getByRole('button');
    await expect(items).toHaveCount(6);
    for (const [index, name] of SECTIONS.entries()) {
      const item = items.nth(index);
      await expect(item).toHaveAccessibleName(name);
      await expect(item.locator('svg')).toHaveCount(1);
    }
    await expect(title(app)).toHaveText('Instances');
    await expect(navItem(app, 'Instances')).toHaveAttribute('aria-current', 'page');
    await expect(app.getByRole('main')).toContainText('Your EC2 machines in every region');
  });

  test('the Instances empty state says what to do and its button leads to Accounts', async ({ app }) => {
    const empty = app.getByRole('region', { name: 'Add an AWS account to see your instances' });
    await expect(empty).toBeVisible();
    await expect(empty.getByRole('heading', { level: 2 })).toHaveText('Add an AWS account to see your instances');
    await empty.getByRole('button', { name: 'Go to Accounts' }).click();
    await expect(title(app)).toHaveText('Accounts');
    await expect(app.getByRole('heading', { level: 2, name: 'No AWS accounts yet' })).toBeVisible();
    await expect(app.getByRole('main')).toContainText('access key from IAM');
    await expect(navItem(app, 'Accounts')).toHaveAttribute('aria-current', 'page');
    // The clicked button is gone with its page; the focus lands on the new page's title, not on <body>.
    await expect(title(app)).toBeFocused();
  });

  test('every section has an empty state that says what to do next', async ({ app }) => {
    const expected: [string, string, string][] = [
      ['Accounts', 'No AWS accounts yet', 'access key from IAM'],
      ['Instances', 'Add an AWS account to see your instances', 'from every region'],
      ['Transfers', 'No transfers yet', 'Drag files onto an instance to upload them.'],
      ['Tunnels', 'No tunnels', 'Open Jupyter on a running instance with one click'],
      ['Costs', 'Add an AWS account to see what it costs', 'bills in every region'],
      ['Images & snapshots', 'Add an AWS account to see its images and snapshots', 'AMIs and EBS snapshots'],
    ];
    for (const [section, heading, text] of expected) {
      await navItem(app, section).click();
      await expect(title(app)).toHaveText(section);
      const region = app.getByRole('region', { name: heading });
      await expect(region).toBeVisible();
      await expect(region).toContainText(text);
      await expect(region.getByRole('button').first()).toBeEnabled();
    }
  });

  test('Ctrl+1…5 switch sections from anywhere in the window', async ({ app }) => {
    await app.keyboard.press('Control+3');
    await expect(title(app)).toHaveText('Transfers');
    await expect(app.getByRole('heading', { level: 2, name: 'No transfers yet' })).toBeVisible();
    await expect(navItem(app, 'Transfers')).toHaveAttribute('aria-current', 'page');

    await app.keyboard.press('Control+1');
    await expect(title(app)).toHaveText('Accounts');
    await app.keyboard.press('Control+5');
    await expect(title(app)).toHaveText('Costs');
    await app.keyboard.press('Control+4');
    await expect(title(app)).toHaveText('Tunnels');
    // Not a section shortcut: nothing changes.
    await app.keyboard.press('Control+9');
    await expect(title(app)).toHaveText('Tunnels');
  });

  test('the section list is one Tab stop and arrow keys move between sections', async ({ app }) => {
    await app.keyboard.press('Tab');
    await expect(navItem(app, 'Instances')).toBeFocused();

    await app.keyboard.press('ArrowDown');
    await expect(navItem(app, 'Transfers')).toBeFocused();
    await app.keyboard.press('ArrowDown');
    await app.keyboard.press('ArrowDown');
    await expect(navItem(app, 'Costs')).toBeFocused();
    await app.keyboard.press('ArrowDown');
    await expect(navItem(app, 'Images & snapshots')).toBeFocused();
    await app.keyboard.press('ArrowDown');
    await expect(navItem(app, 'Accounts')).toBeFocused();
    await app.keyboard.press('ArrowUp');
    await expect(navItem(app, 'Images & snapshots')).toBeFocused();
    await app.keyboard.press('Home');
    await expect(navItem(app, 'Accounts')).toBeFocused();
    await app.keyboard.press('End');
    await expect(navItem(app, 'Images & snapshots')).toBeFocused();
    // Moving focus does not navigate; Enter does.
    await expect(title(app)).toHaveText('Instances');
    await app.keyboard.press('Enter');
    await expect(title(app)).toHaveText('Images & snapshots');

    // Only the roving item is tabbable: Tab leaves the list for the theme switch.
    await expect(sidebar(app).locator('[tabindex="0"]')).toHaveCount(1);
    await app.keyboard.press('Tab');
    await expect(themeRadio(app, 'System')).toBeFocused();
    await app.keyboard.press('Shift+Tab');
    await expect(navItem(app, 'Images & snapshots')).toBeFocused();
  });

  test('the last section is restored after a reload', async ({ app, hangar }) => {
    await navItem(app, 'Tunnels').click();
    await expect(title(app)).toHaveText('Tunnels');
    await expect.poll(async () => (await readSettingsFile(hangar.dataDir)).ui?.lastSection).toBe('tunnels');

    await app.reload();
    await expect(title(app)).toHaveText('Tunnels');
    await expect(navItem(app, 'Tunnels')).toHaveAttribute('aria-current', 'page');
    await expect(app.getByRole('heading', { level: 2, name: 'No tunnels' })).toBeVisible();
  });
});

test.describe('theme', () => {
  test('follows the OS until a theme is chosen', async ({ app }) => {
    await expect(themeRadio(app, 'System')).toBeChecked();
    await expect(app.locator('html')).toHaveAttribute('data-theme', 'light');
    await app.emulateMedia({ colorScheme: 'dark' });
    await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
    await app.emulateMedia({ colorScheme: 'light' });
    await expect(app.locator('html')).toHaveAttribute('data-theme', 'light');
  });

  test('choosing Dark applies it, persists it to the settings file and survives a reload', async ({ app, hangar }) => {
    const background = () => app.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(await background()).toBe('rgb(255, 255, 255)');
    await themeRadio(app, 'Dark').check();
    await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
    // The stylesheet follows the attribute (not only the attribute changes): --bg-app in dark.
    await expect.poll(background).toBe('rgb(27, 29, 33)');
    await expect.poll(async () => (await readSettingsFile(hangar.dataDir)).appearance?.theme).toBe('dark');
    expect(hangar.harness.services.settings.get().appearance.theme).toBe('dark');

    await app.reload();
    await expect(themeRadio(app, 'Dark')).toBeChecked();
    await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');

    // A chosen theme wins over the OS.
    await app.emulateMedia({ colorScheme: 'light' });
    await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
  });

  test('follows settings changed elsewhere (settings.changed event)', async ({ app, hangar }) => {
    await expect(app.locator('html')).toHaveAttribute('data-theme', 'light');
    hangar.harness.services.settings.update({ appearance: { theme: 'dark' } });
    await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(themeRadio(app, 'Dark')).toBeChecked();
  });
});

test.describe('status and dialogs', () => {
  test('the status bar shows the keychain status and the app version', async ({ app }) => {
    const footer = app.getByRole('contentinfo');
    await expect(footer).toContainText('Keychain: ready');
    await expect(footer).toContainText('Hangar 0.1.0-e2e');
  });

  test('Add account explains the step in a dialog and links to the IAM guide', async ({ app, hangar }) => {
    await app.keyboard.press('Control+1');
    const add = app.getByRole('button', { name: 'Add account' });
    await add.click();
    const dialog = app.getByRole('dialog', { name: 'Add an AWS account' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('access key ID');
    await expect(dialog).toContainText('secret access key');
    await expect(dialog).toContainText('system keychain');

    await dialog.getByRole('button', { name: 'How to create an access key' }).click();
    await expect.poll(() => [...hangar.harness.openedExternally]).toEqual([
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html',
    ]);

    await app.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(add).toBeFocused();
  });
});

test.describe('security and errors', () => {
  test('no console errors and no CSP violations across the whole frame', async ({ app, problems }) => {
    const csp = await app.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("style-src 'self';");
    expect(csp).not.toContain('unsafe-inline');

    for (const section of SECTIONS) {
      await navItem(app, section).click();
      await expect(title(app)).toHaveText(section);
    }
    await app.keyboard.press('Control+1');
    await app.getByRole('button', { name: 'Add account' }).click();
    await app.keyboard.press('Escape');
    await themeRadio(app, 'Dark').check();
    await themeRadio(app, 'Light').check();
    await app.reload();
    await expect(title(app)).toHaveText('Accounts');

    expect(problems.cspViolations).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
  });

  test.describe('with errors provoked on purpose', () => {
    test.use({ allowPageProblems: true });

    test('the CSP check is live: an inline style injected into the page is reported', async ({ app, problems }) => {
      await app.evaluate(() => {
        const style = document.createElement('style');
        style.textContent = 'body { outline: 1px solid red; }';
        document.head.append(style);
      });
      await expect.poll(() => problems.cspViolations.length).toBeGreaterThan(0);
      expect(problems.cspViolations[0]).toContain('style-src');
    });

    test('the bridge refuses a WebSocket without the right token', async ({ app }) => {
      const attempt = (withToken: 'none' | 'wrong' | 'right') =>
        app.evaluate(
          (mode) =>
            new Promise<string>((resolve) => {
              const token = mode === 'none' ? '' : mode === 'wrong' ? '?token=not-the-token' : `?token=${encodeURIComponent(sessionStorage.getItem('hangar.bridgeToken') ?? '')}`;
              const socket = new WebSocket(`${location.origin.replace('http', 'ws')}/ipc${token}`);
              socket.addEventListener('open', () => {
                socket.close();
                resolve('open');
              });
              socket.addEventListener('error', () => resolve('refused'));
              socket.addEventListener('close', () => resolve('refused'));
            }),
          withToken,
        );
      expect(await attempt('none')).toBe('refused');
      expect(await attempt('wrong')).toBe('refused');
      // The control: the same code with the page's own token does connect.
      expect(await attempt('right')).toBe('open');
    });

    test('a bridge that goes away shows a banner and the change is not pretended', async ({ app, hangar }) => {
      await expect(app.getByRole('contentinfo')).toContainText('Keychain: ready');
      await hangar.harness.close();
      // click, not check: the switch rightly does not stay on Dark when nothing could save it.
      await themeRadio(app, 'Dark').click();
      const banner = app.getByRole('alert').filter({ hasText: 'Lost the connection to Hangar’s background service.' });
      await expect(banner).toBeVisible();
      await expect(banner).toContainText('If this repeats, restart Hangar.');
      await expect(app.getByRole('contentinfo')).toContainText(/Disconnected|Reconnecting…/);
      await expect(banner.getByRole('button', { name: /Retry/ })).toBeVisible();
      // The optimistic switch is rolled back: nothing was saved.
      await expect(app.locator('html')).toHaveAttribute('data-theme', 'light');
      await expect(themeRadio(app, 'System')).toBeChecked();
    });

    test('opening the app without the token says the service cannot be reached', async ({ page, hangar }) => {
      await page.goto(hangar.origin);
      await expect(page.getByRole('heading', { level: 1, name: 'Can’t reach Hangar’s background service' })).toBeVisible();
      await expect(page.getByRole('alert')).toContainText('Lost the connection');
      await expect(page.getByRole('button', { name: /Retry/ })).toBeVisible();
    });
  });
});

test.describe('connection', () => {
  test('shows "Connecting to Hangar…" until the first answer arrives', async ({ page, hangar }) => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Holds the page's calls until the test lets them through.
    await page.routeWebSocket(
      (url) => url.pathname === '/ipc',
      (socket) => {
        const server = socket.connectToServer();
        socket.onMessage(async (message) => {
          await gate;
          server.send(message);
        });
      },
    );
    await page.goto(hangar.harness.url);
    await expect(page.getByRole('status')).toHaveText('Connecting to Hangar…');
    await expect(page.getByRole('navigation', { name: 'Sections' })).toHaveCount(0);
    release();
    await expect(title(page)).toHaveText('Instances');
    await expect(page.getByText('Connecting to Hangar…')).toHaveCount(0);
  });

  test('a dropped connection is reported, retried by itself, and the app works again once it is back', async ({ page, hangar }) => {
    // Sits between the page and the bridge, so the test can cut the line and restore it.
    let down = false;
    const sockets: WebSocketRoute[] = [];
    await page.routeWebSocket(
      (url) => url.pathname === '/ipc',
      (socket) => {
        if (down) {
          void socket.close({ code: 1001, reason: 'test: bridge down' });
          return;
        }
        socket.connectToServer();
        sockets.push(socket);
      },
    );
    await openApp(page, hangar.harness.url);

    down = true;
    for (const socket of sockets.splice(0)) await socket.close({ code: 1001, reason: 'test: bridge went away' });
    await themeRadio(page, 'Dark').click();
    const banner = page.getByRole('alert').filter({ hasText: 'Lost the connection to Hangar’s background service.' });
    await expect(banner).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    // A screen opened while the line is down loads its data (the SSH keys) and finds it closed: the banner
    // says so once; the screen waits for the line rather than showing an error of its own.
    await page.keyboard.press('Control+1');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Accounts');
    await expect(page.getByRole('alert')).toHaveCount(1);

    down = false;
    // No click needed: the app probes again by itself (first after 1 s) and the banner goes.
    await expect(banner).toBeHidden({ timeout: 10_000 });
    await expect(page.getByRole('contentinfo')).not.toContainText('Disconnected');
    // …and once it is back, the keys are loaded again without a click.
    await expect(page.getByRole('list', { name: 'SSH keys' }).or(page.getByText('No keys yet.', { exact: false })).first()).toBeVisible();
    await themeRadio(page, 'Dark').check();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect.poll(async () => (await readSettingsFile(hangar.dataDir)).appearance?.theme).toBe('dark');
  });
});

test.describe('keychain unavailable', () => {
  test.use({ keychain: 'locked' });

  test('the status bar and Accounts show the error message and hint', async ({ app }) => {
    const footer = app.getByRole('contentinfo');
    await expect(footer).toContainText(`Keychain: ${LOCKED_KEYCHAIN_ERROR.message}`);
    await expect(footer).toContainText(LOCKED_KEYCHAIN_ERROR.hint);
    await app.keyboard.press('Control+1');
    const notice = app.getByRole('alert').filter({ hasText: 'Accounts need the system keychain' });
    await expect(notice).toContainText(LOCKED_KEYCHAIN_ERROR.message);
    await expect(notice).toContainText(LOCKED_KEYCHAIN_ERROR.hint);
    await expect(notice.getByRole('button', { name: 'Retry' })).toBeVisible();
  });
});

test('reopening the app in a new page keeps working with the stored token', async ({ app, hangar, context }) => {
  // The token leaves the address bar once read, so it is not in screenshots or history.
  expect(app.url()).not.toContain('token=');
  const second = await context.newPage();
  await openApp(second, hangar.harness.url);
  await expect(second.getByRole('heading', { level: 1 })).toHaveText('Instances');
  await second.close();
});
