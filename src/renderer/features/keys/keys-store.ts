import { useSyncExternalStore } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import type { SshKeySummary } from '../../../shared/models/ssh';
import { api } from '../../api/api-client';
import { toHangarError } from '../../app/to-hangar-error';

export type KeysState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly keys: readonly SshKeySummary[] }
  | { readonly status: 'failed'; readonly error: HangarError };

let state: KeysState = { status: 'loading' };
let started = false;
const listeners = new Set<() => void>();

function set(next: KeysState): void {
  state = next;
  for (const listener of listeners) listener();
}

/** The imported SSH keys (summaries only: key material never leaves main). Shared by every view. */
export const keysStore = {
  get: (): KeysState => state,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    if (!started) {
      started = true;
      keysStore.reload();
    }
    return () => listeners.delete(listener);
  },
  reload(): void {
    api.keys.list().then(
      (keys) => set({ status: 'ready', keys }),
      (error: unknown) => {
        if (state.status !== 'ready') set({ status: 'failed', error: toHangarError(error) });
      },
    );
  },
  /** Puts a changed or new key in place without waiting for a refetch. */
  upsert(key: SshKeySummary): void {
    const keys = state.status === 'ready' ? state.keys : [];
    const exists = keys.some((other) => other.id === key.id);
    set({ status: 'ready', keys: exists ? keys.map((other) => (other.id === key.id ? key : other)) : [...keys, key] });
  },
  removeLocal(keyId: string): void {
    if (state.status === 'ready') set({ status: 'ready', keys: state.keys.filter((key) => key.id !== keyId) });
  },
};

export function useKeys(): KeysState {
  return useSyncExternalStore(keysStore.subscribe, keysStore.get);
}
