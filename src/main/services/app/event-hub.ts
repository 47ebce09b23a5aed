import type { EventShape } from '../../../shared/ipc/rpc-types';

/** Who an event is for: every window that listens (the default), or only the one session that asked. */
export interface PublishOptions {
  /** A window session id (`CallContext.session`): the event goes to that window alone. */
  readonly to?: string;
}

export type EventListener = (name: string, payload: unknown, options: PublishOptions) => void;

/**
 * Services publish here; every open window (IPC or bridge session) is a subscriber, and each session
 * forwards only the names its window listens to. Heavy streams (terminal output) are addressed to the
 * session that opened them, so other windows never carry them.
 */
export interface EventHub<E extends EventShape> {
  publish<K extends keyof E & string>(name: K, payload: E[K], options?: PublishOptions): void;
  subscribe(listener: EventListener): () => void;
}

const BROADCAST: PublishOptions = {};

export function createEventHub<E extends EventShape>(): EventHub<E> {
  const listeners = new Set<EventListener>();
  return {
    publish(name, payload, options = BROADCAST) {
      for (const listener of [...listeners]) listener(name, payload, options);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
