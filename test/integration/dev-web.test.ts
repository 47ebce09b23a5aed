import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

/**
 * `npm run dev:web` as a developer (and the E2E suite) runs it: a real process under Node's own ESM loader
 * (vitest's module interop would hide a CommonJS named-import mistake), printing one line to read.
 */
const children: ChildProcess[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'hangar-devweb-'));
afterAll(async () => {
  // A stopping harness still writes its settings (the transfer queue is saved on quit): wait for it.
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) resolve();
          else {
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }
        }),
    ),
  );
  rmSync(dataDir, { recursive: true, force: true });
});

function startDevWeb(args: string[]): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/bridge/dev-web.ts', ...args], {
    env: { ...process.env, HANGAR_DATA_DIR: dataDir, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dev:web printed nothing in 30 s\n${err}`)), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('Hangar UI: '));
      if (line) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    child.once('exit', (code) => reject(new Error(`dev:web exited with ${code}\n${err}`)));
  });
}

describe('npm run dev:web', () => {
  it('prints one line with a loopback URL and token, serves the app and accepts only that token', async () => {
    const renderer = join(process.cwd(), 'out', 'renderer');
    const line = await startDevWeb(existsSync(join(renderer, 'index.html')) ? ['--static', renderer] : []);
    const match = /^Hangar UI: (http:\/\/127\.0\.0\.1:(\d+))\/\?token=([A-Za-z0-9_%-]{20,})$/.exec(line);
    expect(match, line).not.toBeNull();
    const [, origin, , token] = match!;
    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');

    const socket = new WebSocket(`${origin!.replace('http', 'ws')}/ipc?token=${token}`, { headers: { origin: origin! } });
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const reply = new Promise<string>((resolve) => socket.once('message', (d) => resolve(d.toString())));
    socket.send(JSON.stringify({ t: 'call', id: '1', method: 'app.info', args: [] }));
    expect(JSON.parse(await reply)).toMatchObject({ t: 'result', id: '1', result: { ok: true, value: { name: 'Hangar', shell: 'web' } } });
    // Settings go to HANGAR_DATA_DIR.
    const saved = new Promise<string>((resolve) => socket.on('message', (d) => d.toString().includes('"id":"2"') && resolve(d.toString())));
    socket.send(JSON.stringify({ t: 'call', id: '2', method: 'settings.update', args: [{ appearance: { theme: 'dark' } }] }));
    expect(JSON.parse(await saved)).toMatchObject({ result: { ok: true } });
    expect(JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8'))).toMatchObject({ appearance: { theme: 'dark' } });
    socket.terminate();
  });

  it('honours --port', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const line = await startDevWeb(['--port', String(port), '--static', join(process.cwd(), 'out', 'renderer')]);
    expect(line).toContain(`http://127.0.0.1:${port}/?token=`);
  });
});
