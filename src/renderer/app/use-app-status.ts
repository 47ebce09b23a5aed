import { useCallback, useEffect, useState } from 'react';
import type { HangarError } from '../../shared/errors/hangar-error';
import type { AppInfo, KeychainStatus } from '../../shared/models/app-info';
import { api } from '../api/api-client';
import { connection } from '../api/connection';
import { toHangarError } from '../api/to-hangar-error';

export type Loadable<T> = { readonly state: 'loading' } | { readonly state: 'ready'; readonly value: T } | { readonly state: 'failed'; readonly error: HangarError };

export interface AppStatus {
  readonly info: Loadable<AppInfo>;
  readonly keychain: Loadable<KeychainStatus>;
  refreshKeychain(): void;
}

function load<T>(call: () => Promise<T>, set: (value: Loadable<T>) => void): void {
  call().then(
    (value) => set({ state: 'ready', value }),
    (error: unknown) => set({ state: 'failed', error: toHangarError(error) }),
  );
}

/** The facts the status bar and the Accounts screen show: version and whether the keychain answers. */
export function useAppStatus(): AppStatus {
  const [info, setInfo] = useState<Loadable<AppInfo>>({ state: 'loading' });
  const [keychain, setKeychain] = useState<Loadable<KeychainStatus>>({ state: 'loading' });

  // Sets state only when answers arrive, so it can run straight from an effect.
  const fetchAll = useCallback(() => {
    load(() => api.app.info(), setInfo);
    load(() => api.secrets.status(), setKeychain);
  }, []);

  const refreshKeychain = useCallback(() => {
    setKeychain({ state: 'loading' });
    load(() => api.secrets.status(), setKeychain);
  }, []);

  useEffect(() => fetchAll(), [fetchAll]);
  useEffect(() => connection.onReconnect(fetchAll), [fetchAll]);

  return { info, keychain, refreshKeychain };
}
