import { randomUUID } from 'node:crypto';
import { HangarError, type SerializedError } from '../../shared/errors/hangar-error';
import type {
  ApiShape,
  CallContext,
  EventShape,
  EventTable,
  Handlers,
  Progress,
  SchemaTable,
  WirePush,
  WireResult,
} from '../../shared/ipc/rpc-types';
import type { Logger } from '../services/logging/logger';
import { silentLogger } from '../services/logging/logger';
import type { EventHub } from '../services/app/event-hub';

export interface DispatcherOptions<A extends ApiShape, E extends EventShape> {
  schemas: SchemaTable<A>;
  handlers: Handlers<A, E>;
  hub?: EventHub<E>;
  /** The events a window may subscribe to; names outside it are ignored. */
  events?: EventTable<E>;
  logger?: Logger;
  /** Minimum gap between progress pushes for one call; the last update is always delivered. */
  progressIntervalMs?: number;
  /** A window session ended (window closed, page reloaded or crashed): what it owned must not be orphaned. */
  onSessionClosed?: (sessionId: string) => void;
}

/** One renderer's conversation with main: a window over IPC, or a WebSocket of the bridge. */
export interface DispatchSession {
  /** Opaque id of this window's session (handlers see it as `ctx.session`). */
  readonly id: string;
  call(id: string, method: string, args: unknown): Promise<WireResult>;
  cancel(id: string): void;
  /** The full set of event names the window listens to; unknown names are dropped. */
  subscribe(names: unknown): void;
  /** Aborts everything still running for this renderer and stops its events. */
  close(): void;
}

export interface Dispatcher {
  open(push: (message: WirePush) => void): DispatchSession;
}

type AnyHandler = (ctx: CallContext<EventShape>, ...args: unknown[]) => Promise<unknown>;
type AnySchema = { safeParse(data: unknown): { success: true; data: unknown } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } } };

const MAX_ID_LENGTH = 128;
const MAX_SUBSCRIPTIONS = 256;

function lookup<T>(table: unknown, method: string): T | undefined {
  const dot = method.indexOf('.');
  if (dot <= 0) return undefined;
  const section = method.slice(0, dot);
  const name = method.slice(dot + 1);
  // Own properties only: "__proto__.constructor" and friends are not methods.
  if (typeof table !== 'object' || table === null || !Object.hasOwn(table, section)) return undefined;
  const slice = (table as Record<string, unknown>)[section];
  if (typeof slice !== 'object' || slice === null || !Object.hasOwn(slice, name)) return undefined;
  return (slice as Record<string, T>)[name];
}

function invalid(message: string, hint?: string): SerializedError {
  return new HangarError({ code: 'INVALID_ARGUMENT', message, ...(hint ? { hint } : {}) }).toJSON();
}

export function createDispatcher<A extends ApiShape, E extends EventShape>(
  options: DispatcherOptions<A, E>,
): Dispatcher {
  const logger = options.logger ?? silentLogger;
  const interval = options.progressIntervalMs ?? 100;

  function toWireError(error: unknown, signal: AbortSignal, method: string): SerializedError {
    if (error instanceof HangarError) return error.toJSON();
    if (signal.aborted || (error instanceof Error && error.name === 'AbortError')) {
      return new HangarError({ code: 'CANCELLED', message: 'Cancelled.', retryable: true }).toJSON();
    }
    // A raw error reaching here is a bug in a service edge: log it (redacted), show something humane.
    logger.error(`unmapped error in ${method}`, error);
    return new HangarError({
      code: 'INTERNAL',
      message: 'Something went wrong inside Hangar.',
      hint: 'Try again. If it keeps happening, the app log has the details to report.',
    }).toJSON();
  }

  return {
    open(push) {
      const running = new Map<string, AbortController>();
      const sessionId = randomUUID();
      let closed = false;
      let wanted = new Set<string>();
      const unsubscribe = options.hub?.subscribe((name, payload, { to }) => {
        if (closed || !wanted.has(name) || (to !== undefined && to !== sessionId)) return;
        push({ kind: 'event', name, payload });
      });

      function throttledProgress(id: string): { report(p: Progress): void; flush(): void } {
        let last = 0;
        let pending: Progress | undefined;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const send = (): void => {
          timer = undefined;
          if (!pending || closed) return;
          last = Date.now();
          const progress = pending;
          pending = undefined;
          push({ kind: 'progress', id, progress });
        };
        return {
          report(progress) {
            pending = progress;
            const wait = last + interval - Date.now();
            if (wait <= 0 && !timer) send();
            else timer ??= setTimeout(send, Math.max(wait, 0));
          },
          flush() {
            if (timer) clearTimeout(timer);
            send();
          },
        };
      }

      return {
        id: sessionId,
        subscribe(names) {
          if (!Array.isArray(names)) return;
          const next = new Set<string>();
          for (const name of names.slice(0, MAX_SUBSCRIPTIONS)) {
            if (typeof name !== 'string') continue;
            if (options.events !== undefined && !Object.hasOwn(options.events, name)) continue;
            next.add(name);
          }
          wanted = next;
        },
        async call(id, method, args) {
          if (closed) {
            return { ok: false, error: new HangarError({ code: 'TRANSPORT_CLOSED', message: 'The window was closed.' }).toJSON() };
          }
          if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH || running.has(id)) {
            return { ok: false, error: invalid('Bad request id.') };
          }
          const schema = typeof method === 'string' ? lookup<AnySchema>(options.schemas, method) : undefined;
          const handler = typeof method === 'string' ? lookup<AnyHandler>(options.handlers, method) : undefined;
          if (!schema || typeof handler !== 'function') {
            const name = typeof method === 'string' ? method.slice(0, 100) : typeof method;
            return {
              ok: false,
              error: new HangarError({ code: 'UNKNOWN_METHOD', message: `Unknown method "${name}".` }).toJSON(),
            };
          }
          const parsed = schema.safeParse(args);
          if (!parsed.success) {
            // Name the path and the rule, never the value: arguments may hold secrets.
            const issue = parsed.error.issues[0];
            const where = issue && issue.path.length > 0 ? ` (argument ${issue.path.map(String).join('.')})` : '';
            return { ok: false, error: invalid(`Invalid input for ${method}${where}: ${issue?.message ?? 'rejected'}.`) };
          }
          const controller = new AbortController();
          running.set(id, controller);
          const progress = throttledProgress(id);
          const ctx: CallContext<EventShape> = {
            requestId: id,
            session: sessionId,
            signal: controller.signal,
            progress: (p) => progress.report(p),
            emit: (name, payload) => {
              if (!closed && wanted.has(name)) push({ kind: 'event', name, payload });
            },
          };
          try {
            const value = await handler(ctx, ...(parsed.data as unknown[]));
            if (controller.signal.aborted) {
              return { ok: false, error: toWireError(undefined, controller.signal, method) };
            }
            return { ok: true, value };
          } catch (error) {
            return { ok: false, error: toWireError(error, controller.signal, method) };
          } finally {
            progress.flush();
            running.delete(id);
          }
        },
        cancel(id) {
          running.get(id)?.abort();
        },
        close() {
          if (closed) return;
          closed = true;
          unsubscribe?.();
          for (const controller of running.values()) controller.abort();
          running.clear();
          try {
            options.onSessionClosed?.(sessionId);
          } catch (error) {
            logger.error('cleaning up after a closed window failed', error);
          }
        },
      };
    },
  };
}
