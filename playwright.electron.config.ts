import { defineConfig } from '@playwright/test';

/**
 * The desktop app itself, launched with Playwright's Electron support. Needs the Electron binary, so it
 * runs on GitHub's Windows and macOS runners (.github/workflows/ci.yml), not where downloads are blocked.
 */
export default defineConfig({
  testDir: 'test/electron',
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [['list']],
  outputDir: 'test-results/electron-artifacts',
});
