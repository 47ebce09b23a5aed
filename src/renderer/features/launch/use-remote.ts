import { useCallback, useEffect, useState } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import { toHangarError } from '../../api/to-hangar-error';

export type Remote<T> =
  | { readonly status: 'loading'; readonly value?: undefined; readonly error?: undefined; reload(): void }
  | { readonly status: 'ready'; readonly value: T; readonly error?: undefined; reload(): void }
  | { readonly status: 'failed'; readonly value?: undefined; readonly error: HangarError; reload(): void };

/**
 * One call to main whose answer a step shows, reloaded when `key` changes or on request. A late answer
 * of an earlier key is dropped, so a fast change of region or architecture never shows stale data.
 */
export function useRemote<T>(key: string | undefined, load: () => Promise<T>): Remote<T> {
  const [round, setRound] = useState(0);
  const [state, setState] = useState<{ key: string | undefined; round: number; status: 'loading' | 'ready' | 'failed'; value?: T; error?: HangarError }>({
    key,
    round,
    status: 'loading',
  });
  const reload = useCallback(() => setRound((n) => n + 1), []);

  useEffect(() => {
    if (key === undefined) return;
    let live = true;
    load().then(
      (value) => live && setState({ key, round, status: 'ready', value }),
      (error: unknown) => live && setState({ key, round, status: 'failed', error: toHangarError(error) }),
    );
    return () => {
      live = false;
    };
    // `load` is a fresh closure every render; `key` says when it means something else.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, round]);

  // An answer for another key or an earlier round is stale: loading until this one's arrives.
  if (state.key !== key || state.round !== round || state.status === 'loading') return { status: 'loading', reload };
  if (state.status === 'failed' && state.error) return { status: 'failed', error: state.error, reload };
  return { status: 'ready', value: state.value as T, reload };
}
