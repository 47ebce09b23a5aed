import { HangarError } from '../../shared/errors/hangar-error';
import { decodeServerFrame } from '../../shared/ipc/bridge-frames';
import type { BridgeClientMessage } from '../../shared/ipc/bridge-protocol';
import type { Transport, WirePush, WireResult } from '../../shared/ipc/rpc-types';

/** The subset of the browser WebSocket this transport uses (Node tests pass `ws`'s class). */
export interface SocketLike {
  readonly readyState: number;
  /** Set to 'arraybuffer' where it exists: binary frames (terminal output) then arrive as ArrayBuffers. */
  binaryType?: string;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}
export type SocketFactory = (url: string) => SocketLike;

const OPEN = 1;

/**
 * The browser harness's carrier: the same call / cancel / on as the preload, over the loopback bridge.
 * A dropped socket fails the calls in flight with TRANSPORT_CLOSED (retryable) and the next call reconnects.
 */
export function createWebSocketTransport(url: string, factory: SocketFactory = (u) => new WebSocket(u)): Transport & { close(): void } {
  const listeners = new Set<(push: WirePush) => void>();
  const pending = new Map<string, (result: WireResult) => void>();
  let socket: SocketLike | undefined;
  let ready: Promise<SocketLike> | undefined;
  let closedByUser = false;
  /** The names this page listens to; sent again on every (re)connect, since a new socket is a new session. */
  let subscribed: string[] = [];

  function connect(): Promise<SocketLike> {
    if (ready) return ready;
    ready = new Promise<SocketLike>((resolve, reject) => {
      const ws = factory(url);
      if ('binaryType' in ws) ws.binaryType = 'arraybuffer';
      socket = ws;
      let opened = false;
      ws.addEventListener('open', () => {
        opened = true;
        if (subscribed.length > 0) send({ t: 'subscribe', names: subscribed }, ws);
        resolve(ws);
      });
      ws.addEventListener('message', (event) => {
        const message = decodeServerFrame(event.data);
        if (message === undefined) return;
        if (message.t === 'result') {
          const settle = pending.get(message.id);
          pending.delete(message.id);
          settle?.(message.result);
        } else if (message.t === 'push') {
          for (const listener of [...listeners]) listener(message.push);
        }
      });
      const onGone = (): void => {
        if (socket === ws) {
          socket = undefined;
          ready = undefined;
        }
        const error = new HangarError({
          code: 'TRANSPORT_CLOSED',
          message: 'Lost the connection to Hangar’s background service.',
          hint: 'It reconnects by itself on the next action. If this repeats, restart Hangar.',
          retryable: true,
        }).toJSON();
        for (const [id, settle] of pending) {
          pending.delete(id);
          settle({ ok: false, error });
        }
        if (!opened) reject(HangarError.fromJSON(error));
      };
      ws.addEventListener('close', onGone);
      ws.addEventListener('error', onGone);
    });
    // Callers handle the failure through their own call's result.
    ready.catch(() => undefined);
    return ready;
  }

  function send(message: BridgeClientMessage, ws: SocketLike): void {
    if (ws.readyState === OPEN) ws.send(JSON.stringify(message));
  }

  /**
   * Frames leave in the order they were asked for, even while the socket is still opening: a cancel
   * must never overtake the call it cancels.
   */
  function enqueue(message: BridgeClientMessage, callId?: string): void {
    connect().then(
      (ws) => send(message, ws),
      (error: unknown) => {
        if (callId === undefined) return;
        const settle = pending.get(callId);
        pending.delete(callId);
        settle?.({ ok: false, error: (error as HangarError).toJSON() });
      },
    );
  }

  return {
    async call(id, method, args) {
      if (closedByUser) {
        return { ok: false, error: new HangarError({ code: 'TRANSPORT_CLOSED', message: 'The connection was closed.' }).toJSON() };
      }
      if (pending.has(id)) {
        return { ok: false, error: new HangarError({ code: 'INVALID_ARGUMENT', message: 'Bad request id.' }).toJSON() };
      }
      const result = new Promise<WireResult>((resolve) => pending.set(id, resolve));
      enqueue({ t: 'call', id, method, args }, id);
      return result;
    },
    cancel(id) {
      if (pending.has(id)) enqueue({ t: 'cancel', id });
    },
    subscribe(names) {
      subscribed = [...names];
      // An open socket hears it now; one still opening sends the latest set on 'open'.
      if (socket?.readyState === OPEN) send({ t: 'subscribe', names: subscribed }, socket);
      else if (!closedByUser) void connect();
    },
    on(listener) {
      listeners.add(listener);
      void connect();
      return () => listeners.delete(listener);
    },
    close() {
      closedByUser = true;
      socket?.close();
    },
  };
}
