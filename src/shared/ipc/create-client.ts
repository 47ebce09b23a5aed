import { HangarError, cancelledError } from '../errors/hangar-error';
import type { ApiShape, CallOptions, Client, EventShape, EventTable, SchemaTable, Transport, WirePush } from './rpc-types';

let sequence = 0;
const prefix = Math.random().toString(36).slice(2, 10);

function nextId(): string {
  sequence += 1;
  return `${prefix}-${sequence}`;
}

type AnyHandler = (payload: unknown) => void;

/**
 * Builds the renderer's typed proxy over any transport. Methods come from the schema table (the same
 * allowlist main enforces), so a typo is a compile error here and an UNKNOWN_METHOD there. Events come
 * from the event table: `client.on(name, handler)` is typed from the contract's `Events`, and main is told
 * which names this window listens to, so it pushes nothing else.
 */
export function createClient<A extends ApiShape, E extends EventShape = EventShape>(
  transport: Transport,
  schemas: SchemaTable<A>,
  events?: EventTable<E>,
): Client<A, E> {
  const progressListeners = new Map<string, (p: Extract<WirePush, { kind: 'progress' }>['progress']) => void>();
  const eventHandlers = new Map<string, Set<AnyHandler>>();
  transport.on((push) => {
    if (push.kind === 'progress') {
      progressListeners.get(push.id)?.(push.progress);
      return;
    }
    const handlers = eventHandlers.get(push.name);
    if (!handlers) return;
    for (const handler of [...handlers]) {
      try {
        handler(push.payload);
      } catch (error) {
        // One broken listener must not starve the others of the same event.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  });

  function resubscribe(): void {
    transport.subscribe([...eventHandlers.keys()].sort());
  }

  async function invoke(method: string, args: unknown[], options: CallOptions): Promise<unknown> {
    const { signal, onProgress } = options;
    if (signal?.aborted) throw cancelledError();
    const id = nextId();
    if (onProgress) progressListeners.set(id, onProgress);
    const onAbort = (): void => transport.cancel(id);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await transport.call(id, method, args);
      if (result.ok) return result.value;
      throw HangarError.fromJSON(result.error);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      progressListeners.delete(id);
    }
  }

  const client: Record<string, unknown> = {};
  for (const [section, methods] of Object.entries(schemas as Record<string, Record<string, unknown>>)) {
    const slice: Record<string, unknown> = {};
    for (const name of Object.keys(methods)) {
      const full = `${section}.${name}`;
      const call = (...args: unknown[]): Promise<unknown> => invoke(full, args, {});
      call.with = (options: CallOptions) => (...args: unknown[]) => invoke(full, args, options);
      slice[name] = call;
    }
    client[section] = Object.freeze(slice);
  }
  client.on = (name: string, handler: AnyHandler): (() => void) => {
    if (events !== undefined && !Object.hasOwn(events, name)) throw new Error(`"${name}" is not an event of the contract`);
    let handlers = eventHandlers.get(name);
    const added = handlers === undefined;
    if (!handlers) {
      handlers = new Set();
      eventHandlers.set(name, handlers);
    }
    // Each subscription is its own entry, so the same function subscribed twice is removed one at a time.
    const entry: AnyHandler = (payload) => handler(payload);
    handlers.add(entry);
    if (added) resubscribe();
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      const set = eventHandlers.get(name);
      if (!set) return;
      set.delete(entry);
      if (set.size === 0) {
        eventHandlers.delete(name);
        resubscribe();
      }
    };
  };
  return Object.freeze(client) as unknown as Client<A, E>;
}
