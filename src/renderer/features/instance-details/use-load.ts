import { useCallback, useEffect, useState } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import { toHangarError } from '../../api/to-hangar-error';

export type Load<T> = { status: 'loading'; last?: T | undefined } | { status: 'ready'; value: T } | { status: 'failed'; error: HangarError; last?: T | undefined };

/**
 * One main call whose answer a panel shows, asked again by `reload` (the last answer stays on screen while it
 * runs) and replaceable by `set` when an edit hands back the new state. An answer for an older round is dropped.
 */
export function useLoad<T>(fetch: () => Promise<T>, key: string): { load: Load<T>; reload: () => void; set: (value: T) => void } {
  const [load, setLoad] = useState<Load<T>>({ status: 'loading' });
  const [round, setRound] = useState(0);
  const reload = useCallback(() => {
    setLoad((current) => ({ status: 'loading', last: current.status === 'ready' ? current.value : current.last }));
    setRound((n) => n + 1);
  }, []);
  const set = useCallback((value: T) => setLoad({ status: 'ready', value }), []);

  useEffect(() => {
    let live = true;
    fetch().then(
      (value) => live && setLoad({ status: 'ready', value }),
      (error: unknown) => live && setLoad((current) => ({ status: 'failed', error: toHangarError(error), last: current.status === 'ready' ? current.value : current.last })),
    );
    return () => {
      live = false;
    };
    // `fetch` is a fresh closure each render; `key` names what it asks for.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, round]);

  return { load, reload, set };
}

/** The value to show: the answer, or the previous one while asking again. */
export function shown<T>(load: Load<T>): T | undefined {
  return load.status === 'ready' ? load.value : load.last;
}
