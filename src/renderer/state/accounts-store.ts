import type { HangarError } from '../../shared/errors/hangar-error';
import type { AccountSummary } from '../../shared/models/accounts';
import { api } from '../api/api-client';
import { subscribe } from '../api/subscriptions';
import { connectionLost, followMain } from './follow-main';
import { toHangarError } from '../api/to-hangar-error';
import { createStore, useStore } from './create-store';

export type AccountsState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly accounts: readonly AccountSummary[] }
  | { readonly status: 'failed'; readonly error: HangarError };

/**
 * The account list, shared by Accounts and Instances so switching sections never flashes an empty
 * state. Loaded on first use, kept current by `accounts.changed` (this window's changes and any other's),
 * reloaded after the connection comes back.
 */
function createAccountsStore() {
  const store = createStore<AccountsState>({ status: 'loading' });
  const { set } = store;

  function fetch(): void {
    api.accounts.list().then(
      (accounts) => set({ status: 'ready', accounts }),
      (error: unknown) => {
        // A list on screen stays; a failed refetch does not blank it.
        if (store.get().status !== 'ready' && !connectionLost(error)) set({ status: 'failed', error: toHangarError(error) });
      },
    );
  }

  const followed = followMain(store, {
    listen: () => subscribe.accountsChanged((accounts) => set({ status: 'ready', accounts })),
    fetch,
  });

  return {
    get: followed.get,
    subscribe: followed.subscribe,
    reload(): void {
      if (store.get().status === 'failed') set({ status: 'loading' });
      fetch();
    },
    /** Applies an answer of our own call at once; the event that follows says the same. */
    replaceAll(accounts: readonly AccountSummary[]): void {
      set({ status: 'ready', accounts });
    },
    upsert(account: AccountSummary): void {
      const state = store.get();
      const current = state.status === 'ready' ? state.accounts : [];
      const exists = current.some((item) => item.id === account.id);
      const others = account.active ? current.map((item) => (item.active ? { ...item, active: false } : item)) : current;
      set({
        status: 'ready',
        accounts: exists ? others.map((item) => (item.id === account.id ? account : item)) : [...others, account],
      });
    },
    forget(accountId: string): void {
      const state = store.get();
      if (state.status !== 'ready') return;
      set({ status: 'ready', accounts: state.accounts.filter((item) => item.id !== accountId) });
    },
  };
}

export const accountsStore = createAccountsStore();

export function useAccounts(): AccountsState {
  return useStore(accountsStore);
}

/** The account Instances shows: the one marked active, else the first. */
export function activeAccount(accounts: readonly AccountSummary[]): AccountSummary | undefined {
  return accounts.find((account) => account.active) ?? accounts[0];
}
