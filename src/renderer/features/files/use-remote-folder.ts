import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import type { InstanceRef, RemoteListing } from '../../../shared/models/transfers';
import { api } from '../../api/api-client';
import type { InstanceTarget } from '../../state/instance-target';

export interface RemoteFolderState {
  /** What is on screen; kept while the next folder loads or when it fails, so the view never blanks. */
  readonly listing: RemoteListing | undefined;
  readonly loading: boolean;
  readonly error: HangarError | undefined;
}

export interface RemoteFolder extends RemoteFolderState {
  readonly ref: InstanceRef;
  /** Loads a folder (absolute, relative to home, or "~"); resolves true when it is on screen. */
  open(path: string): Promise<boolean>;
  refresh(): Promise<boolean>;
  /** Trusts the host key the last failure showed and loads again. */
  trustHostKey(fingerprint: string): void;
  dismissError(): void;
}

/**
 * One instance's folder for the browser: loads it through `files.list`, cancels a load that a newer one
 * replaced (fast clicking through folders), and keeps the last good listing on screen when a load fails.
 */
export function useRemoteFolder(target: InstanceTarget): RemoteFolder {
  const [acceptHostKey, setAcceptHostKey] = useState<string>();
  const ref = useMemo<InstanceRef>(
    () => ({
      accountId: target.accountId,
      region: target.region,
      instanceId: target.instanceId,
      ...(acceptHostKey === undefined ? {} : { acceptHostKey }),
    }),
    [target.accountId, target.region, target.instanceId, acceptHostKey],
  );
  const [state, setState] = useState<RemoteFolderState>({ listing: undefined, loading: true, error: undefined });
  const current = useRef<{ controller: AbortController; path: string } | undefined>(undefined);
  const shown = useRef<string | undefined>(undefined);

  const load = useCallback(
    async (path: string, instance: InstanceRef): Promise<boolean> => {
      current.current?.controller.abort();
      const controller = new AbortController();
      current.current = { controller, path };
      setState((s) => ({ ...s, loading: true }));
      try {
        const listing = await api.files.list.with({ signal: controller.signal })(instance, path);
        if (current.current?.controller !== controller) return false;
        current.current = undefined;
        shown.current = listing.path;
        setState({ listing, loading: false, error: undefined });
        return true;
      } catch (error) {
        if (current.current?.controller !== controller) return false;
        current.current = undefined;
        setState((s) => ({ ...s, loading: false, error: error as HangarError }));
        return false;
      }
    },
    [],
  );

  useEffect(() => {
    void load(current.current?.path ?? shown.current ?? '~', ref);
  }, [load, ref]);

  useEffect(() => () => current.current?.controller.abort(), []);

  return {
    ...state,
    ref,
    open: (path) => load(path, ref),
    // While a folder is still loading, "refresh" means that folder: F5 right after a click must not undo the click.
    refresh: () => load(current.current?.path ?? shown.current ?? '~', ref),
    trustHostKey: (fingerprint) => setAcceptHostKey(fingerprint),
    dismissError: () => setState((s) => ({ ...s, error: undefined })),
  };
}
