import { HangarError } from '../../../shared/errors/hangar-error';
import { sleep } from '../common/sleep';

export interface BackoffOptions {
  signal?: AbortSignal | undefined;
  /** Tries after the first; default 4. */
  retries?: number;
  /** The first wait; it doubles each time (with jitter). Default 250 ms. */
  baseMs?: number;
}

/**
 * Runs `run` again after a growing pause while AWS says it is throttling (AWS_THROTTLED), on top of the
 * SDK's own adaptive retries: a 17-region ledger can ask one service many times at once, and a throttled
 * call is worth waiting for, not worth showing as an error. Anything else is thrown at once.
 */
export async function withBackoff<T>(run: () => Promise<T>, options: BackoffOptions = {}): Promise<T> {
  const retries = options.retries ?? 4;
  const base = options.baseMs ?? 250;
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const throttled = error instanceof HangarError && error.code === 'AWS_THROTTLED';
      if (!throttled || attempt >= retries) throw error;
      // Full jitter: callers that were throttled together do not come back together.
      await sleep(Math.random() * base * 2 ** attempt + base / 2, options.signal);
    }
  }
}
