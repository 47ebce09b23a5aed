import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TunnelInfo } from '../../src/shared/models/tunnels';
import { caught } from '../support/caught';
import { startJupyter, type JupyterRig } from '../support/jupyter';
import { startTunnelRig, waitFor, type TunnelRig } from '../support/tunnel-rig';

/**
 * Jupyter through Hangar's tunnel, end to end below the UI: a real Jupyter Notebook behind a real sshd on
 * loopback, found over SSH by the service's discovery, forwarded through ssh2 forwardOut.
 */
let rig: TunnelRig;
let jupyter: JupyterRig;

beforeAll(async () => {
  rig = await startTunnelRig();
  jupyter = await startJupyter({ home: rig.home });
}, 60_000);

afterAll(async () => {
  await jupyter?.stop();
  await rig?.stop();
});

function statusUrl(tunnel: TunnelInfo): string {
  return `http://${tunnel.localAddress}/api/status`;
}

describe('Jupyter over a tunnel (real sshd, real Jupyter Notebook)', () => {
  let tunnel: TunnelInfo;

  it('discovers the running server: its port, and that it has a token', async () => {
    const found = await rig.tunnels.discoverJupyter(rig.ref);
    expect(found.installed).toBe(true);
    const server = found.servers.find((s) => s.port === jupyter.port);
    expect(server).toMatchObject({ port: jupyter.port, host: '127.0.0.1', baseUrl: '/', hasToken: true, rootDir: rig.home });
    // The token itself never leaves main.
    expect(JSON.stringify(found)).not.toContain(jupyter.token);
  }, 60_000);

  it('forwards it, opens the URL with its token, and the API answers 200 with the token and 403 without', async () => {
    tunnel = await rig.tunnels.openJupyter({ instance: rig.ref, instanceName: 'gpu-1' });
    expect(tunnel).toMatchObject({ kind: 'jupyter', direction: 'local', state: 'open', remoteAddress: `127.0.0.1:${jupyter.port}`, instanceName: 'gpu-1' });
    expect(tunnel.localAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(tunnel.url).toBe(`http://${tunnel.localAddress}/?token=${jupyter.token}`);
    expect(rig.opened).toEqual([tunnel.url]);

    const withToken = await fetch(statusUrl(tunnel), { headers: { Authorization: `token ${jupyter.token}` } });
    expect(withToken.status).toBe(200);
    expect(await withToken.json()).toHaveProperty('started');
    const withoutToken = await fetch(statusUrl(tunnel));
    expect(withoutToken.status).toBe(403);
    // The URL the browser gets logs in (the token in the query) and lands on the file tree.
    const page = await fetch(tunnel.url ?? '');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Jupyter');

    // Counted and published; the token is in no log line.
    await waitFor(() => rig.changes.at(-1)?.find((t) => t.id === tunnel.id && t.bytesIn > 0 && t.bytesOut > 0), 'byte counts');
    expect(rig.logLines.join('\n')).not.toContain(jupyter.token);
    expect(rig.logLines.some((line) => line.includes(`tunnel ${tunnel.id} open`))).toBe(true);
    // Remembered for the instance.
    expect(rig.settings.get().tunnels[rig.instanceId]).toEqual([
      expect.objectContaining({ kind: 'jupyter', remotePort: jupyter.port, accountId: rig.ref.accountId, region: rig.ref.region, instanceName: 'gpu-1' }),
    ]);
  }, 60_000);

  it('a second Jupyter click reuses the open tunnel', async () => {
    const again = await rig.tunnels.openJupyter({ instance: rig.ref, instanceName: 'gpu-1', openBrowser: false });
    expect(again.id).toBe(tunnel.id);
    expect(rig.tunnels.list().filter((t) => t.kind === 'jupyter')).toHaveLength(1);
  }, 60_000);

  it('carries 50 concurrent HTTP requests through one tunnel', async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const res = await fetch(`${statusUrl(tunnel)}?n=${i}`, { headers: { Authorization: `token ${jupyter.token}`, Connection: 'close' } });
        return { status: res.status, body: (await res.json()) as { started?: string } };
      }),
    );
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 50 }, () => 200));
    expect(answers.every((a) => typeof a.body.started === 'string')).toBe(true);
  }, 60_000);

  it('comes back by itself after the SSH connection is killed', async () => {
    const first = rig.connections.peek(rig.instanceId);
    expect(first).toBeDefined();
    await rig.sshd.dropConnections();
    await waitFor(() => first?.closed, 'the connection to drop');
    // A new connection, and the tunnel on it (it may have been 'reconnecting' for less than one event's time).
    await waitFor(() => {
      const now = rig.connections.peek(rig.instanceId);
      return now !== undefined && now !== first && rig.tunnels.list().find((t) => t.id === tunnel.id && t.state === 'open');
    }, 'open again on a new connection', 30_000);
    expect(rig.logLines.join('\n')).not.toContain(jupyter.token);
    // Same local port: what the browser has open keeps working.
    expect(rig.tunnels.list().find((t) => t.id === tunnel.id)?.localAddress).toBe(tunnel.localAddress);
    const res = await fetch(statusUrl(tunnel), { headers: { Authorization: `token ${jupyter.token}` } });
    expect(res.status).toBe(200);
  }, 60_000);

  it('stop closes the listener', async () => {
    await rig.tunnels.close(tunnel.id);
    expect(rig.tunnels.list().find((t) => t.id === tunnel.id)).toBeUndefined();
    await expect(fetch(statusUrl(tunnel))).rejects.toThrow();
    expect((await caught(rig.tunnels.close(tunnel.id))).code).toBe('TUNNEL_NOT_FOUND');
  }, 30_000);
});
