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
  readonly signal: AbortSignal;
  progress(progress: Progress): void;
  emit<K extends keyof E & string>(name: K, payload: E[K]): void;
}

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

export type Client<A extends ApiShape> = {
  readonly [S in keyof A]: { readonly [M in keyof A[S]]: ClientMethod<A[S][M]> };
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
  on(listener: (push: WirePush) => void): () => void;
}
