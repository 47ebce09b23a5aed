import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { openInstances } from './aws-fixtures';
import { expect, test } from './ssh-fixtures';

/**
 * The remote file browser end to end: the built renderer in Chromium, the real services behind the bridge,
 * a real OpenSSH sshd on loopback whose home holds the files. The seeded instance web-1 is routed to the
 * sshd and its key imported as test setup; everything else goes through the UI.
 */

function browser(page: Page): Locator {
  return page.getByRole('dialog', { name: 'Files on web-1' });
}

/** A listing row by the entry's name (the name cell also says what kind of entry it is). */
function entry(page: Page, name: string): Locator {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return browser(page).getByRole('row').filter({ has: page.getByRole('gridcell', { name: new RegExp(`^${escaped}\\s*,`) }) });
}

test.describe('file browser', () => {
  test.beforeEach(async ({ hangar, sshd, seeded, userKeyFile, addAccount, routeToSshd }) => {
    await addAccount();
    await routeToSshd(seeded.web);
    await hangar.harness.services.keys.import({ path: userKeyFile, name: 'lab-key' });
    await writeFile(join(sshd.home, 'notes.txt'), 'hello hangar');
    await writeFile(join(sshd.home, 'big.bin'), Buffer.alloc(1_500_000, 7));
    await writeFile(join(sshd.home, '.secret'), 'hidden');
    await mkdir(join(sshd.home, 'data'));
    await writeFile(join(sshd.home, 'data', 'inner.csv'), 'x'.repeat(2500));
  });

  async function openFiles(page: Page): Promise<Locator> {
    await openInstances(page);
    await page.getByRole('button', { name: 'Files on web-1' }).click();
    // First contact: the host key is confirmed like for a terminal.
    const trust = page.getByRole('dialog', { name: "Trust web-1's host key?" });
    await expect(trust).toBeVisible({ timeout: 15_000 });
    await trust.getByRole('button', { name: 'Trust and connect' }).click();
    const dialog = browser(page);
    await expect(dialog).toBeVisible();
    return dialog;
  }

  test('lists, navigates, creates, renames and deletes on the instance', async ({ app, sshd }) => {
    test.setTimeout(60_000);
    const dialog = await openFiles(app);
    const home = sshd.home;
    await expect(dialog.getByRole('grid', { name: `Contents of ${home}`, exact: true })).toBeVisible({ timeout: 15_000 });

    // Seeded files with their sizes; folders first; hidden files only on request.
    await expect(entry(app, 'notes.txt')).toContainText('12 bytes');
    await expect(entry(app, 'big.bin')).toContainText('1.5 MB');
    await expect(entry(app, 'notes.txt')).toContainText('-rw');
    await expect(entry(app, 'data')).toContainText('drwx');
    await expect(dialog.getByRole('row').nth(1)).toContainText('data');
    await expect(entry(app, '.secret')).toHaveCount(0);
    await dialog.getByRole('checkbox', { name: 'Show hidden' }).check();
    await expect(entry(app, '.secret')).toBeVisible();
    await dialog.getByRole('checkbox', { name: 'Show hidden' }).uncheck();
    await expect(entry(app, '.secret')).toHaveCount(0);

    // Into a folder by double-click, back by the breadcrumb.
    await entry(app, 'data').dblclick();
    await expect(dialog.getByRole('grid', { name: `Contents of ${home}/data`, exact: true })).toBeVisible();
    await expect(entry(app, 'inner.csv')).toContainText('2.5 KB');
    await dialog.getByRole('navigation', { name: 'Path' }).getByRole('button', { name: basename(home), exact: true }).click();
    await expect(dialog.getByRole('grid', { name: `Contents of ${home}`, exact: true })).toBeVisible();

    // And by typing into the path bar: relative to home, then "~".
    await dialog.getByRole('button', { name: 'Edit path' }).click();
    await dialog.getByRole('textbox', { name: 'Path' }).fill('data');
    await dialog.getByRole('textbox', { name: 'Path' }).press('Enter');
    await expect(dialog.getByRole('grid', { name: `Contents of ${home}/data`, exact: true })).toBeVisible();
    await dialog.getByRole('button', { name: 'Edit path' }).click();
    await dialog.getByRole('textbox', { name: 'Path' }).fill('/no/such/folder');
    await dialog.getByRole('textbox', { name: 'Path' }).press('Enter');
    await expect(dialog.getByRole('alert')).toContainText('/no/such/folder does not exist');
    // Escape leaves the path editor, not the browser.
    await dialog.getByRole('textbox', { name: 'Path' }).press('Escape');
    await expect(dialog.getByRole('textbox', { name: 'Path' })).toHaveCount(0);
    await expect(dialog).toBeVisible();
    await app.keyboard.press('Control+l');
    await dialog.getByRole('textbox', { name: 'Path' }).fill('~');
    await dialog.getByRole('textbox', { name: 'Path' }).press('Enter');
    await expect(dialog.getByRole('grid', { name: `Contents of ${home}`, exact: true })).toBeVisible();
    await expect(dialog.getByRole('alert')).toHaveCount(0);

    // New folder…
    await dialog.getByRole('button', { name: 'New folder…' }).click();
    const create = app.getByRole('dialog', { name: 'New folder' });
    await create.getByRole('textbox', { name: /^Name of the new folder/ }).fill('results 2024');
    await create.getByRole('button', { name: 'Create' }).click();
    await expect(create).toBeHidden();
    await expect(entry(app, 'results 2024')).toBeVisible();
    await expect(entry(app, 'results 2024')).toHaveAttribute('aria-selected', 'true');
    expect((await stat(join(home, 'results 2024'))).isDirectory()).toBe(true);

    // An existing name is refused in place.
    await dialog.getByRole('button', { name: 'New folder…' }).click();
    await create.getByRole('textbox', { name: /^Name of the new folder/ }).fill('data');
    await create.getByRole('button', { name: 'Create' }).click();
    await expect(create).toContainText('already exists');
    // Escape closes only the question on top.
    await app.keyboard.press('Escape');
    await expect(create).toBeHidden();
    await expect(dialog).toBeVisible();

    // Rename… by F2 on the selected folder.
    await entry(app, 'results 2024').click();
    await app.keyboard.press('F2');
    const rename = app.getByRole('dialog', { name: 'Rename “results 2024”' });
    await rename.getByRole('textbox', { name: 'New name' }).fill(`final "results"`);
    await rename.getByRole('button', { name: 'Rename' }).click();
    await expect(rename).toBeHidden();
    await expect(entry(app, `final "results"`)).toBeVisible();
    expect(existsSync(join(home, 'results 2024'))).toBe(false);

    // Delete… asks first, names the folder and says it goes recursively.
    await writeFile(join(home, `final "results"`, 'inside.txt'), 'inside');
    await entry(app, `final "results"`).click();
    await app.keyboard.press('Delete');
    const confirm = app.getByRole('dialog', { name: 'Delete “final "results"”?' });
    await expect(confirm).toContainText('final "results"/');
    await expect(confirm).toContainText('recursively');
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(confirm).toBeHidden();
    await expect(entry(app, `final "results"`)).toHaveCount(0);
    expect(existsSync(join(home, `final "results"`))).toBe(false);
    await expect(entry(app, 'notes.txt')).toBeVisible();

    // Escape closes the browser.
    await dialog.getByRole('grid').focus();
    await app.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  });

  test('keyboard: arrows select, Shift extends, Enter opens a folder, Backspace goes up', async ({ app, sshd }) => {
    const dialog = await openFiles(app);
    const grid = dialog.getByRole('grid', { name: `Contents of ${sshd.home}`, exact: true });
    await expect(grid).toBeVisible({ timeout: 15_000 });
    await expect(grid).toBeFocused();
    await app.keyboard.press('ArrowDown');
    await expect(entry(app, 'data')).toHaveAttribute('aria-selected', 'true');
    await app.keyboard.press('Shift+ArrowDown');
    await expect(entry(app, 'big.bin')).toHaveAttribute('aria-selected', 'true');
    await expect(dialog).toContainText('2 selected');
    await app.keyboard.press('Home');
    await app.keyboard.press('Enter');
    await expect(dialog.getByRole('grid', { name: `Contents of ${sshd.home}/data`, exact: true })).toBeVisible();
    await app.keyboard.press('Backspace');
    await expect(dialog.getByRole('grid', { name: `Contents of ${sshd.home}`, exact: true })).toBeVisible();
    // F5 refreshes the listing (a file made meanwhile appears) without reloading the window.
    await writeFile(join(sshd.home, 'appeared.txt'), 'new');
    await app.keyboard.press('F5');
    await expect(entry(app, 'appeared.txt')).toBeVisible();
    await expect(dialog).toBeVisible();
    // Closing hands focus back to the button that opened the browser.
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();
    await expect(app.getByRole('button', { name: 'Files on web-1' })).toBeFocused();
  });

  test('uploads picked and dropped files into the folder on screen, which shows them when done', async ({ app, hangar, sshd }) => {
    test.setTimeout(60_000);
    const localDir = await mkdtemp(join(tmpdir(), 'hangar-e2e-upload-'));
    try {
      await writeFile(join(localDir, 'picked file.txt'), 'picked');
      await writeFile(join(localDir, 'dropped.txt'), 'dropped');
      const dialog = await openFiles(app);
      await entry(app, 'data').dblclick();
      await expect(dialog.getByRole('grid', { name: `Contents of ${sshd.home}/data`, exact: true })).toBeVisible({ timeout: 15_000 });

      hangar.harness.queuePickedFiles([join(localDir, 'picked file.txt')]);
      await dialog.getByRole('button', { name: 'Upload files…' }).click();
      await expect(entry(app, 'picked file.txt')).toContainText('6 bytes', { timeout: 20_000 });
      expect(await readFile(join(sshd.home, 'data', 'picked file.txt'), 'utf8')).toBe('picked');

      // A drop from the computer: the harness describes dropped files by path (Chromium cannot say where a File lives).
      const list = dialog.locator('.file-browser__list');
      const transfer = await app.evaluateHandle((paths) => {
        const data = new DataTransfer();
        data.setData('application/x-hangar-local-paths', JSON.stringify(paths));
        return data;
      }, [join(localDir, 'dropped.txt')]);
      await list.dispatchEvent('dragenter', { dataTransfer: transfer });
      await list.dispatchEvent('dragover', { dataTransfer: transfer });
      await expect(dialog).toContainText(`Drop to upload to ${sshd.home}/data`);
      await list.dispatchEvent('drop', { dataTransfer: transfer });
      await expect(entry(app, 'dropped.txt')).toContainText('7 bytes', { timeout: 20_000 });
      expect(await readFile(join(sshd.home, 'data', 'dropped.txt'), 'utf8')).toBe('dropped');
    } finally {
      await rm(localDir, { recursive: true, force: true });
    }
  });

  test('downloads the selected file into the picked folder', async ({ app, hangar, sshd }) => {
    test.setTimeout(60_000);
    const localDir = await mkdtemp(join(tmpdir(), 'hangar-e2e-download-'));
    try {
      const dialog = await openFiles(app);
      await expect(dialog.getByRole('grid', { name: `Contents of ${sshd.home}`, exact: true })).toBeVisible({ timeout: 15_000 });
      await entry(app, 'notes.txt').click();
      hangar.harness.queuePickedFiles([localDir]);
      await dialog.getByRole('button', { name: 'Download…' }).click();
      await expect(dialog.getByRole('status').filter({ hasText: 'Downloading' })).toContainText(localDir);
      await expect.poll(async () => (existsSync(join(localDir, 'notes.txt')) ? readFile(join(localDir, 'notes.txt'), 'utf8') : ''), { timeout: 20_000 }).toBe('hello hangar');
    } finally {
      await rm(localDir, { recursive: true, force: true });
    }
  });
});
