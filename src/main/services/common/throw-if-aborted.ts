import { cancelledError } from '../../../shared/errors/hangar-error';

/** Between steps of a long call: stop with the CANCELLED error once the caller gave up. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError();
}
