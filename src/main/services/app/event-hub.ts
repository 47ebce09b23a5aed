import type { EventShape } from '../../../shared/ipc/rpc-types';

export type EventListener = (name: string, payload: unknown) => void;

/** Services publish here; every open window (IPC or bridge session) is a subscriber. */
export interface EventHub<E extends EventShape> {
  publish<K extends keyof E & string>(name: K, payload: E[K]): void;
  subscribe(listener: EventListener): () => void;
}

export function createEventHub<E extends EventShape>(): EventHub<E> {
  const listeners = new Set<EventListener>();
  return {
    publish(name, payload) {
      for (const listener of [...listeners]) listener(name, payload);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
