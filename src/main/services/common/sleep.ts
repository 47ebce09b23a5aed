import { cancelledError } from '../../../shared/errors/hangar-error';

/**
 * Waits `ms`; an abort ends the wait at once with the CANCELLED error (callers that need the abort's own
 * reason read it from their signal).
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(cancelledError());
      return;
    }
    const timer = setTimeout(done, ms);
    function done(): void {
      signal?.removeEventListener('abort', abort);
      resolve();
    }
    function abort(): void {
      clearTimeout(timer);
      reject(cancelledError());
    }
    signal?.addEventListener('abort', abort, { once: true });
  });
}
