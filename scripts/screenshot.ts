/**
 * `npx tsx scripts/screenshot.ts`: docs/screenshot-light.png and docs/screenshot-dark.png of the
 * Instances section at 1280×800. Builds nothing: it serves the renderer already in out/renderer
 * (`npx vite build --config renderer.vite.config.ts`) through the web harness with an in-memory keychain
 * and a throwaway data dir, so the pictures show a first start and touch no real settings or secrets.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright';
import { startWebHarness } from '../src/main/bridge/web-harness';
import { createLogger } from '../src/main/services/logging/logger';
import { createMemorySecretStore } from '../src/main/services/secrets/memory-secret-store';

const rendererDir = resolve('out/renderer');
if (!existsSync(join(rendererDir, 'index.html'))) {
  console.error('out/renderer is not built. Run: npx vite build --config renderer.vite.config.ts');
  process.exit(1);
}

const outDir = resolve('docs');
await mkdir(outDir, { recursive: true });
const dataDir = await mkdtemp(join(tmpdir(), 'hangar-screenshot-'));
const harness = await startWebHarness({
  dataDir,
  rendererDir,
  secrets: createMemorySecretStore(),
  logger: createLogger({ level: 'error' }),
  version: (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version,
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars'],
});

try {
  for (const scheme of ['light', 'dark'] as const) {
    // The theme stays "System", so this also shows the app following the OS appearance.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, colorScheme: scheme, reducedMotion: 'reduce' });
    const page = await context.newPage();
    await page.goto(harness.url);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Instances', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'Add an AWS account to see your instances' }).waitFor();
    await page.getByRole('contentinfo').getByText('Keychain: ready').waitFor();
    await page.mouse.move(0, 799);
    const path = join(outDir, `screenshot-${scheme}.png`);
    await page.screenshot({ path });
    console.log(`wrote ${path}`);
    await context.close();
  }
} finally {
  await browser.close();
  await harness.close();
  await rm(dataDir, { recursive: true, force: true });
}
