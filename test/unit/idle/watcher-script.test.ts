import { execFile } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { describeIdleReason } from '../../../src/main/services/idle/idle-reason';
import { settingsFromScript } from '../../../src/main/services/idle/idle-settings';
import { WATCHER_ENVIRONMENT } from '../../../src/main/services/idle/watcher-environment';
import { DEFAULT_IDLE_STATE_DIR, watcherScript } from '../../../src/main/services/idle/watcher-script';
import { watcherService, watcherTimer } from '../../../src/main/services/idle/watcher-units';
import { DEFAULT_IDLE_WATCHER_SETTINGS, type IdleWatcherSettings } from '../../../src/shared/models/idle-watcher';
import { caught } from '../../support/caught';
import { createWatcherBox, type WatcherBox } from '../../support/idle-watcher-box';
import { findBinary } from '../../support/system-deps';

const run = promisify(execFile);
const rule: IdleWatcherSettings = { idleMinutes: 5, cpuLoad: 0.75, gpuPercent: 12.5, jupyterMinutes: 3 };

let boxes: WatcherBox[] = [];
afterEach(async () => {
  await Promise.all(boxes.map((b) => b.cleanup()));
  boxes = [];
});

async function box(text = watcherScript(rule)): Promise<WatcherBox> {
  const made = await createWatcherBox(text);
  boxes.push(made);
  return made;
}

/** The script under dash, the strictest common /bin/sh (what Debian and Ubuntu run it with). */
async function runLocally(b: WatcherBox, env: Record<string, string> = b.env()): Promise<{ stdout: string; stderr: string }> {
  return run(findBinary('dash') ?? '/bin/sh', [b.scriptPath], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } });
}

describe('watcher script text', () => {
  const text = watcherScript(DEFAULT_IDLE_WATCHER_SETTINGS);

  it.each([['dash'], ['bash'], ['sh']].filter(([shell]) => findBinary(shell ?? '') !== undefined))('parses with %s -n', async (shell) => {
    const path = findBinary(shell) ?? shell;
    const b = await box(text);
    const args = shell === 'bash' ? ['--posix', '-n', b.scriptPath] : ['-n', b.scriptPath];
    await expect(run(path, args)).resolves.toBeDefined();
  });


  it('uses none of the bash-only forms a reviewer would look for', () => {
    const code = text
      .split('\n')
      .filter((l) => !l.trimStart().startsWith('#'))
      .join('\n');
    // (awk's `function f(args)` is fine; bash's `function f {` / `function f() {` is not.)
    expect(code).not.toMatch(/\bfunction\s+\w+\s*(\(\s*\))?\s*\{/);
    for (const bashism of ['[[', 'local ', '<<<', "$'", '&>', 'declare ', 'source ', 'pipefail', '${PIPESTATUS']) {
      expect(code, bashism).not.toContain(bashism);
    }
    // `==` inside [ ] (awk's == is its own).
    expect(code).not.toMatch(/\[\s[^\]\n]*\s==\s/);
    expect(text.startsWith('#!/bin/sh\n# hangar-idle-watcher: ')).toBe(true);
  });

  it('carries the rule as plain assignments that status reads back', () => {
    const script = watcherScript(rule);
    expect(script).toContain('\nidle_minutes=5\ncpu_load=0.75\ngpu_percent=12.5\njupyter_minutes=3\n');
    expect(script).toContain(`\ndefault_state_dir=${DEFAULT_IDLE_STATE_DIR}\n`);
    expect(settingsFromScript(script)).toEqual(rule);
    expect(settingsFromScript('#!/bin/sh\nidle_minutes=5\n')).toBeUndefined();
  });

  it('names every variable it honours in WATCHER_ENVIRONMENT, and no other HANGAR_IDLE_ one', () => {
    const used = new Set([...text.matchAll(/\bHANGAR_IDLE_[A-Z_]+/g)].map((m) => m[0]));
    expect([...used].sort()).toEqual(Object.keys(WATCHER_ENVIRONMENT).sort());
  });

  it.each([
    [{ idleMinutes: 4 }, 'idleMinutes'],
    [{ idleMinutes: 7.5 }, 'idleMinutes'],
    [{ gpuPercent: 101 }, 'gpuPercent'],
    [{ cpuLoad: -1 }, 'cpuLoad'],
    [{ cpuLoad: Number.NaN }, 'cpuLoad'],
    [{ jupyterMinutes: 0 }, 'jupyterMinutes'],
  ])('refuses %j', async (bad, field) => {
    const error = await caught(Promise.resolve().then(() => watcherScript({ ...rule, ...bad })));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.details?.field).toBe(field);
  });

  it('units run the script with /bin/sh every minute, tagged as Hangar\'s', () => {
    expect(watcherService('/usr/local/bin/hangar-idle-watcher')).toContain('\nExecStart=/bin/sh /usr/local/bin/hangar-idle-watcher\n');
    expect(watcherService('/x')).toContain('Type=oneshot');
    expect(watcherTimer()).toContain('OnUnitActiveSec=1min');
    expect(watcherTimer()).toContain('WantedBy=timers.target');
    for (const unit of [watcherService('/x'), watcherTimer()]) expect(unit.startsWith('# Installed by Hangar')).toBe(true);
  });
});

describe('watcher script run locally (dash, every outside command a stand-in)', () => {
  it('a state dir with quotes, spaces and $(…) is used as given, never run', async () => {
    const b0 = await box();
    const odd = join(b0.dir, `it's a "state" dir $(touch pwned) ;x`);
    const b = await box(watcherScript(rule, { stateDir: odd }));
    const env = b.env();
    delete env.HANGAR_IDLE_STATE_DIR;
    await runLocally(b, env);
    const state = await readFile(join(odd, 'state'), 'utf8');
    expect(state).toMatch(/^decision=idle$/m);
    await expect(stat(join(b0.dir, 'pwned'))).rejects.toThrow();
    await expect(stat('pwned')).rejects.toThrow();
  });

  it('a GPU above the threshold is busy; below it, and no nvidia-smi at all, are not', async () => {
    const b = await box();
    await b.setGpu(['3', '40']);
    await runLocally(b);
    expect(await b.state()).toMatchObject({ decision: 'busy', reason: 'GPU at 40 %' });
    await b.setGpu(['12.5', '0']);
    await runLocally(b);
    expect(await b.state()).toMatchObject({ decision: 'idle', reason: 'no GPU use, no kernels, no sessions, load 0.00' });
    await b.setGpu(undefined);
    await runLocally(b);
    expect((await b.state()).reason).toBe('no GPU, no kernels, no sessions, load 0.00');
  });

  it('load above the threshold, a login `who` lists and an attached screen session are each busy', async () => {
    const b = await box();
    await b.setLoad('0.80');
    await runLocally(b);
    expect((await b.state()).reason).toBe('load 0.80');
    await b.setLoad('0.75');
    await b.setWho(['ubuntu   pts/0        2024-05-01 10:00 (203.0.113.9)', 'ubuntu   pts/1        2024-05-01 10:05 (203.0.113.9)']);
    await runLocally(b);
    expect((await b.state()).reason).toBe('2 login sessions');
    await b.setWho([]);
    // screen's convention: the owner's execute bit on a session's socket means a display is attached.
    const sessionDir = join(b.screenDir, 'S-ubuntu');
    await run('mkdir', ['-p', sessionDir]);
    await writeFile(join(sessionDir, '1234.pts-0.host'), '', { mode: 0o600 });
    await runLocally(b);
    expect((await b.state()).decision).toBe('idle');
    await run('chmod', ['700', join(sessionDir, '1234.pts-0.host')]);
    await runLocally(b);
    expect((await b.state()).reason).toBe('1 screen session attached');
  });

  it('writes a stop line that describeIdleReason turns into Hangar\'s sentence', async () => {
    const b = await box();
    const startedAt = Math.floor(Date.now() / 1000) - 301;
    const boot = (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim();
    await b.writeState({ boot_id: boot, last_busy: String(startedAt), decision: 'idle' });
    await runLocally(b, b.env({ HANGAR_IDLE_MINUTE_SECONDS: '60' }));
    expect(await b.shutdownCalls()).toEqual(['-h now']);
    const line = await b.console();
    expect(line).toBe('hangar-idle: stopping after 5 min idle: no GPU, no kernels, no sessions, load 0.00\n');
    expect(describeIdleReason(`[  OK  ] Reached target Shutdown.\r\n${line}`)?.sentence).toBe(
      "stopped by Hangar's idle watcher after 5 min idle: no GPU, no kernels, no sessions, load 0.00",
    );
    expect(await b.loggerLines()).toContain('-t hangar-idle stopping after 5 min idle: no GPU, no kernels, no sessions, load 0.00');
  });
});
