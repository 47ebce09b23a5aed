import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { WirePush } from '../../shared/ipc/rpc-types';
import type { Dispatcher } from '../ipc/dispatch';
import type { Logger } from '../services/logging/logger';
import { silentLogger } from '../services/logging/logger';
import { parseClientMessage } from './bridge-protocol';
import type { BridgeServerMessage } from '../../shared/ipc/bridge-protocol';
import { encodeServerFrame } from '../../shared/ipc/bridge-frames';
import { BRIDGE_SOCKET_PATH as BRIDGE_PATH } from '../../shared/ipc/bridge-path';

export interface BridgeOptions {
  dispatcher: Dispatcher;
  /** 0 picks a free port. The bridge always binds 127.0.0.1, never another interface. */
  port?: number;
  /** Per-run secret; generated when absent. */
  token?: string;
  /**
   * Origins allowed to open the socket besides the bridge's own http://127.0.0.1:<port>.
   * Node test clients send no Origin and are allowed only with the token.
   */
  extraOrigins?: string[];
  /** Serves everything that is not the socket (the renderer in the web harness). */
  http?: (req: IncomingMessage, res: ServerResponse) => void;
  logger?: Logger;
  /** Leave WebSocket upgrades on other paths to other listeners (Vite's hot reload in dev). */
  passOtherUpgrades?: boolean;
  /**
   * Largest accepted frame. It must hold the largest valid call: a 1 MiB-character argument (the
   * biggest any schema allows) JSON-escaped at up to 6 bytes a character, plus the frame around it.
   */
  maxPayloadBytes?: number;
  /** Sockets open at once; more are refused with 503 (a runaway page cannot exhaust main). */
  maxConnections?: number;
  /**
   * Bytes a socket may have queued for a client that does not read. Past it the socket is dropped: its
   * page reconnects and reloads, rather than main buffering without bound for a stalled tab.
   */
  maxBufferedBytes?: number;
}

export const BRIDGE_LIMITS = {
  maxPayloadBytes: 8 * 1024 * 1024,
  maxConnections: 8,
  maxBufferedBytes: 32 * 1024 * 1024,
} as const;

export interface BridgeServer {
  readonly port: number;
  readonly token: string;
  readonly origin: string;
  /** ws://127.0.0.1:<port>/ipc?token=… */
  readonly socketUrl: string;
  readonly httpServer: Server;
  close(): Promise<void>;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The loopback WebSocket carrier for dev and tests. It speaks the same call / cancel / push messages the
 * preload carries, so the renderer cannot tell them apart. Guarded three ways: loopback bind, a random
 * per-run token, and an Origin allowlist (a web page elsewhere cannot drive it, DNS rebinding included
 * via the Host check).
 */
export async function startBridge(options: BridgeOptions): Promise<BridgeServer> {
  const logger = options.logger ?? silentLogger;
  const token = options.token ?? randomBytes(24).toString('base64url');
  const maxConnections = options.maxConnections ?? BRIDGE_LIMITS.maxConnections;
  const maxBuffered = options.maxBufferedBytes ?? BRIDGE_LIMITS.maxBufferedBytes;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes ?? BRIDGE_LIMITS.maxPayloadBytes });
  const server = createServer((req, res) => {
    if (options.http) options.http(req, res);
    else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const allowedOrigins = new Set([origin, `http://localhost:${port}`, ...(options.extraOrigins ?? [])]);
  const allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  server.on('upgrade', (req, socket, head) => {
    const refuse = (status: number, why: string): void => {
      logger.warn(`bridge refused a connection: ${why}`);
      const reason = status === 401 ? 'Unauthorized' : status === 503 ? 'Service Unavailable' : 'Forbidden';
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname !== BRIDGE_PATH) {
      if (options.passOtherUpgrades) return;
      return refuse(403, `path ${url.pathname}`);
    }
    if (!allowedHosts.has(req.headers.host ?? '')) return refuse(403, 'unexpected Host header');
    const requestOrigin = req.headers.origin;
    if (requestOrigin !== undefined && !allowedOrigins.has(requestOrigin)) return refuse(403, `origin ${requestOrigin}`);
    if (!sameSecret(url.searchParams.get('token') ?? '', token)) return refuse(401, 'bad token');
    if (wss.clients.size >= maxConnections) return refuse(503, `more than ${maxConnections} sockets`);
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws));
  });

  function serve(ws: WebSocket): void {
    const send = (message: BridgeServerMessage): void => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > maxBuffered) {
        logger.warn('bridge dropped a client that stopped reading', { bufferedBytes: ws.bufferedAmount });
        ws.terminate();
        return;
      }
      // Terminal output goes as a binary frame (bridge-frames.ts): its bytes are never made a string here.
      ws.send(encodeServerFrame(message));
    };
    const session = options.dispatcher.open((push: WirePush) => send({ t: 'push', push }));
    // Ids of calls still running: an answer must always be attributable to exactly one call.
    const inFlight = new Set<string>();
    ws.on('message', (data, isBinary) => {
      const message = isBinary ? undefined : parseClientMessage(data.toString());
      if (!message) {
        ws.close(1008, 'malformed message');
        return;
      }
      if (message.t === 'call' && inFlight.has(message.id)) {
        // Two answers with one id could settle the wrong call in the page: a client that does this is broken.
        ws.close(1008, 'request id reused');
        return;
      }
      if (message.t === 'cancel') {
        session.cancel(message.id);
        return;
      }
      if (message.t === 'subscribe') {
        session.subscribe(message.names);
        return;
      }
      inFlight.add(message.id);
      void session.call(message.id, message.method, message.args).then((result) => {
        inFlight.delete(message.id);
        send({ t: 'result', id: message.id, result });
      });
    });
    ws.on('close', () => session.close());
    ws.on('error', () => session.close());
  }

  return {
    port,
    token,
    origin,
    socketUrl: `ws://127.0.0.1:${port}${BRIDGE_PATH}?token=${encodeURIComponent(token)}`,
    httpServer: server,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
