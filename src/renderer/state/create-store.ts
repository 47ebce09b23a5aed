import { useSyncExternalStore } from 'react';

/** A value outside React that components read with `useStore` and re-render when it changes. */
export interface Store<T> {
  get(): T;
  /** Replaces the value and tells every listener; a value identical to the current one is ignored. */
  set(next: T): void;
  /** Returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

/**
 * The one listener set every store of the renderer is built on. `get` and `subscribe` are bound
 * (they can be handed to useSyncExternalStore as they are). Listeners are called on a copy of the
 * set, so one that unsubscribes (or subscribes another) while being told does not upset the round.
 */
export function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next) {
      if (Object.is(next, value)) return;
      value = next;
      for (const listener of [...listeners]) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

/**
 * A store's value (or a part of it, picked by `select`) for a component. `select` must return a value
 * that stays identical while the part it picks does not change (a field, a count), or React re-renders
 * on every change of the store.
 */
export function useStore<T>(store: Pick<Store<T>, 'get' | 'subscribe'>): T;
export function useStore<T, U>(store: Pick<Store<T>, 'get' | 'subscribe'>, select: (value: T) => U): U;
export function useStore<T, U>(store: Pick<Store<T>, 'get' | 'subscribe'>, select?: (value: T) => U): T | U {
  return useSyncExternalStore<T | U>(store.subscribe, select ? () => select(store.get()) : store.get);
}
