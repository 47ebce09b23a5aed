import type { HangarError } from '../../../shared/errors/hangar-error';
import type { SshKeySummary } from '../../../shared/models/ssh';
import { api } from '../../api/api-client';
import { subscribe } from '../../api/subscriptions';
import { toHangarError } from '../../api/to-hangar-error';
import { createStore, useStore } from '../../state/create-store';
import { connectionLost, followMain } from '../../state/follow-main';

export type KeysState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly keys: readonly SshKeySummary[] }
  | { readonly status: 'failed'; readonly error: HangarError };

const store = createStore<KeysState>({ status: 'loading' });
const { set } = store;

function fetch(): void {
  api.keys.list().then(
    (keys) => set({ status: 'ready', keys }),
    (error: unknown) => {
      if (store.get().status !== 'ready' && !connectionLost(error)) set({ status: 'failed', error: toHangarError(error) });
    },
  );
}

const followed = followMain(store, { listen: () => subscribe.keysChanged((keys) => set({ status: 'ready', keys })), fetch });

/** The imported SSH keys (summaries only: key material never leaves main). Shared by every view. */
export const keysStore = {
  get: followed.get,
  subscribe: followed.subscribe,
  reload(): void {
    if (store.get().status === 'failed') set({ status: 'loading' });
    fetch();
  },
  /** Puts a changed or new key in place without waiting for a refetch. */
  upsert(key: SshKeySummary): void {
    const state = store.get();
    const keys = state.status === 'ready' ? state.keys : [];
    const exists = keys.some((other) => other.id === key.id);
    set({ status: 'ready', keys: exists ? keys.map((other) => (other.id === key.id ? key : other)) : [...keys, key] });
  },
  removeLocal(keyId: string): void {
    const state = store.get();
    if (state.status === 'ready') set({ status: 'ready', keys: state.keys.filter((key) => key.id !== keyId) });
  },
};

export function useKeys(): KeysState {
  return useStore(keysStore);
}
