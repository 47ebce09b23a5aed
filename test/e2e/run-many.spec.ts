import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, importLabKey, test } from './ssh-fixtures';
import { openInstances, row } from './aws-fixtures';
import type { HarnessHandle } from './fixtures';
import { startSshd, type Sshd } from '../support/sshd';

/**
 * Run command… (issue 16) on three instances, each routed to its own real sshd on its own loopback
 * address; the key is imported and the host keys pinned as test setup, the rest goes through the UI.
 */
const ADDRESSES = ['127.0.0.91', '127.0.0.92', '127.0.0.93'];
const NAMES = ['db-protected', 'scratch-box', 'web-1'];

async function setUp(app: Page, hangar: HarnessHandle, seeded: Record<string, string>, base: Sshd, keyFile: string): Promise<Sshd[]> {
  const hosts = await Promise.all(ADDRESSES.map((address) => startSshd({ listenHost: address, port: 22, authorizedKeys: [base.userPublicKey] })));
  const ids = [seeded.protectedDb, seeded.scratch, seeded.web] as string[];
  ids.forEach((id, i) => {
    const sshd = hosts[i] as Sshd;
    hangar.harness.services.terminals.setOverride(id, { host: `${sshd.host}:22`, user: base.username });
  });
  hangar.harness.services.settings.mutate((s) => ({
    ...s,
    hostKeys: {
      ...s.hostKeys,
      ...Object.fromEntries(ids.map((id, i) => [id, { keyType: 'ssh-ed25519', fingerprintSha256: hosts[i]?.hostKeyFingerprintSha256 ?? '', verifiedBy: 'user' as const, pinnedAt: new Date().toISOString() }])),
    },
  }));
  await importLabKey(app, hangar.harness, keyFile);
  await openInstances(app);
  for (const name of NAMES) await row(app, name).getByRole('checkbox', { name: `Select ${name}` }).check();
  return hosts;
}

test.describe('run command on many', () => {
  test('three answers with their exit codes; a failure on one is named and re-run alone', async ({ app, hangar, sshd, seeded, userKeyFile, addAccount }) => {
    test.setTimeout(90_000);
    await addAccount();
    const hosts = await setUp(app, hangar, seeded, sshd, userKeyFile);
    try {
      await app.getByRole('toolbar', { name: 'Instance actions' }).getByRole('button', { name: 'Run command…' }).click();
      const dialog = app.getByRole('dialog', { name: 'Run a command on 3 instances' });
      await dialog.getByRole('textbox', { name: /^Command/ }).fill('echo "answer-from-$(echo $SSH_CONNECTION | cut -d" " -f3)"');
      await dialog.getByRole('button', { name: 'Run', exact: true }).click();
      await expect(dialog.getByRole('status', { name: 'Run summary' })).toHaveText('3 ok', { timeout: 20_000 });
      for (const [i, name] of NAMES.entries()) {
        await expect(dialog.getByRole('region', { name: `${name}: ok, exit code 0` })).toBeVisible();
        await expect(dialog.getByRole('region', { name: new RegExp(`^${name}:`) }).getByLabel(`Output of ${name}`)).toHaveText(`answer-from-${ADDRESSES[i]}`);
      }

      // Interleaved: one listing with host prefixes.
      await dialog.getByRole('radio', { name: 'Interleaved' }).check();
      await expect(dialog.getByLabel('Output of all hosts')).toContainText(`[scratch-box] answer-from-${ADDRESSES[1]}`);
      await dialog.getByRole('radio', { name: 'Side by side' }).check();

      // One host fails: said by name with its exit code, and only it runs again.
      await dialog.getByRole('textbox', { name: /^Command/ }).fill('case "$SSH_CONNECTION" in *127.0.0.92*) echo "disk full" >&2; exit 7;; esac; echo fine');
      await dialog.getByRole('button', { name: 'Run again' }).click();
      await expect(dialog.getByRole('status', { name: 'Run summary' })).toHaveText('2 ok, 1 failed', { timeout: 20_000 });
      await expect(dialog.getByRole('region', { name: 'scratch-box: failed, exit code 7' })).toContainText('disk full');
      await dialog.getByRole('button', { name: 'Re-run on the 1 failed' }).click();
      await expect(dialog.getByRole('status', { name: 'Run summary' })).toHaveText('1 failed', { timeout: 20_000 });
      await expect(dialog.getByRole('region', { name: /:/ })).toHaveCount(1);
      await expect(dialog.getByRole('region', { name: 'scratch-box: failed, exit code 7' })).toBeVisible();
    } finally {
      await Promise.all(hosts.map((h) => h.stop()));
    }
  });

  test('upload to all: one pick, one transfer job per instance, the file on every host', async ({ app, hangar, sshd, seeded, userKeyFile, addAccount }) => {
    test.setTimeout(90_000);
    await addAccount();
    const hosts = await setUp(app, hangar, seeded, sshd, userKeyFile);
    try {
      const dir = await mkdtemp(join(tmpdir(), 'hangar-e2e-all-'));
      const file = join(dir, 'dataset-all.csv');
      await writeFile(file, 'a,b\n1,2\n');
      hangar.harness.queuePickedFiles([file]);
      await app.getByRole('toolbar', { name: 'Instance actions' }).getByRole('button', { name: 'Upload to all' }).click();
      await app.getByRole('menu', { name: 'Upload to all' }).getByRole('menuitem', { name: 'Files…' }).click();
      for (const host of hosts) {
        await expect.poll(() => readFile(join(host.home, 'dataset-all.csv'), 'utf8').catch(() => ''), { timeout: 20_000 }).toBe('a,b\n1,2\n');
      }
      const jobs = hangar.harness.services.transfers.list();
      expect(new Set(jobs.map((job) => job.instance.instanceId))).toEqual(new Set([seeded.protectedDb, seeded.scratch, seeded.web]));
      expect(jobs).toHaveLength(3);
    } finally {
      await Promise.all(hosts.map((h) => h.stop()));
    }
  });
});
