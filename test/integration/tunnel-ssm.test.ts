import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caught } from '../support/caught';
import { startTunnelRig, waitFor, type TunnelRig } from '../support/tunnel-rig';

/**
 * Port 22 closed (issue 15): the tunnel service sees from the instance's ways in that SSH cannot reach it and
 * its SSM agent is online, so Jupyter is found, started and forwarded through Session Manager: commands in
 * AWS-StartNonInteractiveCommand sessions and the notebook through AWS-StartPortForwardingSession, against the
 * simulator's agent (real sh, real tmux, real Jupyter Notebook, real TCP).
 */
let rig: TunnelRig;
let web: Server;
let webPort: number;

beforeAll(async () => {
  rig = await startTunnelRig({ sessionManager: true });
  web = createServer((_req, res) => res.end('hello through session manager'));
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  webPort = (web.address() as AddressInfo).port;
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => web?.close(resolve));
  await rig?.stop();
});

describe('tunnels through Session Manager when SSH cannot reach the instance', () => {
  it('the ways in say why SSH cannot be used and that Session Manager can', async () => {
    const ways = await rig.ways.one(rig.ref);
    expect(ways.sshReachable).toBe(false);
    expect(ways.best).toBe('session-manager');
    expect(ways.ways.find((w) => w.way === 'ssh-key')).toMatchObject({ available: false, detail: expect.stringContaining('port 22 is closed') as unknown });
    expect(ways.ways.find((w) => w.way === 'session-manager')).toMatchObject({ available: true, detail: expect.stringContaining('online') as unknown });
  });

  it('starts Jupyter over Session Manager, forwards it, and its API answers 200 with the token', async () => {
    const notRunning = await caught(rig.tunnels.openJupyter({ instance: rig.ref, openBrowser: false }));
    expect(notRunning.code).toBe('JUPYTER_NOT_RUNNING');

    const tunnel = await rig.tunnels.openJupyter({ instance: rig.ref, instanceName: 'gpu-1', start: true, folder: '~' });
    expect(tunnel).toMatchObject({ kind: 'jupyter', state: 'open', via: 'session-manager' });
    const token = new URL(tunnel.url ?? '').searchParams.get('token') ?? '';
    expect(token.length).toBeGreaterThan(10);
    const ok = await fetch(`http://${tunnel.localAddress}/api/status`, { headers: { Authorization: `token ${token}` } });
    expect(ok.status).toBe(200);
    expect((await fetch(`http://${tunnel.localAddress}/api/status`)).status).toBe(403);
    const page = await fetch(tunnel.url ?? '');
    expect(page.status).toBe(200);
    // Started in tmux by a Session Manager command, with the agent's HOME as the notebook folder.
    const { stdout } = await promisify(execFile)('tmux', ['list-sessions', '-F', '#{session_name}'], { env: { ...process.env, TMUX_TMPDIR: rig.tmuxDir } });
    expect(stdout).toMatch(/^hangar-jupyter-\d+$/m);

    const documents = new Set(rig.sim.sessionManager.sessions.map((s) => s.documentName));
    expect(documents).toEqual(new Set(['AWS-StartNonInteractiveCommand', 'AWS-StartPortForwardingSession']));
    // Nothing was left open on AWS by the commands.
    await waitFor(
      () => rig.sim.sessionManager.sessions.filter((s) => s.documentName === 'AWS-StartNonInteractiveCommand').every((s) => s.status === 'Terminated'),
      'command sessions terminated',
    );
    // The SSH key was never used: no connection was tried.
    expect(rig.logLines.join('\n')).not.toMatch(/ssh: connect|SSH_TIMEOUT|203\.0\.113\.20/);
    await waitFor(() => rig.changes.at(-1)?.find((t) => t.id === tunnel.id && t.bytesIn > 0 && t.bytesOut > 0), 'byte counts');

    // A second click finds the running server (discovery over Session Manager) rather than starting another.
    const found = await rig.tunnels.discoverJupyter(rig.ref);
    expect(found.servers).toHaveLength(1);
    await rig.tunnels.close(tunnel.id);
    const closedPort = Number(tunnel.localAddress.split(':')[1]);
    await expect(fetch(`http://127.0.0.1:${closedPort}/api/status`)).rejects.toThrow();
  }, 120_000);

  it('Forward port… goes through Session Manager too; a reverse tunnel is refused saying SSH is needed', async () => {
    const tunnel = await rig.tunnels.forward({ instance: rig.ref, direction: 'local', localPort: 0, remotePort: webPort });
    expect(tunnel).toMatchObject({ state: 'open', via: 'session-manager' });
    const answer = await fetch(`http://${tunnel.localAddress}/`);
    expect(await answer.text()).toBe('hello through session manager');
    await rig.tunnels.close(tunnel.id);

    const reverse = await caught(rig.tunnels.forward({ instance: rig.ref, direction: 'remote', localPort: webPort, remotePort: 0 }));
    expect(reverse.code).toBe('TUNNEL_FAILED');
    expect(reverse.message).toContain('needs SSH');
  }, 60_000);
});
