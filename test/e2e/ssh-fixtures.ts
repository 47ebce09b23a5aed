import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page, TestType } from '@playwright/test';
import { startSshd, type Sshd } from '../support/sshd';
import { expect, test as base } from './aws-fixtures';

// Spelled out so the exported type does not depend on the other fixture files' unexported interfaces.
type BaseTest = typeof base;
type BaseArgs = BaseTest extends TestType<infer A, object> ? A : never;
type BaseWorkerArgs = BaseTest extends TestType<object, infer W> ? W : never;

export { expect };

interface SshFixtures {
  /** A real OpenSSH server on loopback for this test. */
  sshd: Sshd;
  /** The rig's user key written to a file named like the seeded instances' key pair (lab-key). */
  userKeyFile: string;
  /** Points an instance at the rig's sshd (host:port and user), as a per-instance connection override. */
  routeToSshd: (instanceId: string) => Promise<void>;
}

export const test: TestType<BaseArgs & SshFixtures, BaseWorkerArgs> = base.extend<SshFixtures>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture's dependencies from this pattern.
  sshd: async ({}, use, testInfo) => {
    const sshd = await startSshd();
    try {
      await use(sshd);
    } finally {
      if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('sshd.log', { body: sshd.logs(), contentType: 'text/plain' });
      await sshd.stop();
    }
  },

  userKeyFile: async ({ sshd }, use) => {
    const dir = await mkdtemp(join(tmpdir(), 'hangar-e2e-key-'));
    const path = join(dir, 'lab-key');
    await writeFile(path, sshd.userPrivateKey, { mode: 0o600 });
    try {
      await use(path);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },

  routeToSshd: async ({ hangar, sshd }, use) => {
    await use(async (instanceId) => {
      await hangar.harness.services.terminals.setOverride(instanceId, { host: `${sshd.host}:${sshd.port}`, user: sshd.username });
    });
  },
});

/** `SHA256:…` of an OpenSSH public key line, as ssh-keygen -l prints it. */
export function fingerprintOf(publicKeyLine: string): string {
  const blob = Buffer.from(publicKeyLine.trim().split(/\s+/)[1] ?? '', 'base64');
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The terminal on screen (the visible tab panel's xterm). */
export function terminalHost(page: Page): Locator {
  return page.getByRole('tabpanel').locator('.terminal-host');
}

/** Everything in the visible terminal's buffer (scrollback included), whatever the renderer. */
export async function terminalText(page: Page): Promise<string> {
  return terminalHost(page).evaluate((element) => (element as HTMLElement & { readBuffer(): string }).readBuffer());
}

/** Waits until the visible terminal shows a line matching `pattern`; returns that line's match. */
export async function waitForLine(page: Page, pattern: RegExp, timeout = 10_000): Promise<RegExpMatchArray> {
  let match: RegExpMatchArray | null = null;
  await expect
    .poll(
      async () => {
        const lines = (await terminalText(page)).split('\n');
        match = null;
        for (const line of lines) {
          const found = line.trimEnd().match(pattern);
          if (found) match = found;
        }
        return match !== null;
      },
      { timeout },
    )
    .toBe(true);
  return match as unknown as RegExpMatchArray;
}

/** Imports the rig's user key (lab-key) through the Accounts screen's picker, as a user would. */
export async function importLabKey(page: Page, harness: { queuePickedFiles(paths: string[]): void }, keyFile: string): Promise<void> {
  await page.keyboard.press('Control+1');
  harness.queuePickedFiles([keyFile]);
  await page.getByRole('region', { name: 'SSH keys' }).getByRole('button', { name: 'Import key…' }).click();
  await expect(page.getByRole('listitem', { name: 'lab-key' })).toBeVisible();
}
