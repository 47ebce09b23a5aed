import { connection } from '../api/connection';
import { toHangarError } from '../api/to-hangar-error';
import type { Store } from './create-store';

export interface FollowMain {
  /** Subscribes to the events that keep the data current (called once). */
  listen(): void;
  /** Loads the data; called at first use and again whenever the connection to main comes back. */
  fetch(): void;
}

/**
 * A store of main's data for the screens: loaded on first use, kept current by main's events, reloaded
 * after a lost connection comes back. The loading happens on the first subscription, so a store nobody
 * shows costs nothing.
 */
export function followMain<T>(store: Store<T>, follow: FollowMain): Pick<Store<T>, 'get' | 'subscribe'> & { start(): void } {
  let started = false;
  function start(): void {
    if (started) return;
    started = true;
    follow.listen();
    connection.onReconnect(follow.fetch);
    follow.fetch();
  }
  return {
    get: store.get,
    start,
    subscribe(listener) {
      start();
      return store.subscribe(listener);
    },
  };
}

/**
 * Whether a failed load is only the lost connection: the banner already says so and the store loads again
 * when the connection is back, so the screen keeps its loading state rather than a second error.
 */
export function connectionLost(error: unknown): boolean {
  return toHangarError(error).code === 'TRANSPORT_CLOSED';
}
