import { useCallback, useState } from 'react';
import type { HangarError } from '../../shared/errors/hangar-error';
import { toHangarError } from '../api/to-hangar-error';

export interface Busy {
  readonly busy: boolean;
  readonly error: HangarError | undefined;
  /** Runs the work once at a time; its refusal is kept in `error` (shown in the dialog), never thrown. */
  run(work: () => Promise<void>): Promise<void>;
}

/** The busy flag and last refusal of a dialog's one action. */
export function useBusy(): Busy {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<HangarError>();
  const run = useCallback(async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (caught) {
      setError(toHangarError(caught));
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}
