import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBridge, type BridgeOptions, type BridgeServer } from '../../src/main/bridge/bridge-server';
import { createDispatcher } from '../../src/main/ipc/dispatch';
import { createEventHub } from '../../src/main/services/app/event-hub';
import { createWebSocketTransport, type SocketLike } from '../../src/renderer/api/websocket-transport';
import { createClient } from '../../src/shared/ipc/create-client';
import { contractSpec } from './contract.spec';
import { createTestHandlers, testEventTable, testSchemas, type Observed, type TestApi, type TestEvents } from './test-api';

const bridges: BridgeServer[] = [];
afterAll(async () => {
  await Promise.all(bridges.map((b) => b.close()));
});

async function startTestBridge(observed: Observed = { aborted: [], started: [] }, limits: Partial<BridgeOptions> = {}) {
  const hub = createEventHub<TestEvents>();
  const dispatcher = createDispatcher<TestApi, TestEvents>({ schemas: testSchemas, handlers: createTestHandlers(observed), hub, events: testEventTable });
  const bridge = await startBridge({ dispatcher, ...limits });
  bridges.push(bridge);
  return { bridge, hub, observed };
}

/** What a page on the bridge's own origin would open. */
const pageSocket = (origin: string) => (url: string) => new WebSocket(url, { headers: { origin } }) as unknown as SocketLike;

contractSpec('the loopback WebSocket bridge', async () => {
  const { bridge, hub, observed } = await startTestBridge();
  const window = () => {
    const transport = createWebSocketTransport(bridge.socketUrl, pageSocket(bridge.origin));
    return { transport, client: createClient<TestApi, TestEvents>(transport, testSchemas, testEventTable) };
  };
  const first = window();
  return {
    ...first,
    observed,
    publish: (name, payload, to) => hub.publish(name, payload, to === undefined ? {} : { to }),
    openWindow: async () => window(),
    disconnect: async () => first.transport.close(),
  };
});

/** Resolves with the HTTP status of a refused upgrade, or 101 when the socket opened. */
function tryOpen(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

describe('loopback bridge guards', () => {
  it('listens on 127.0.0.1 only', async () => {
    const { bridge } = await startTestBridge();
    const address = bridge.httpServer.address();
    expect(typeof address === 'object' && address?.address).toBe('127.0.0.1');
  });

  it('needs the per-run token', async () => {
    const { bridge } = await startTestBridge();
    const base = `ws://127.0.0.1:${bridge.port}/ipc`;
    expect(await tryOpen(base)).toBe(401);
    expect(await tryOpen(`${base}?token=wrong`)).toBe(401);
    expect(await tryOpen(`${base}?token=${bridge.token.slice(0, -1)}`)).toBe(401);
    expect(await tryOpen(bridge.socketUrl, { origin: bridge.origin })).toBe(101);
  });

  it('uses a different random token each run', async () => {
    const a = await startTestBridge();
    const b = await startTestBridge();
    expect(a.bridge.token).not.toBe(b.bridge.token);
    expect(a.bridge.token.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses other origins, even with the token', async () => {
    const { bridge } = await startTestBridge();
    expect(await tryOpen(bridge.socketUrl, { origin: 'https://evil.example' })).toBe(403);
    expect(await tryOpen(bridge.socketUrl, { origin: 'http://127.0.0.1:1' })).toBe(403);
    expect(await tryOpen(bridge.socketUrl, { origin: 'null' })).toBe(403);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const { bridge } = await startTestBridge();
    expect(await tryOpen(bridge.socketUrl, { host: `evil.example:${bridge.port}` })).toBe(403);
  });

  it('closes the socket on a malformed frame', async () => {
    const { bridge } = await startTestBridge();
    const ws = new WebSocket(bridge.socketUrl, { headers: { origin: bridge.origin } });
    await new Promise((r) => ws.once('open', r));
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.send('{"t":"call","id":1}');
    expect(await closed).toBe(1008);
  });

  it('carries the largest argument a schema allows, escaped at worst, without dropping the socket', async () => {
    const { bridge } = await startTestBridge();
    const transport = createWebSocketTransport(bridge.socketUrl, pageSocket(bridge.origin));
    const client = createClient<TestApi, TestEvents>(transport, testSchemas, testEventTable);
    const slow = client.jobs.wait(300);
    // Control characters are escaped as \u0001 in JSON: 6 bytes each, the worst case of a pasted text.
    const worst = '\u0001'.repeat(1024 * 1024);
    expect(await client.jobs.swallow(worst)).toBe(1024 * 1024);
    expect(await slow).toBe('waited 300');
    // One character more is refused by the schema — as an error, with the socket still up.
    const tooBig = await client.jobs.swallow(`${worst}x`).catch((e: unknown) => e);
    expect((tooBig as { code?: string }).code).toBe('INVALID_ARGUMENT');
    expect(await client.math.add(1, 2)).toBe(3);
    transport.close();
  });

  it('refuses sockets past the connection cap and takes new ones when others close', async () => {
    const { bridge } = await startTestBridge(undefined, { maxConnections: 3 });
    const open = await Promise.all([0, 1, 2].map(() => openPage(bridge)));
    expect(await tryOpen(bridge.socketUrl, { origin: bridge.origin })).toBe(503);
    open[0]?.close();
    await new Promise((r) => open[0]?.once('close', r));
    await until(async () => (await tryOpen(bridge.socketUrl, { origin: bridge.origin })) === 101);
    for (const ws of open) ws.close();
  });

  it('drops a client that stops reading instead of buffering for it without bound', async () => {
    const { bridge, hub } = await startTestBridge(undefined, { maxBufferedBytes: 256 * 1024 });
    const stalled = await openPage(bridge);
    stalled.send(JSON.stringify({ t: 'subscribe', names: ['instances.changed'] }));
    const healthy = createClient<TestApi, TestEvents>(createWebSocketTransport(bridge.socketUrl, pageSocket(bridge.origin)), testSchemas, testEventTable);
    let heard = 0;
    healthy.on('instances.changed', () => (heard += 1));
    await healthy.math.add(1, 1);
    await new Promise((r) => setTimeout(r, 50));
    // The page's process is frozen: its socket is not read any more.
    (stalled as unknown as { _socket: { pause(): void } })._socket.pause();
    const closed = new Promise<void>((r) => stalled.once('close', () => r()));
    const region = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 400; i += 1) {
      hub.publish('instances.changed', { region });
      if (i % 20 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    (stalled as unknown as { _socket: { resume(): void } })._socket.resume();
    await closed;
    // The other page got everything and keeps working.
    await until(() => heard === 400);
    expect(await healthy.math.add(2, 2)).toBe(4);
  });

  it('closes a socket that reuses the id of a call still running', async () => {
    const { bridge } = await startTestBridge();
    const ws = await openPage(bridge);
    const answers: string[] = [];
    ws.on('message', (data) => answers.push(String(data)));
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.send(JSON.stringify({ t: 'call', id: 'same', method: 'jobs.wait', args: [200] }));
    ws.send(JSON.stringify({ t: 'call', id: 'same', method: 'math.add', args: [1, 2] }));
    expect(await closed).toBe(1008);
    expect(answers.filter((a) => a.includes('"t":"result"'))).toEqual([]);
  });
});

function openPage(bridge: BridgeServer): Promise<WebSocket> {
  const ws = new WebSocket(bridge.socketUrl, { headers: { origin: bridge.origin } });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
