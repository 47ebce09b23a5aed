import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import type { HarnessHandle } from './fixtures';
import type { TransferJob } from '../../src/shared/models/transfers';
import { openInstances } from './aws-fixtures';
import { expect, terminalHost, test, waitForLine } from './ssh-fixtures';

/**
 * Uploads end to end: the built renderer in Chromium, the real transfer engine behind the bridge, a real
 * OpenSSH sshd on loopback whose home folder is the "instance's" disk. A real OS drag cannot be made in
 * Chromium without the Electron preload, so drops carry their local paths in the harness's drag data type
 * (application/x-hangar-local-paths) — the one seam; everything after the drop is the product's own path.
 */

const LOCAL_PATHS = 'application/x-hangar-local-paths';

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Fires dragenter + dragover on `target` with files described by their paths; returns the drag data. */
async function dragOver(page: Page, target: Locator, paths: string[]): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ type, json }) => {
      const data = new DataTransfer();
      data.setData(type, json);
      return data;
    },
    { type: LOCAL_PATHS, json: JSON.stringify(paths) },
  );
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
}

async function drop(page: Page, target: Locator, paths: string[]): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ type, json }) => {
      const data = new DataTransfer();
      data.setData(type, json);
      return data;
    },
    { type: LOCAL_PATHS, json: JSON.stringify(paths) },
  );
  await target.dispatchEvent('drop', { dataTransfer });
}

/** Imports the instance's key and connects a terminal once, trusting the host key (first contact). */
async function connectWeb1(page: Page, hangar: HarnessHandle, userKeyFile: string, username: string): Promise<void> {
  await page.keyboard.press('Control+1');
  hangar.harness.queuePickedFiles([userKeyFile]);
  await page.getByRole('region', { name: 'SSH keys' }).getByRole('button', { name: 'Import key…' }).click();
  await expect(page.getByRole('listitem', { name: 'lab-key' })).toBeVisible();
  await openInstances(page);
  await page.getByRole('button', { name: 'Connect to web-1' }).click();
  await page.getByRole('dialog', { name: "Trust web-1's host key?" }).getByRole('button', { name: 'Trust and connect' }).click();
  await expect(page.getByRole('tab', { name: new RegExp(`^web-1 — ${username}`) })).toBeVisible({ timeout: 15_000 });
}

async function openTransfers(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: /^Transfers/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Transfers');
}

/** A job row of the queue, by what it says ("Upload 4 items → ~, web-1, Completed"). */
function jobRow(page: Page, name: RegExp): Locator {
  return page.getByRole('list', { name: 'Transfer queue' }).getByRole('listitem', { name });
}

async function localTree(): Promise<{ dir: string; files: Record<string, Buffer> }> {
  const dir = await mkdtemp(join(tmpdir(), 'hangar-e2e-upload-'));
  const files: Record<string, Buffer> = {
    'notes.txt': Buffer.from('field notes\nline two\n'),
    // Big enough that the queue shows bytes moving.
    'weights.bin': randomBytes(20 * 1024 * 1024),
    'data/a.csv': Buffer.from('x,y\n1,2\n'),
    'data/nested/b with space.txt': Buffer.from('deep'),
    'data/empty.txt': Buffer.alloc(0),
  };
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(join(dir, rel, '..'), { recursive: true });
    await writeFile(join(dir, rel), content);
  }
  return { dir, files };
}

async function expectSameBytes(remoteRoot: string, files: Record<string, Buffer>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const remote = await readFile(join(remoteRoot, rel));
    expect(remote.length, `${rel} size`).toBe(content.length);
    expect(sha256(remote), `${rel} content`).toBe(sha256(content));
  }
}

test.describe('transfers', () => {
  test('files and a folder dropped on an instance row arrive in its home folder, with progress to 100 %', async ({
    app,
    hangar,
    sshd,
    sim,
    seeded,
    userKeyFile,
    addAccount,
    routeToSshd,
  }) => {
    test.setTimeout(90_000);
    sim.addInstance('us-east-1', { name: 'parked', instanceType: 't3.micro', state: 'stopped', keyName: 'lab-key' });
    await addAccount();
    await routeToSshd(seeded.web);
    const { dir, files } = await localTree();
    try {
      await connectWeb1(app, hangar, userKeyFile, sshd.username);
      const items = ['notes.txt', 'weights.bin', 'data'].map((name) => join(dir, name));

      // A stopped instance refuses the drop and says why.
      const parked = app.getByRole('row', { name: /parked/ });
      await dragOver(app, parked, items);
      await expect(parked.getByRole('status')).toHaveText(/parked is not running/);
      await drop(app, parked, items);
      await expect(parked.getByRole('status')).toHaveCount(0);

      // The running one lights up with where the files go, then takes them.
      const row = app.getByRole('row', { name: /web-1/ });
      await dragOver(app, row, items);
      await expect(row.getByRole('status')).toHaveText('Drop to upload to web-1:~');
      await drop(app, row, items);
      await expect(row.getByRole('status')).toHaveCount(0);
      await expect(app.getByText('Uploading 3 items to web-1:~')).toBeVisible();

      await openTransfers(app);
      const job = jobRow(app, /^Upload 3 items → ~, web-1, /);
      await expect(job).toBeVisible();
      await expect(job).toHaveAccessibleName(/, Completed$/, { timeout: 60_000 });
      await expect(job.getByRole('progressbar', { name: 'Progress of 3 items → ~' })).toHaveJSProperty('value', 100);
      await expect(job).toContainText('100 %');
      await expect(job).toContainText('5 of 5');
      await expect(job).toContainText(/100 % · 21\.0 MB of 21\.0 MB/);
      // Nothing runs any more: the sidebar badge is gone.
      await expect(app.getByRole('status', { name: /transfers? running/ })).toHaveCount(0);

      await expectSameBytes(sshd.home, files);
      // The stopped instance got nothing (nothing was queued for it).
      await expect(jobRow(app, /parked/)).toHaveCount(0);

      // Clear removes the finished job from the queue, and the empty state comes back.
      await job.getByRole('button', { name: 'Clear 3 items → ~' }).click();
      await expect(app.getByText('No transfers yet')).toBeVisible();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a drop on an instance never connected to asks about its host key first, then uploads', async ({
    app,
    hangar,
    sshd,
    seeded,
    userKeyFile,
    addAccount,
    routeToSshd,
  }) => {
    test.setTimeout(60_000);
    await addAccount();
    await routeToSshd(seeded.web);
    const dir = await mkdtemp(join(tmpdir(), 'hangar-e2e-first-'));
    try {
      await writeFile(join(dir, 'first.txt'), 'hello from the first contact\n');
      await app.keyboard.press('Control+1');
      hangar.harness.queuePickedFiles([userKeyFile]);
      await app.getByRole('region', { name: 'SSH keys' }).getByRole('button', { name: 'Import key…' }).click();
      await expect(app.getByRole('listitem', { name: 'lab-key' })).toBeVisible();
      await openInstances(app);

      const row = app.getByRole('row', { name: /web-1/ });
      await dragOver(app, row, [join(dir, 'first.txt')]);
      await drop(app, row, [join(dir, 'first.txt')]);

      // Declining leaves nothing queued and nothing on the instance.
      const question = app.getByRole('dialog', { name: "Trust web-1's host key?" });
      await expect(question.getByTestId('host-key-fingerprint')).toHaveText(sshd.hostKeyFingerprintSha256);
      await question.getByRole('button', { name: 'Cancel' }).click();
      await expect(question).toHaveCount(0);
      await expect(readdir(sshd.home)).resolves.not.toContain('first.txt');

      await dragOver(app, row, [join(dir, 'first.txt')]);
      await drop(app, row, [join(dir, 'first.txt')]);
      await question.getByRole('button', { name: 'Trust and connect' }).click();
      await expect(app.getByText('Uploading first.txt to web-1:~')).toBeVisible();
      await expect.poll(async () => readFile(join(sshd.home, 'first.txt'), 'utf8').catch(() => ''), { timeout: 30_000 }).toBe('hello from the first contact\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
      await rm(join(sshd.home, 'first.txt'), { force: true });
    }
  });

  test('Upload folder… sends a picked folder into the chosen remote folder; a file dropped on the terminal goes to its current directory', async ({
    app,
    hangar,
    sshd,
    seeded,
    userKeyFile,
    addAccount,
    routeToSshd,
  }) => {
    test.setTimeout(90_000);
    await addAccount();
    await routeToSshd(seeded.web);
    const { dir, files } = await localTree();
    try {
      await connectWeb1(app, hangar, userKeyFile, sshd.username);

      // The terminal: cd somewhere, drop a file on the shell, it lands in that folder.
      await terminalHost(app).click();
      await app.keyboard.type('mkdir -p work/here && cd work/here && echo "in=$(pwd)"\n');
      const [, cwd] = await waitForLine(app, /^in=(\/.*)$/);
      await dragOver(app, terminalHost(app), [join(dir, 'notes.txt')]);
      await expect(app.getByRole('tabpanel').getByRole('status').filter({ hasText: 'Drop to upload' })).toHaveText(`Drop to upload to web-1:${cwd}`);
      await drop(app, terminalHost(app), [join(dir, 'notes.txt')]);
      await expect.poll(async () => (await readFile(join(sshd.home, 'work/here/notes.txt')).catch(() => Buffer.alloc(0))).toString(), { timeout: 20_000 }).toBe(
        files['notes.txt']?.toString(),
      );

      // The panel's Upload folder…: instance and remote folder chosen in the header, the folder from the picker.
      await openTransfers(app);
      const upload = app.getByRole('group', { name: 'Upload' });
      await upload.getByRole('combobox', { name: 'Instance' }).selectOption({ label: 'web-1 (us-east-1)' });
      await upload.getByRole('textbox', { name: 'Remote folder' }).fill('~/incoming');
      hangar.harness.queuePickedFiles([join(dir, 'data')]);
      await upload.getByRole('button', { name: 'Upload folder…' }).click();
      const job = jobRow(app, /^Upload data → ~\/incoming, web-1, /);
      await expect(job).toHaveAccessibleName(/, Completed$/, { timeout: 60_000 });
      await expect(job.getByRole('progressbar')).toHaveJSProperty('value', 100);
      await expect(job).toContainText('3 of 3');
      const folder = Object.fromEntries(Object.entries(files).filter(([rel]) => rel.startsWith('data/')));
      await expectSameBytes(join(sshd.home, 'incoming'), folder);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a name that already exists asks first; Keep both leaves both files on the instance', async ({ app, hangar, sshd, seeded, userKeyFile, addAccount, routeToSshd }) => {
    test.setTimeout(90_000);
    await addAccount();
    await routeToSshd(seeded.web);
    const first = await mkdtemp(join(tmpdir(), 'hangar-e2e-conflict-a-'));
    const second = await mkdtemp(join(tmpdir(), 'hangar-e2e-conflict-b-'));
    try {
      await writeFile(join(first, 'report.txt'), 'first version\n');
      await writeFile(join(second, 'report.txt'), 'the second, longer version\n');
      await connectWeb1(app, hangar, userKeyFile, sshd.username);
      await openTransfers(app);
      const upload = app.getByRole('group', { name: 'Upload' });
      await upload.getByRole('combobox', { name: 'Instance' }).selectOption({ label: 'web-1 (us-east-1)' });

      hangar.harness.queuePickedFiles([join(first, 'report.txt')]);
      await upload.getByRole('button', { name: 'Upload files…' }).click();
      await expect(jobRow(app, /^Upload report\.txt → ~, web-1, Completed$/)).toBeVisible({ timeout: 30_000 });
      expect(await readFile(join(sshd.home, 'report.txt'), 'utf8')).toBe('first version\n');

      hangar.harness.queuePickedFiles([join(second, 'report.txt')]);
      await upload.getByRole('button', { name: 'Upload files…' }).click();
      const question = app.getByRole('dialog', { name: 'report.txt already exists on web-1' });
      await expect(question).toBeVisible({ timeout: 30_000 });
      // Both versions, with their sizes.
      await expect(question).toContainText('14 B');
      await expect(question).toContainText('27 B');
      // The job waits for the answer, and the sidebar counts it as still going.
      await expect(app.getByRole('status', { name: '1 transfer running' })).toHaveText('1');
      await question.getByRole('button', { name: 'Keep both' }).click();
      await expect(question).toBeHidden();

      const jobs = app.getByRole('list', { name: 'Transfer queue' }).getByRole('listitem');
      await expect(jobs).toHaveCount(2);
      await expect(jobs.first()).toHaveAccessibleName(/, Completed$/, { timeout: 30_000 });
      const names = (await readdir(sshd.home)).filter((name) => name.startsWith('report')).sort();
      expect(names).toHaveLength(2);
      const contents = await Promise.all(names.map((name) => readFile(join(sshd.home, name), 'utf8')));
      expect(contents.sort()).toEqual(['first version\n', 'the second, longer version\n']);
      expect(await readFile(join(sshd.home, 'report.txt'), 'utf8')).toBe('first version\n');
    } finally {
      await rm(first, { recursive: true, force: true });
      await rm(second, { recursive: true, force: true });
    }
  });

  test('a one-file job reads "File: 0 of 1"; the spinner of its Reconnecting… badge stays clear of the text', async ({ app, hangar, seeded }) => {
    await openTransfers(app);
    await expect(app.getByRole('region', { name: 'No transfers yet' })).toBeVisible();
    // What main pushes while a one-file upload waits for its dropped link to come back.
    const job: TransferJob = {
      jobId: 'job-reconnecting',
      direction: 'upload',
      instance: { accountId: 'acct', region: 'us-east-1', instanceId: seeded.web },
      instanceName: 'web-1',
      sources: ['/tmp/report.txt'],
      destination: '~',
      state: 'waiting',
      counting: false,
      totalFiles: 1,
      totalBytes: 2048,
      doneFiles: 0,
      doneBytes: 512,
      skippedFiles: 0,
      bytesPerSecond: 0,
      failures: [],
      error: { code: 'CONNECTION_LOST', message: 'The connection to web-1 was lost.' },
      verifyChecksums: true,
      createdAt: new Date().toISOString(),
    };
    hangar.harness.services.events.publish('transfers.changed', job);
    const row = jobRow(app, /, Reconnecting…$/);
    await expect(row).toBeVisible();
    const files = row.locator('.transfer-row__stats > div').nth(1);
    await expect(files.locator('dt')).toHaveText('File');
    await expect(files.locator('dd')).toHaveText('0 of 1');

    // The badge: spinner, then the words, not on top of each other.
    const badge = row.locator('.badge', { hasText: 'Reconnecting…' });
    const gap = await badge.evaluate((element) => {
      const spinner = element.querySelector<HTMLElement>('.spinner');
      const words = Array.from(element.childNodes).find((node) => node.nodeType === Node.TEXT_NODE && node.textContent?.trim());
      if (!spinner || !words) return Number.NaN;
      // The spinner turns: its bounding box swells with the angle, its centre and layout width do not.
      const box = spinner.getBoundingClientRect();
      const right = (box.left + box.right) / 2 + spinner.offsetWidth / 2;
      const range = document.createRange();
      range.selectNodeContents(words);
      return range.getBoundingClientRect().left - right;
    });
    expect(gap).toBeGreaterThanOrEqual(2);

    // Several files keep the plural.
    hangar.harness.services.events.publish('transfers.changed', { ...job, jobId: 'job-many', totalFiles: 3, doneFiles: 1, sources: ['/tmp/a', '/tmp/b', '/tmp/c'] });
    const many = jobRow(app, /3 items.*, Reconnecting…$/);
    await expect(many.locator('.transfer-row__stats > div').nth(1).locator('dt')).toHaveText('Files');
    await expect(many.locator('.transfer-row__stats > div').nth(1).locator('dd')).toHaveText('1 of 3');
  });
});
