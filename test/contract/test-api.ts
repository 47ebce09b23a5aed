import { z } from 'zod';
import { HangarError } from '../../src/shared/errors/hangar-error';
import type { EventTable, Handlers, SchemaTable } from '../../src/shared/ipc/rpc-types';

/** A tiny Api that exercises every feature of the RPC machinery (the real Api has too few long calls yet). */
export type TestApi = {
  math: {
    add(a: number, b: number): Promise<number>;
    echo(value: { text: string; tags: string[] }): Promise<{ text: string; tags: string[] }>;
  };
  jobs: {
    wait(ms: number): Promise<string>;
    count(n: number): Promise<number>;
    fail(kind: 'hangar' | 'raw' | 'abort'): Promise<void>;
    announce(text: string): Promise<void>;
    /** The calling window's session id (what services address events to). */
    whoAmI(): Promise<string>;
    /** Takes the largest argument any real schema allows (1 Mi characters, like ssh.write). */
    swallow(text: string): Promise<number>;
  };
};

/** `jobs.output` carries bytes, as terminal output does: every carrier must hand them over as a Uint8Array. */
export type TestEvents = { 'jobs.announced': { text: string }; 'instances.changed': { region: string }; 'jobs.output': { id: string; data: Uint8Array; bytes: number } };

export const testEventTable = { 'jobs.announced': true, 'instances.changed': true, 'jobs.output': true } as const satisfies EventTable<TestEvents>;

export const testSchemas = {
  math: {
    add: z.tuple([z.number(), z.number()]),
    echo: z.tuple([z.object({ text: z.string().max(100), tags: z.array(z.string()) }).strict()]),
  },
  jobs: {
    wait: z.tuple([z.number().int().min(0).max(60_000)]),
    count: z.tuple([z.number().int().min(0).max(1_000_000)]),
    fail: z.tuple([z.enum(['hangar', 'raw', 'abort'])]),
    announce: z.tuple([z.string()]),
    whoAmI: z.tuple([]),
    swallow: z.tuple([z.string().max(1024 * 1024)]),
  },
} satisfies SchemaTable<TestApi>;

export interface Observed {
  /** Request ids whose handler saw its AbortSignal fire. */
  aborted: string[];
  started: string[];
}

export function createTestHandlers(observed: Observed): Handlers<TestApi, TestEvents> {
  return {
    math: {
      add: async (_ctx, a, b) => a + b,
      echo: async (_ctx, value) => value,
    },
    jobs: {
      wait: (ctx, ms) =>
        new Promise<string>((resolve, reject) => {
          observed.started.push(ctx.requestId);
          const timer = setTimeout(() => resolve(`waited ${ms}`), ms);
          ctx.signal.addEventListener('abort', () => {
            observed.aborted.push(ctx.requestId);
            clearTimeout(timer);
            const error = new Error('aborted');
            error.name = 'AbortError';
            reject(error);
          });
        }),
      count: async (ctx, n) => {
        for (let i = 1; i <= n; i += 1) {
          ctx.progress({ done: i, total: n, unit: 'items' });
          if (i % 1000 === 0) await new Promise((r) => setTimeout(r, 1));
        }
        return n;
      },
      fail: async (_ctx, kind) => {
        if (kind === 'hangar') {
          throw new HangarError({ code: 'AWS_UNAUTHORIZED', message: 'Not allowed to call ec2:StopInstances.', hint: 'Ask for the permission.', retryable: false, details: { action: 'ec2:StopInstances' } });
        }
        if (kind === 'abort') {
          const error = new Error('gone');
          error.name = 'AbortError';
          throw error;
        }
        throw new Error('secret internals: AKIAIOSFODNN7EXAMPLE at /home/x');
      },
      announce: async (ctx, text) => {
        ctx.emit('jobs.announced', { text });
      },
      whoAmI: async (ctx) => ctx.session,
      swallow: async (_ctx, text) => text.length,
    },
  };
}
