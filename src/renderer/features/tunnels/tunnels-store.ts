import type { TunnelInfo } from '../../../shared/models/tunnels';
import { api } from '../../api/api-client';
import { subscribe } from '../../api/subscriptions';
import { followMain } from '../../state/follow-main';
import { createStore, useStore } from '../../state/create-store';

export interface TunnelsState {
  readonly loaded: boolean;
  readonly tunnels: readonly TunnelInfo[];
}

/**
 * The service's tunnels, for the panel and the instance toolbar: loaded once, then replaced by each
 * `tunnels.changed` (the whole list, about four times a second at most), reloaded after a reconnect.
 */
function createTunnelsStore() {
  const store = createStore<TunnelsState>({ loaded: false, tunnels: [] });
  let generation = 0;

  function set(tunnels: readonly TunnelInfo[]): void {
    store.set({ loaded: true, tunnels });
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

  const followed = followMain(store, {
    listen() {
      subscribe.tunnelsChanged((tunnels) => {
        generation++;
        set(tunnels);
      });
    },
    fetch,
  });

  return {
    get: followed.get,
    subscribe: followed.subscribe,
    /** An answer of our own call, shown before its event arrives. */
    upsert(tunnel: TunnelInfo): void {
      const others = store.get().tunnels.filter((t) => t.id !== tunnel.id);
      set([...others, tunnel]);
    },
    remove(id: string): void {
      set(store.get().tunnels.filter((t) => t.id !== id));
    },
  };
}

export const tunnelsStore = createTunnelsStore();

export function useTunnels(): TunnelsState {
  return useStore(tunnelsStore);
}
