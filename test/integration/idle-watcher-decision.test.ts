import { argvCommand } from '../../src/main/services/ssh/remote-command';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClientChannel } from 'ssh2';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeIdleReason } from '../../src/main/services/idle/idle-reason';
import { watcherScript } from '../../src/main/services/idle/watcher-script';
import type { SshConnection } from '../../src/main/services/ssh/ssh-connection';
import { shellQuote } from '../../src/main/services/ssh/shell-quote';
import { createWatcherBox, type WatcherBox } from '../support/idle-watcher-box';
import { requireBinary } from '../support/system-deps';
import { startTunnelRig, waitFor, type TunnelRig } from '../support/tunnel-rig';

/**
 * The watcher's decision, run the way the timer runs it (/bin/sh on the instance) but started over a real
 * SSH connection to the sshd rig, with the box's stand-ins for shutdown, logger, console and nvidia-smi.
 * A "minute" is one second; the rule is 5 minutes idle.
 */
let rig: TunnelRig;
let connection: SshConnection;
let box: WatcherBox;
let bootId: string;
const rule = { idleMinutes: 5, cpuLoad: 0.5, gpuPercent: 10, jupyterMinutes: 3 };

beforeAll(async () => {
  rig = await startTunnelRig();
  connection = (await rig.connections.acquire(rig.ref)).connection;
  bootId = (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim();
});

afterAll(async () => {
  connection?.release();
  await rig?.stop();
});

beforeEach(async () => {
  box = await createWatcherBox(watcherScript(rule));
});

afterEach(async () => {
  await box.cleanup();
});

async function runWatcher(extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const env = Object.entries(box.env(extra)).map(([k, v]) => `${k}=${v}`);
  const { stdout, code } = await connection.run({ script: 'exec "$@" 2>&1', args: ['env', ...env, '/bin/sh', box.scriptPath] }, 60_000);
  expect(code, stdout).toBe(0);
  return box.state();
}

const longAgo = (): string => String(Math.floor(Date.now() / 1000) - 3600);

describe('idle watcher decision over SSH (real sshd rig)', () => {
  it('a GPU at 85 % keeps a machine that has been idle for an hour running; at 3 % it stops', async () => {
    await box.setGpu(['85']);
    await box.writeState({ boot_id: bootId, last_busy: longAgo(), decision: 'idle' });
    expect(await runWatcher()).toMatchObject({ decision: 'busy', reason: 'GPU at 85 %' });
    expect(await box.shutdownCalls()).toEqual([]);
    expect(await box.console()).toBe('');

    await box.setGpu(['3']);
    await box.writeState({ boot_id: bootId, last_busy: longAgo(), decision: 'idle' });
    expect(await runWatcher()).toMatchObject({ decision: 'stopping' });
    expect(await box.shutdownCalls()).toEqual(['-h now']);
  });

  it('everything idle for N (scaled) minutes: shutdown -h now is called and the console says why', async () => {
    const first = await runWatcher();
    expect(first).toMatchObject({ decision: 'idle', reason: 'no GPU, no kernels, no sessions, load 0.00', boot_id: bootId });
    expect(await box.shutdownCalls()).toEqual([]);
    expect(await box.loggerLines()).toEqual([
      '-t hangar-idle idle (no GPU, no kernels, no sessions, load 0.00); stopping after 5 min unless something starts',
    ]);

    await new Promise((resolve) => setTimeout(resolve, 5200));
    expect(await runWatcher()).toMatchObject({ decision: 'stopping', last_busy: first.last_busy });
    expect(await box.shutdownCalls()).toEqual(['-h now']);
    const console = await box.console();
    expect(console).toBe('hangar-idle: stopping after 5 min idle: no GPU, no kernels, no sessions, load 0.00\n');
    expect(describeIdleReason(console)?.sentence).toBe("stopped by Hangar's idle watcher after 5 min idle: no GPU, no kernels, no sessions, load 0.00");
    expect((await box.loggerLines()).at(-1)).toBe('-t hangar-idle stopping after 5 min idle: no GPU, no kernels, no sessions, load 0.00');
  });

  it('a state from an earlier boot does not stop a machine that has just started', async () => {
    await box.writeState({ boot_id: 'another-boot', last_busy: longAgo(), decision: 'idle' });
    const state = await runWatcher();
    expect(state.decision).toBe('idle');
    expect(Number(state.last_busy)).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(await box.shutdownCalls()).toEqual([]);
  });

  it('a failing shutdown is recorded as stop-failed', async () => {
    await box.writeState({ boot_id: bootId, last_busy: longAgo(), decision: 'idle' });
    const env = Object.entries(box.env({ HANGAR_IDLE_SHUTDOWN: '/bin/false' })).map(([k, v]) => `${k}=${v}`);
    const { code } = await connection.run(argvCommand(['env', ...env, '/bin/sh', box.scriptPath]), 60_000);
    expect(code).toBe(1);
    expect((await box.state()).decision).toBe('stop-failed');
  });

  it('an open SSH session with a terminal is busy (sshd "user@pts/N" processes; the rig writes no utmp)', async () => {
    // The script sees only the rig's own processes, so sessions of anything else on this machine do not count.
    await box.setProcView(rig.sshd.processIds());
    expect(await runWatcher()).toMatchObject({ decision: 'idle', reason: 'no GPU, no kernels, no sessions, load 0.00' });

    const shell = await new Promise<ClientChannel>((resolve, reject) =>
      connection.client.shell({ term: 'xterm', rows: 24, cols: 80 }, (error, channel) => (error ? reject(error) : resolve(channel))),
    );
    shell.on('data', () => undefined);
    try {
      await waitFor(async () => {
        await box.setProcView(rig.sshd.processIds());
        return (await runWatcher()).decision === 'busy';
      }, 'the session to count');
      expect(await box.state()).toMatchObject({ decision: 'busy', reason: '1 login session' });
    } finally {
      shell.end('exit\n');
      shell.close();
    }
    await waitFor(async () => {
      await box.setProcView(rig.sshd.processIds());
      return (await runWatcher()).decision === 'idle';
    }, 'the closed session to stop counting');
  });

  describe('tmux', () => {
    let client: ChildProcess | undefined;
    let socket: string;
    const tmux = (args: string[]): Promise<string> =>
      new Promise((resolve) => {
        const child = spawn(requireBinary('tmux', 'tmux'), ['-S', socket, ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.on('close', () => resolve(out));
      });

    afterEach(async () => {
      client?.kill('SIGKILL');
      await tmux(['kill-server']);
    });

    it('an attached tmux client is busy; the same session detached is not', async () => {
      await mkdir(join(box.tmuxDir, 'tmux-0'), { mode: 0o700 });
      socket = join(box.tmuxDir, 'tmux-0', 'default');
      // A client needs a terminal: `script` gives it one, as an SSH login would.
      const command = `${shellQuote([requireBinary('tmux', 'tmux'), '-S', socket, '-f', '/dev/null', 'new-session', '-s', 'idle-test'])}`;
      client = spawn(requireBinary('script', 'util-linux'), ['-qfec', command, '/dev/null'], {
        env: { ...process.env, TERM: 'xterm' },
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      await waitFor(async () => (await tmux(['list-clients'])).trim() !== '', 'the tmux client to attach');
      expect(await runWatcher()).toMatchObject({ decision: 'busy', reason: '1 tmux client attached' });

      await tmux(['detach-client', '-a']);
      await tmux(['detach-client']);
      await waitFor(async () => (await tmux(['list-clients'])).trim() === '', 'the client to detach');
      expect((await tmux(['list-sessions'])).trim()).toMatch(/^idle-test:/);
      expect(await runWatcher()).toMatchObject({ decision: 'idle' });
    });
  });
});
