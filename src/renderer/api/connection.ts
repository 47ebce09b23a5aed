import { useSyncExternalStore } from 'react';
import { HangarError } from '../../shared/errors/hangar-error';
import type { Transport } from '../../shared/ipc/rpc-types';

export type ConnectionState =
  | { readonly status: 'online' }
  | { readonly status: 'lost'; readonly error: HangarError; readonly attempting: boolean };

/** Waits between automatic reconnect attempts; the last one repeats. */
const BACKOFF_MS = [1_000, 2_000, 4_000, 8_000, 15_000] as const;

const toHangarError = (error: unknown): HangarError =>
  error instanceof HangarError ? error : new HangarError({ code: 'INTERNAL', message: String(error) });

/**
 * Whether the background service answers. Any call that fails with TRANSPORT_CLOSED (the WebSocket
 * bridge went away; in Electron, main died) marks the connection lost — every call, since the transport
 * itself reports it (watchConnection) — and from then on a cheap call is retried with backoff until it
 * answers, and the app reloads what it shows.
 */
function createConnectionStore() {
  let probeCall: () => Promise<unknown> = () => Promise.resolve();
  let state: ConnectionState = { status: 'online' };
  const listeners = new Set<() => void>();
  const reconnectListeners = new Set<() => void>();
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function set(next: ConnectionState): void {
    state = next;
    for (const listener of [...listeners]) listener();
  }

  function schedule(): void {
    clearTimeout(timer);
    const delay = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)];
    attempt += 1;
    timer = setTimeout(() => void probe(), delay);
  }

  async function probe(): Promise<void> {
    if (state.status !== 'lost' || state.attempting) return;
    clearTimeout(timer);
    set({ ...state, attempting: true });
    try {
      await probeCall();
      attempt = 0;
      set({ status: 'online' });
      for (const listener of [...reconnectListeners]) listener();
    } catch (error) {
      set({ status: 'lost', error: toHangarError(error), attempting: false });
      schedule();
    }
  }

  return {
    /** The cheap call that tells whether main answers again. */
    setProbe(call: () => Promise<unknown>): void {
      probeCall = call;
    },
    get: (): ConnectionState => state,
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Call with any error from a call; only a closed transport changes the state. */
    report(error: unknown): void {
      const wrapped = toHangarError(error);
      if (wrapped.code !== 'TRANSPORT_CLOSED') return;
      if (state.status === 'lost') return;
      attempt = 0;
      set({ status: 'lost', error: wrapped, attempting: false });
      schedule();
    },
    retryNow(): void {
      void probe();
    },
    /** After the service answers again: refetch what the screen shows. */
    onReconnect(listener: () => void): () => void {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
  };
}

export const connection = createConnectionStore();

/** Wraps a transport so that every call that finds it closed marks the connection lost. */
export function watchConnection(transport: Transport, report: (error: HangarError) => void): Transport {
  return {
    ...transport,
    async call(id, method, args) {
      const result = await transport.call(id, method, args);
      if (!result.ok && result.error.code === 'TRANSPORT_CLOSED') report(HangarError.fromJSON(result.error));
      return result;
    },
  };
}

export function useConnection(): ConnectionState {
  return useSyncExternalStore(connection.subscribe, connection.get);
}
