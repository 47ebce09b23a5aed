/**
 * The whole keystroke path of bench:terminal, as a user meets it: a key typed in Chromium → xterm → the
 * WebSocket bridge → dispatch → the terminal service → ssh2 → sshd → the login shell's echo → back the
 * same way → parsed by xterm → painted. Built like the E2E tests: the web harness serving the built
 * renderer (out/renderer) with the real services, an EC2 simulator, a loopback sshd, and the system
 * Chromium driven by Playwright. Timed inside the page: performance.now() at keydown (capture phase,
 * before xterm sees it) until xterm reports a write parsed / a render whose cursor line shows the key.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright';
import { startWebHarness } from '../src/main/bridge/web-harness';
import { createLogger } from '../src/main/services/logging/logger';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator } from '../test/support/ec2-simulator/index';
import { createMemorySecretStore } from '../test/support/memory-secret-store';
import { startSshd } from '../test/support/sshd';
import { assertRendererBuilt, RENDERER_DIR } from '../test/support/renderer-build';

export interface FullEchoResult {
  /** Keydown → the echo parsed into xterm's buffer. */
  readonly parsedMs: number[];
  /** Keydown → the first render (paint) of xterm that shows the echo. */
  readonly paintedMs: number[];
  /** 'webgl' or 'dom': which xterm renderer painted. */
  readonly renderer: string;
}

const AWS_ENV = ['AWS_ENDPOINT_URL', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_REGION', 'AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;



interface EchoTimes {
  readonly key: number;
  readonly parsed: number;
  readonly painted: number;
}

/**
 * Installed in the page (as source text: the page's CSP is not in the way of the debugger protocol, and the
 * bench's own transpiler would otherwise wrap functions in helpers the page lacks). window.__echoProbe.arm(s)
 * expects the cursor line to end with `s` after the next key; __echoProbe.pending then resolves with the times
 * once that was parsed and painted. It never polls: a requestAnimationFrame loop while waiting would keep frames ticking and delay
 * the very paint being timed.
 */
const PROBE_SCRIPT = `(() => {
  const el = document.querySelector('[role="tabpanel"] .terminal-host');
  const probe = { suffix: '', keyAt: 0, parsedAt: 0, paintedAt: 0, done: undefined };
  // Capture phase on window: runs before xterm's own keydown handler.
  window.addEventListener('keydown', () => { probe.keyAt = performance.now(); }, true);
  el.watchScreen((what) => {
    const now = performance.now();
    if (probe.suffix === '' || probe.keyAt === 0) return;
    if (what === 'parsed' ? probe.parsedAt !== 0 : probe.paintedAt !== 0) return;
    if (!el.readCursorLine().trimEnd().endsWith(probe.suffix)) return;
    if (what === 'parsed') probe.parsedAt = now;
    else probe.paintedAt = now;
    if (probe.parsedAt !== 0 && probe.paintedAt !== 0) {
      probe.suffix = '';
      probe.done({ key: probe.keyAt, parsed: probe.parsedAt, painted: probe.paintedAt });
    }
  });
  window.__echoProbe = {
    arm: (suffix) => {
      window.__echoProbe.pending = new Promise((resolve) => Object.assign(probe, { suffix, keyAt: 0, parsedAt: 0, paintedAt: 0, done: resolve }));
    },
    pending: undefined,
    renderer: el.querySelector('canvas') ? 'webgl' : 'dom',
  };
})()`;

export async function measureFullEcho(keystrokes: number, log: (line: string) => void): Promise<FullEchoResult> {
  assertRendererBuilt();
  const work = await mkdtemp(join(tmpdir(), 'hangar-bench-echo-'));
  const saved = Object.fromEntries(AWS_ENV.map((key) => [key, process.env[key]]));
  const sshd = await startSshd({ extraConfig: [`SetEnv HOME=${work}`] });
  const sim = await startEc2Simulator();
  const instanceId = sim.addInstance('us-east-1', { name: 'echo-1', instanceType: 't3.micro', keyName: 'lab-key' });
  for (const key of AWS_ENV) delete process.env[key];
  // Read by the SDK when each client is made: every AWS call goes to the simulator, nothing from this machine.
  process.env.AWS_ENDPOINT_URL = sim.url;
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(work, 'credentials');
  process.env.AWS_CONFIG_FILE = join(work, 'config');
  await writeFile(join(work, 'credentials'), '');
  await writeFile(join(work, 'config'), '');
  const harness = await startWebHarness({
    dataDir: join(work, 'data'),
    rendererDir: RENDERER_DIR,
    secrets: createMemorySecretStore(),
    logger: createLogger({ level: 'error' }),
    version: '0.1.0-bench',
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    await harness.services.accounts.add({ accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY, label: 'Bench', defaultRegion: 'us-east-1' });
    await harness.services.keys.importMaterial({ name: 'lab-key', privateKey: sshd.userPrivateKey });
    await harness.services.terminals.setOverride(instanceId, { host: `${sshd.host}:${sshd.port}`, user: sshd.username });

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(harness.url);
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    await page.keyboard.press('Control+2');
    await page.getByRole('button', { name: 'Connect to echo-1' }).click();
    await page.getByRole('dialog', { name: "Trust echo-1's host key?" }).getByRole('button', { name: 'Trust and connect' }).click();
    const host = page.getByRole('tabpanel').locator('.terminal-host');
    await host.waitFor({ timeout: 15_000 });
    await host.click();
    // A prompt is up once the cursor line is not empty.
    await page.waitForFunction(() => {
      const el = document.querySelector('.terminal-host') as (HTMLElement & { readCursorLine?: () => string }) | null;
      return (el?.readCursorLine?.() ?? '').trim() !== '';
    }, undefined, { timeout: 15_000 });

    await page.evaluate(PROBE_SCRIPT);

    const parsedMs: number[] = [];
    const paintedMs: number[] = [];
    let typed = '';
    for (let i = 0; i < keystrokes; i += 1) {
      const char = String.fromCharCode(97 + (i % 26));
      typed += char;
      // Armed before the key is sent (the key and an evaluation travel different ways into the page).
      await page.evaluate(`window.__echoProbe.arm(${JSON.stringify(typed.slice(-12))})`);
      await page.keyboard.press(char);
      const times = page.evaluate('window.__echoProbe.pending') as Promise<EchoTimes>;
      const t = await Promise.race([times, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no echo of keystroke ${i + 1}`)), 5_000))]);
      parsedMs.push(t.parsed - t.key);
      paintedMs.push(t.painted - t.key);
      if (i % 60 === 59) {
        // Ctrl-U: keep the line short (and the cursor line's text unique to what was typed since).
        await page.keyboard.press('Control+u');
        typed = '';
        await page.waitForTimeout(50);
      }
      // About a fast typist's pace (40–80 ms between keys), not back to back.
      await page.waitForTimeout(40 + Math.random() * 40);
    }
    const renderer = (await page.evaluate('window.__echoProbe.renderer')) as string;
    log(`full echo: ${keystrokes} keystrokes typed in Chromium (xterm renderer: ${renderer})`);
    return { parsedMs, paintedMs, renderer };
  } finally {
    await browser.close();
    await harness.close();
    await sim.close();
    await sshd.stop();
    for (const key of AWS_ENV) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    await rm(work, { recursive: true, force: true });
  }
}
