import { expect, test as base, type Page } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HangarError } from '../../src/shared/errors/hangar-error';
import { startWebHarness, type WebHarness } from '../../src/main/bridge/web-harness';
import { createLogger } from '../../src/main/services/logging/logger';
import type { SecretStore } from '../../src/main/services/secrets/secret-store';
import { createMemorySecretStore } from '../support/memory-secret-store';
import { assertRendererBuilt, RENDERER_DIR } from '../support/renderer-build';


export interface HarnessHandle {
  readonly harness: WebHarness;
  /** Where this test's settings.json lives. */
  readonly dataDir: string;
  /** http://127.0.0.1:<port> (no token). */
  readonly origin: string;
}

/** What a page said that it should not have: console errors, uncaught exceptions, CSP violations. */
export interface PageProblems {
  readonly consoleErrors: string[];
  readonly pageErrors: string[];
  readonly cspViolations: string[];
}

export interface Fixtures {
  /** Set true in a test that provokes errors on purpose (refused socket, stopped bridge). */
  allowPageProblems: boolean;
  /** The harness's keychain: an in-memory one, or one that is locked (every call fails). */
  keychain: 'ready' | 'locked';
  hangar: HarnessHandle;
  problems: PageProblems;
  /** The page, opened on the app, after the frame has rendered. */
  app: Page;
}



/** A keychain that refuses everything, the way a locked or missing Secret Service does. */
export const LOCKED_KEYCHAIN_ERROR = {
  message: 'The system keychain is locked.',
  hint: 'Unlock it (log in to your desktop session) and try again.',
};

function lockedSecretStore(): SecretStore {
  const fail = async (): Promise<never> => {
    throw new HangarError({ code: 'KEYCHAIN_UNAVAILABLE', ...LOCKED_KEYCHAIN_ERROR, retryable: true });
  };
  return { get: fail, set: fail, delete: fail, keys: fail };
}

/** Opens the app and waits for the frame: the sidebar and a page title mean settings have arrived. */
export async function openApp(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}

export const test = base.extend<Fixtures>({
  allowPageProblems: [false, { option: true }],
  keychain: ['ready', { option: true }],

  hangar: async ({ keychain }, use) => {
    assertRendererBuilt();
    const dataDir = await mkdtemp(join(tmpdir(), 'hangar-e2e-'));
    const harness = await startWebHarness({
      dataDir,
      rendererDir: RENDERER_DIR,
      secrets: keychain === 'ready' ? createMemorySecretStore() : lockedSecretStore(),
      logger: createLogger({ level: 'error' }),
      version: '0.1.0-e2e',
    });
    try {
      await use({ harness, dataDir, origin: harness.bridge.origin });
    } finally {
      await harness.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  },

  problems: [
    async ({ page, allowPageProblems }, use) => {
      const problems: PageProblems = { consoleErrors: [], pageErrors: [], cspViolations: [] };
      page.on('console', (message) => {
        if (message.type() === 'error') problems.consoleErrors.push(message.text());
      });
      page.on('pageerror', (error) => problems.pageErrors.push(error.message));
      // Reported from inside every document the page loads, reloads included.
      await page.exposeFunction('__hangarReportCsp', (text: string) => problems.cspViolations.push(text));
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) => {
          const report = (window as unknown as { __hangarReportCsp?: (text: string) => void }).__hangarReportCsp;
          report?.(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`);
        });
      });
      await use(problems);
      if (!allowPageProblems) {
        expect(problems.cspViolations, 'CSP violations').toEqual([]);
        expect(problems.pageErrors, 'uncaught page errors').toEqual([]);
        expect(problems.consoleErrors, 'console errors').toEqual([]);
      }
    },
    { auto: true },
  ],

  app: async ({ page, hangar }, use) => {
    await openApp(page, hangar.harness.url);
    await use(page);
  },
});

export { expect };
