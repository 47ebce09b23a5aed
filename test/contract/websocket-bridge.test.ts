import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBridge, type BridgeServer } from '../../src/main/bridge/bridge-server';
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

async function startTestBridge(observed: Observed = { aborted: [], started: [] }) {
  const hub = createEventHub<TestEvents>();
  const dispatcher = createDispatcher<TestApi, TestEvents>({ schemas: testSchemas, handlers: createTestHandlers(observed), hub, events: testEventTable });
  const bridge = await startBridge({ dispatcher });
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
});
