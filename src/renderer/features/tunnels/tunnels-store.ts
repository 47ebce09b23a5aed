import { useSyncExternalStore } from 'react';
import type { TunnelInfo } from '../../../shared/models/tunnels';
import { api } from '../../api/api-client';
import { connection } from '../../api/connection';

export interface TunnelsState {
  readonly loaded: boolean;
  readonly tunnels: readonly TunnelInfo[];
}

/**
 * The service's tunnels, for the panel and the instance toolbar: loaded once, then replaced by each
 * `tunnels.changed` (the whole list, about four times a second at most), reloaded after a reconnect.
 */
function createTunnelsStore() {
  let state: TunnelsState = { loaded: false, tunnels: [] };
  let started = false;
  let generation = 0;
  const listeners = new Set<() => void>();

  function set(tunnels: readonly TunnelInfo[]): void {
    state = { loaded: true, tunnels };
    for (const listener of [...listeners]) listener();
  }

  function fetch(): void {
    const asked = ++generation;
    api.tunnels.list().then(
      (tunnels) => {
        if (asked === generation) set(tunnels);
      },
      () => undefined,
    );
  }

  function start(): void {
    if (started) return;
    started = true;
    api.on('tunnels.changed', (tunnels) => {
      generation++;
      set(tunnels);
    });
    connection.onReconnect(fetch);
    fetch();
  }

  return {
    get: (): TunnelsState => state,
    subscribe(listener: () => void): () => void {
      start();
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** An answer of our own call, shown before its event arrives. */
    upsert(tunnel: TunnelInfo): void {
      const others = state.tunnels.filter((t) => t.id !== tunnel.id);
      set([...others, tunnel]);
    },
    remove(id: string): void {
      set(state.tunnels.filter((t) => t.id !== id));
    },
  };
}

export const tunnelsStore = createTunnelsStore();

export function useTunnels(): TunnelsState {
  return useSyncExternalStore(tunnelsStore.subscribe, tunnelsStore.get);
}
