/**
 * npm run bench:terminal: bundles bench/terminal-run.ts (the benchmark itself) with Vite and runs it with
 * plain node. Its peak RSS is the terminal service's, and the app runs its main process as bundled JS; under
 * tsx the same process also holds tsx's module-loader thread (a second V8 isolate, about 30 MB) that the app
 * never has. Node modules stay external, as in the app's main bundle; the Chromium part is a separate chunk,
 * loaded only after the RSS is measured. The run's stdout and stderr pass through: its last stdout line is
 * the JSON result.
 */
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'vite';

const outDir = join(process.cwd(), 'out', 'bench-terminal');
await rm(outDir, { recursive: true, force: true });
// An SSR build: for Node, dependencies left as imports (as electron-vite leaves them in the app's main).
await build({
  configFile: false,
  logLevel: 'warn',
  build: {
    ssr: join(process.cwd(), 'bench', 'terminal-run.ts'),
    outDir,
    target: 'node20',
    minify: false,
    rollupOptions: { output: { format: 'es', entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' } },
  },
});
const code = await new Promise<number | null>((resolve) => {
  const child = spawn(process.execPath, [join(outDir, 'terminal-run.mjs')], { stdio: 'inherit' });
  child.once('exit', resolve);
});
process.exit(code ?? 1);
