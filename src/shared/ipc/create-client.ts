import { HangarError, cancelledError } from '../errors/hangar-error';
import type { ApiShape, CallOptions, Client, SchemaTable, Transport, WirePush } from './rpc-types';

let sequence = 0;
const prefix = Math.random().toString(36).slice(2, 10);

function nextId(): string {
  sequence += 1;
  return `${prefix}-${sequence}`;
}

/**
 * Builds the renderer's typed proxy over any transport. Methods come from the schema table (the same
 * allowlist main enforces), so a typo is a compile error here and an UNKNOWN_METHOD there.
 */
export function createClient<A extends ApiShape>(transport: Transport, schemas: SchemaTable<A>): Client<A> {
  const progressListeners = new Map<string, (p: Extract<WirePush, { kind: 'progress' }>['progress']) => void>();
  transport.on((push) => {
    if (push.kind === 'progress') progressListeners.get(push.id)?.(push.progress);
  });

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

  const client: Record<string, Record<string, unknown>> = {};
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
  return Object.freeze(client) as unknown as Client<A>;
}
