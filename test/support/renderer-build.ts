import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where `npx electron-vite build` puts the page the E2E tests and benches serve. */
export const RENDERER_DIR = 'out/renderer';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Tests and benches must never run against an old build of the page they claim to test or time. */
export function assertRendererBuilt(): void {
  const index = resolve(RENDERER_DIR, 'index.html');
  const build = 'npx electron-vite build';
  if (!existsSync(index)) throw new Error(`The renderer is not built (${index} is missing). Run: ${build}`);
  const sources = Math.max(newestMtime('src/renderer'), newestMtime('src/shared'));
  if (sources > statSync(index).mtimeMs) throw new Error(`${RENDERER_DIR} is older than src/renderer or src/shared. Rebuild it: ${build}`);
}
