import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { watcherScript } from '../../src/main/services/idle/watcher-script';
import type { SshConnection } from '../../src/main/services/ssh/ssh-connection';
import { createWatcherBox, type WatcherBox } from '../support/idle-watcher-box';
import { startJupyter, type JupyterRig } from '../support/jupyter';
import { startTunnelRig, waitFor, type TunnelRig } from '../support/tunnel-rig';

/**
 * The watcher against a real Jupyter Notebook server behind the sshd rig: it finds the server through its
 * runtime file (or `jupyter notebook list`), asks /api/kernels with the server's token, and counts a
 * kernel as busy while it executes or while its last activity is within the window. A "minute" is two
 * seconds here, so the 3-minute window is 6 s.
 */
let rig: TunnelRig;
let jupyter: JupyterRig;
let connection: SshConnection;
let box: WatcherBox;
const MINUTE = '2';

beforeAll(async () => {
  rig = await startTunnelRig();
  jupyter = await startJupyter({ home: rig.home });
  connection = (await rig.connections.acquire(rig.ref)).connection;
  box = await createWatcherBox(watcherScript({ idleMinutes: 5, cpuLoad: 0.5, gpuPercent: 10, jupyterMinutes: 3 }));
}, 60_000);

afterAll(async () => {
  await box?.cleanup();
  connection?.release();
  await jupyter?.stop();
  await rig?.stop();
});

async function runWatcher(extra: Record<string, string> = {}): Promise<{ state: Record<string, string>; output: string }> {
  const env = Object.entries(box.env({ HANGAR_IDLE_MINUTE_SECONDS: MINUTE, HANGAR_IDLE_JUPYTER_RUNTIME_DIRS: jupyter.runtimeDir, ...extra })).map(
    ([k, v]) => `${k}=${v}`,
  );
  const { stdout, code } = await connection.run({ script: 'exec "$@" 2>&1', args: ['env', ...env, '/bin/sh', box.scriptPath] }, 60_000);
  expect(code, stdout).toBe(0);
  return { state: await box.state(), output: stdout };
}

async function api(method: string, path: string): Promise<unknown> {
  const res = await fetch(`http://127.0.0.1:${jupyter.port}${path}`, { method, headers: { Authorization: `token ${jupyter.token}` } });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status}`);
  return res.status === 204 ? undefined : res.json();
}

async function kernelState(id: string): Promise<string> {
  return ((await api('GET', `/api/kernels/${id}`)) as { execution_state: string }).execution_state;
}

/** Opens the kernel's websocket, as a notebook tab does (the server then asks the kernel for its state). */
async function connectKernel(id: string): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${jupyter.port}/api/kernels/${id}/channels?token=${jupyter.token}`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return ws;
}

/** Sends code to a kernel over its websocket and resolves once it runs. */
async function execute(id: string, code: string): Promise<WebSocket> {
  const ws = await connectKernel(id);
  const msgId = randomUUID();
  const header = { msg_id: msgId, username: 'test', session: randomUUID(), msg_type: 'execute_request', version: '5.3', date: new Date().toISOString() };
  const content = { code, silent: false, store_history: false, user_expressions: {}, allow_stdin: false, stop_on_error: true };
  const running = new Promise<void>((resolve) => {
    ws.on('message', (data: WebSocket.RawData) => {
      const msg = JSON.parse(data.toString()) as { msg_type?: string; parent_header?: { msg_id?: string }; content?: { execution_state?: string } };
      if (msg.msg_type === 'status' && msg.parent_header?.msg_id === msgId && msg.content?.execution_state === 'busy') resolve();
    });
  });
  ws.send(JSON.stringify({ header, parent_header: {}, metadata: {}, content, channel: 'shell', buffers: [] }));
  await running;
  return ws;
}

describe('idle watcher and a real Jupyter server (over SSH, real sshd rig)', () => {
  let kernelId: string;

  it('a server without kernels is idle: "no kernels"', async () => {
    const { state } = await runWatcher();
    expect(state).toMatchObject({ decision: 'idle', reason: 'no GPU, no kernels, no sessions, load 0.00' });
  });

  it('a server it cannot read (wrong token in its runtime file) is reported, not counted as idle kernels', async () => {
    const other = join(box.dir, 'other-runtime');
    await mkdir(other, { recursive: true });
    await writeFile(join(other, 'nbserver-1.json'), JSON.stringify({ port: jupyter.port, hostname: 'localhost', token: 'not-the-token', base_url: '/', secure: false }, null, 1));
    const { state } = await runWatcher({ HANGAR_IDLE_JUPYTER_RUNTIME_DIRS: other });
    expect(state.reason).toBe('no GPU, 1 Jupyter server not answering, no sessions, load 0.00');
  });

  it('a kernel that was just active is busy; once the window has passed it is idle, even with a notebook tab open', async () => {
    kernelId = ((await api('POST', '/api/kernels')) as { id: string }).id;
    const tab = await connectKernel(kernelId);
    try {
      // A notebook tab asks the kernel for its info as it connects; the server shows the kernel as "starting"
      // until a message has gone through, so ask (again while waiting: the first may beat the kernel up).
      const askInfo = (): void => {
        const header = { msg_id: randomUUID(), username: 'test', session: randomUUID(), msg_type: 'kernel_info_request', version: '5.3', date: new Date().toISOString() };
        tab.send(JSON.stringify({ header, parent_header: {}, metadata: {}, content: {}, channel: 'shell', buffers: [] }));
      };
      askInfo();
      let asked = Date.now();
      await waitFor(
        async () => {
          if ((await kernelState(kernelId)) === 'idle') return true;
          if (Date.now() - asked > 2000) {
            askInfo();
            asked = Date.now();
          }
          return false;
        },
        'the kernel to start',
        90_000,
      );
      const { state, output } = await runWatcher();
      expect(state).toMatchObject({ decision: 'busy', reason: '1 kernel active in the last 3 min' });
      // The token is the server's secret: never in what the watcher prints or keeps.
      expect(output).not.toContain(jupyter.token);
      expect(JSON.stringify(state)).not.toContain(jupyter.token);

      await new Promise((resolve) => setTimeout(resolve, 6500));
      expect((await runWatcher()).state).toMatchObject({ decision: 'idle', reason: 'no GPU, 1 kernel idle, no sessions, load 0.00' });
    } finally {
      tab.close();
    }
  }, 150_000);

  it('a kernel executing code is busy long after its last message; read with curl, wget, or via `jupyter notebook list`', async () => {
    const ws = await execute(kernelId, 'import time; time.sleep(60)');
    try {
      await new Promise((resolve) => setTimeout(resolve, 6500));
      expect(await kernelState(kernelId)).toBe('busy');
      expect((await runWatcher()).state).toMatchObject({ decision: 'busy', reason: '1 kernel executing' });
      // No curl on the instance: wget, with the token in a private wgetrc instead of on the command line.
      expect((await runWatcher({ HANGAR_IDLE_CURL: '/nonexistent/curl' })).state.reason).toBe('1 kernel executing');
      // No runtime files where expected: the server as `jupyter notebook list` reports it for this user.
      const empty = join(box.dir, 'empty-runtime');
      await mkdir(empty, { recursive: true });
      const viaList = await runWatcher({
        HANGAR_IDLE_JUPYTER_RUNTIME_DIRS: empty,
        HANGAR_IDLE_JUPYTER: 'jupyter',
        HOME: jupyter.home,
        JUPYTER_RUNTIME_DIR: jupyter.runtimeDir,
      });
      expect(viaList.state.reason).toBe('1 kernel executing');
      expect(await box.shutdownCalls()).toEqual([]);
    } finally {
      ws.close();
      await api('POST', `/api/kernels/${kernelId}/interrupt`).catch(() => undefined);
      await api('DELETE', `/api/kernels/${kernelId}`).catch(() => undefined);
    }
  }, 150_000);
});
