import { execFile, spawn } from 'node:child_process';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HangarError } from '../../src/shared/errors/hangar-error';
import { caught } from '../support/caught';
import { freeLoopbackPort } from '../support/jupyter';
import { startTunnelRig, waitFor, type TunnelRig } from '../support/tunnel-rig';

/** Plain port forwards both ways, local port fallback, reconnect states and Start Jupyter, against a real sshd. */
let rig: TunnelRig;
let http: HttpServer;
let httpPort: number;
const servers: Server[] = [];

beforeAll(async () => {
  rig = await startTunnelRig({ deps: { throttleMs: 0 } });
  // The "remote" service: on loopback, so the instance (the sshd rig) reaches it as 127.0.0.1.
  http = createHttpServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`hello from ${req.url ?? ''}`);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  httpPort = typeof address === 'object' && address !== null ? address.port : 0;
}, 60_000);

afterAll(async () => {
  for (const server of servers) server.close();
  http?.closeAllConnections();
  http?.close();
  await rig?.stop();
}, 60_000);

async function occupy(port: number): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  servers.push(server);
}

describe('port forwarding over the shared SSH connection', () => {
  it('local → remote: listens on the asked port (127.0.0.1 only) and reaches the remote service', async () => {
    const localPort = await freeLoopbackPort();
    const tunnel = await rig.tunnels.forward({ instance: rig.ref, direction: 'local', localPort, remotePort: httpPort });
    expect(tunnel).toMatchObject({ kind: 'port', state: 'open', localAddress: `127.0.0.1:${localPort}`, remoteAddress: `127.0.0.1:${httpPort}` });
    expect(tunnel.note).toBeUndefined();
    const res = await fetch(`http://127.0.0.1:${localPort}/a`);
    expect(await res.text()).toBe('hello from /a');
    await rig.tunnels.close(tunnel.id);
  }, 30_000);

  it('a local port in use: takes another one and says so', async () => {
    const taken = await freeLoopbackPort();
    await occupy(taken);
    const tunnel = await rig.tunnels.forward({ instance: rig.ref, direction: 'local', localPort: taken, remotePort: httpPort });
    expect(tunnel.localPort).not.toBe(taken);
    expect(tunnel.note).toContain(`Port ${taken}`);
    expect(tunnel.note).toContain(String(tunnel.localPort));
    const res = await fetch(`http://${tunnel.localAddress}/b`);
    expect(await res.text()).toBe('hello from /b');
    await rig.tunnels.close(tunnel.id);
  }, 30_000);

  it('remote → local: a port on the instance reaches a service on this computer', async () => {
    const remotePort = await freeLoopbackPort();
    const tunnel = await rig.tunnels.forward({ instance: rig.ref, direction: 'remote', localPort: httpPort, remotePort });
    expect(tunnel).toMatchObject({ direction: 'remote', state: 'open', remoteAddress: `127.0.0.1:${remotePort}` });
    // On the instance (here: the sshd rig on loopback), sshd listens on the remote port for us.
    expect(await (await fetch(`http://127.0.0.1:${remotePort}/from-instance`)).text()).toBe('hello from /from-instance');
    await waitFor(() => rig.tunnels.list().find((t) => t.id === tunnel.id && t.bytesIn > 0 && t.bytesOut > 0), 'bytes counted');
    await rig.tunnels.close(tunnel.id);
    // Unbound on the instance.
    await waitFor(async () => (await fetch(`http://127.0.0.1:${remotePort}/`).then(() => false, () => true)) || undefined, 'remote port released');
  }, 30_000);

  it('goes reconnecting when the link drops, holds new connections meanwhile, and is open again', async () => {
    const tunnel = await rig.tunnels.forward({ instance: rig.ref, direction: 'local', localPort: await freeLoopbackPort(), remotePort: httpPort });
    const before = rig.changes.length;
    await rig.sshd.dropConnections();
    await waitFor(() => rig.changes.slice(before).some((list) => list.some((t) => t.id === tunnel.id && t.state === 'reconnecting')), 'reconnecting');
    // A request made now waits for the link instead of failing.
    const res = await fetch(`http://${tunnel.localAddress}/during`);
    expect(await res.text()).toBe('hello from /during');
    await waitFor(() => rig.tunnels.list().find((t) => t.id === tunnel.id && t.state === 'open'), 'open again');
    await rig.tunnels.close(tunnel.id);
  }, 60_000);

  it('a stopped instance closes its tunnels', async () => {
    const tunnel = await rig.tunnels.forward({ instance: rig.ref, direction: 'local', localPort: await freeLoopbackPort(), remotePort: httpPort });
    rig.tunnels.instancesChanged([{ instanceId: rig.instanceId, previousState: 'running', currentState: 'stopping' }]);
    const closed = rig.tunnels.list().find((t) => t.id === tunnel.id);
    expect(closed).toMatchObject({ state: 'closed', error: { code: 'INSTANCE_STOPPED' } });
    await expect(fetch(`http://${tunnel.localAddress}/`)).rejects.toThrow();
    await rig.tunnels.close(tunnel.id);
  }, 30_000);

  it('remembers tunnels per instance and reopens one with one call', async () => {
    const localPort = await freeLoopbackPort();
    const first = await rig.tunnels.forward({ instance: rig.ref, instanceName: 'gpu-1', direction: 'local', localPort, remotePort: httpPort, label: 'API' });
    await rig.tunnels.close(first.id);
    const saved = rig.settings.get().tunnels[rig.instanceId]?.find((t) => t.label === 'API');
    expect(saved).toMatchObject({ kind: 'port', direction: 'local', localPort, remotePort: httpPort, instanceName: 'gpu-1' });
    const again = await rig.tunnels.reopen(rig.instanceId, saved?.id ?? '');
    expect(again).toMatchObject({ label: 'API', localPort, instanceName: 'gpu-1', state: 'open' });
    expect(await (await fetch(`http://127.0.0.1:${localPort}/c`)).text()).toBe('hello from /c');
    await rig.tunnels.close(again.id);
    await rig.tunnels.forget(rig.instanceId, saved?.id ?? '');
    expect(rig.settings.get().tunnels[rig.instanceId]?.find((t) => t.label === 'API')).toBeUndefined();
  }, 30_000);

  it('nothing on the remote port: the tunnel says so once a connection tries', async () => {
    const tunnel = await rig.tunnels.forward({ instance: rig.ref, direction: 'local', localPort: await freeLoopbackPort(), remotePort: await freeLoopbackPort() });
    await expect(fetch(`http://${tunnel.localAddress}/`)).rejects.toThrow();
    const shown = await waitFor(() => rig.tunnels.list().find((t) => t.id === tunnel.id && t.error !== undefined), 'error shown');
    expect(shown.error?.code).toBe('TUNNEL_FAILED');
    await rig.tunnels.close(tunnel.id);
  }, 30_000);
});

describe('not installed', () => {
  it('says so, with the one command that installs it, when the login shell finds no jupyter / tensorboard', async () => {
    // A login PATH without them: ~/.bash_profile (read by `bash -l` after /etc/profile) narrows it to a folder holding only `id`.
    const bin = join(rig.home, 'bin-minimal');
    await mkdir(bin, { recursive: true });
    await symlink('/usr/bin/id', join(bin, 'id'));
    await writeFile(join(rig.home, '.bash_profile'), `PATH=${bin}\n`);
    try {
      const jupyter = await caught(rig.tunnels.openJupyter({ instance: rig.ref, start: true, openBrowser: false }));
      expect(jupyter.code).toBe('JUPYTER_NOT_INSTALLED');
      expect(jupyter.hint).toBe('pip install jupyterlab');
      expect(jupyter.details?.command).toBe('pip install jupyterlab');
      expect((await rig.tunnels.discoverJupyter(rig.ref)).installed).toBe(false);
      // Only meaningful when nothing on this machine already serves 6006 (the "instance" is this machine).
      const tensorBoard = await rig.tunnels.openTensorBoard({ instance: rig.ref, start: true, openBrowser: false }).then(
        (t) => t,
        (error: unknown) => error as HangarError,
      );
      if (tensorBoard instanceof HangarError) {
        expect(tensorBoard.code).toBe('TENSORBOARD_NOT_INSTALLED');
        expect(tensorBoard.hint).toBe('pip install tensorboard');
      } else {
        await rig.tunnels.close(tensorBoard.id);
      }
    } finally {
      await rm(join(rig.home, '.bash_profile'), { force: true });
      await rm(bin, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('Start Jupyter', () => {
  it('none running: asks first, then starts one in tmux in the chosen folder and the tunnel reaches it', async () => {
    const notRunning = await caught(rig.tunnels.openJupyter({ instance: rig.ref, openBrowser: false }));
    expect(notRunning.code).toBe('JUPYTER_NOT_RUNNING');

    const missing = await caught(rig.tunnels.openJupyter({ instance: rig.ref, start: true, folder: '~/no-such-folder', openBrowser: false }));
    expect(missing.code).toBe('REMOTE_NOT_FOUND');

    const tunnel = await rig.tunnels.openJupyter({ instance: rig.ref, instanceName: 'gpu-1', start: true, folder: '~' });
    expect(tunnel).toMatchObject({ kind: 'jupyter', state: 'open' });
    const token = new URL(tunnel.url ?? '').searchParams.get('token') ?? '';
    expect(token.length).toBeGreaterThan(10);
    expect(rig.opened.at(-1)).toBe(tunnel.url);
    const ok = await fetch(`http://${tunnel.localAddress}/api/status`, { headers: { Authorization: `token ${token}` } });
    expect(ok.status).toBe(200);
    expect((await fetch(`http://${tunnel.localAddress}/api/status`)).status).toBe(403);
    // Running in tmux on the instance (so it outlives the SSH connection), in the home folder.
    const { stdout } = await promisify(execFile)('tmux', ['list-sessions', '-F', '#{session_name}'], { env: { ...process.env, TMUX_TMPDIR: rig.tmuxDir } });
    expect(stdout).toMatch(/^hangar-jupyter-\d+$/m);
    const contents = await (await fetch(`http://${tunnel.localAddress}/api/contents`, { headers: { Authorization: `token ${token}` } })).json() as { path: string };
    expect(contents.path).toBe('');
    expect(rig.logLines.join('\n')).not.toContain(token);
    expect(rig.settings.get().tunnels[rig.instanceId]?.find((t) => t.kind === 'jupyter')?.folder).toBe('~');
    await rig.tunnels.close(tunnel.id);
  }, 120_000);
});

describe('Start Jupyter when its port is taken after the check', () => {
  it('a port bound but not listening (it looks free) makes Jupyter stop at once: the next port is tried', async () => {
    // python3 binds 127.0.0.1:8888 without listening: a connection is refused (the check sees it free), a bind fails.
    // No Jupyter left running from the tests above: this one must be started.
    await promisify(execFile)('tmux', ['kill-server'], { env: { ...process.env, TMUX_TMPDIR: rig.tmuxDir } }).catch(() => undefined);
    const holder = spawn('python3', ['-c', 'import socket,sys,time\ns=socket.socket()\ns.bind(("127.0.0.1",8888))\nprint("bound",flush=True)\ntime.sleep(120)'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout?.once('data', () => resolve());
        holder.once('exit', (code) => reject(new Error(`could not hold port 8888 (exit ${code})`)));
      });
      const started = Date.now();
      const tunnel = await rig.tunnels.openJupyter({ instance: rig.ref, instanceName: 'gpu-1', start: true, folder: '~', openBrowser: false });
      expect(tunnel.remotePort).toBeGreaterThan(8888);
      // Started on 8888 first (it looked free), then on the next port.
      const starts = rig.logLines.filter((line) => line.includes('started Jupyter')).map((line) => Number(/port (\d+)\)/.exec(line)?.[1]));
      expect(starts.slice(-2)).toEqual([8888, tunnel.remotePort]);
      // Found out from Jupyter's own words, not after the 60 s start timeout.
      expect(Date.now() - started).toBeLessThan(45_000);
      const token = new URL(tunnel.url ?? '').searchParams.get('token') ?? '';
      expect((await fetch(`http://${tunnel.localAddress}/api/status`, { headers: { Authorization: `token ${token}` } })).status).toBe(200);
      await rig.tunnels.close(tunnel.id);
    } finally {
      holder.kill();
    }
  }, 120_000);
});

