import type { z } from 'zod';
import type { SerializedError } from '../errors/hangar-error';

/**
 * Generic RPC shapes. `Api` (contract.ts) is one instance of them; the contract test builds a second,
 * tiny one to exercise the machinery itself.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyMethod = (...args: any[]) => Promise<unknown>;
export type ApiShape = { [section: string]: { [method: string]: AnyMethod } };
export type EventShape = { [name: string]: unknown };

/** Progress of one long call: typed, throttled by dispatch to about ten updates a second. */
export interface Progress {
  readonly done: number;
  readonly total?: number;
  readonly unit?: 'bytes' | 'items' | 'regions';
  readonly label?: string;
}

/** What main gives every handler as its first argument. */
export interface CallContext<E extends EventShape> {
  readonly requestId: string;
  /**
   * The calling window's session (an IPC window or a bridge socket), opaque. Services that stream to the
   * window that asked (terminal output) publish their events addressed to it.
   */
  readonly session: string;
  readonly signal: AbortSignal;
  progress(progress: Progress): void;
  /** An event for the calling window only (delivered when it subscribed to the name). */
  emit<K extends keyof E & string>(name: K, payload: E[K]): void;
}

/** Every event name of E, listed at runtime: the allowlist for subscriptions. Type-checked to be complete. */
export type EventTable<E extends EventShape> = { readonly [K in keyof E]-?: true };

export type Handlers<A extends ApiShape, E extends EventShape> = {
  [S in keyof A]: {
    [M in keyof A[S]]: A[S][M] extends (...args: infer P) => Promise<infer R>
      ? (ctx: CallContext<E>, ...args: P) => Promise<R>
      : never;
  };
};

/**
 * One zod schema per method for its argument tuple. Typed against Api, so a method missing from the
 * table or a schema that disagrees with the signature is a compile error; the same table is the
 * runtime allowlist for the preload, the bridge and dispatch.
 */
export type SchemaTable<A extends ApiShape> = {
  [S in keyof A]: {
    [M in keyof A[S]]: A[S][M] extends (...args: infer P) => Promise<unknown> ? z.ZodType<P> : never;
  };
};

export type MethodName<A extends ApiShape> = {
  [S in keyof A & string]: `${S}.${keyof A[S] & string}`;
}[keyof A & string];

export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

export type ClientMethod<F> = F & {
  /** The same call, cancellable and with progress. */
  with(options: CallOptions): F;
};

export type EventHandler<E extends EventShape, K extends keyof E> = (payload: E[K]) => void;

/** The typed proxy over a transport: one slice per contract section, plus typed event subscriptions. */
export type Client<A extends ApiShape, E extends EventShape = EventShape> = {
  readonly [S in keyof A]: { readonly [M in keyof A[S]]: ClientMethod<A[S][M]> };
} & {
  /**
   * Listens to one event of the contract. The first listener of a name subscribes this window to it in
   * main, the last one to leave unsubscribes: main sends a window only what it listens to.
   */
  on<K extends keyof E & string>(name: K, handler: EventHandler<E, K>): () => void;
};

// ---- wire -------------------------------------------------------------------------------------

export type WireResult = { ok: true; value: unknown } | { ok: false; error: SerializedError };

/** Pushed from main to one renderer: progress of its own calls, and events. */
export type WirePush =
  | { kind: 'progress'; id: string; progress: Progress }
  | { kind: 'event'; name: string; payload: unknown };

/**
 * What the renderer talks through: exactly what the preload exposes (call / cancel / on), and what the
 * WebSocket transport implements for the browser harness.
 */
export interface Transport {
  call(id: string, method: string, args: unknown[]): Promise<WireResult>;
  cancel(id: string): void;
  /** The full set of event names this renderer wants pushed (replaces the last set; kept across reconnects). */
  subscribe(names: readonly string[]): void;
  on(listener: (push: WirePush) => void): () => void;
}
