/**
 * Compile-time half of the contract test: `npm run typecheck` fails if any of these stop being errors.
 * (Nothing here runs.)
 */
import { z } from 'zod';
import type { Api, Events } from '../../src/shared/ipc/contract';
import type { Client, EventTable, Handlers, SchemaTable } from '../../src/shared/ipc/rpc-types';
import type { TestApi } from './test-api';

declare const client: Client<Api>;

export async function clientSignatures(): Promise<void> {
  const regions = await client.ec2.listRegions('acct-1');
  regions satisfies Array<{ name: string }>;
  // @ts-expect-error a region is a string
  await client.ec2.listInstances('acct-1', 42);
  // @ts-expect-error methods outside the contract do not exist
  await client.ec2.deleteEverything();
  // @ts-expect-error window geometry is not patchable from a page
  await client.settings.update({ window: { width: 1, height: 1, maximized: false } });
}

export const schemaMustMatchSignature = {
  math: {
    // @ts-expect-error add takes two numbers, not a string and a number
    add: z.tuple([z.string(), z.number()]),
    echo: z.tuple([z.object({ text: z.string(), tags: z.array(z.string()) })]),
  },
  jobs: {
    wait: z.tuple([z.number()]),
    count: z.tuple([z.number()]),
    fail: z.tuple([z.enum(['hangar', 'raw', 'abort'])]),
    announce: z.tuple([z.string()]),
    whoAmI: z.tuple([]),
    swallow: z.tuple([z.string()]),
  },
} satisfies SchemaTable<TestApi>;

// @ts-expect-error every method of the Api must have a schema (jobs is missing)
export const schemaMustListEveryMethod: SchemaTable<TestApi> = { math: schemaMustMatchSignature.math };

export const handlersMustMatch: Pick<Handlers<Api, Events>, 'app'> = {
  app: {
    info: async () => ({ name: 'Hangar', version: '1', shell: 'web', platform: 'linux' }),
    // @ts-expect-error openExternal resolves to void, and takes (ctx, url)
    openExternal: async (_ctx, url: number) => url,
  },
};

declare const typedClient: Client<Api, Events>;

export function eventSignatures(): void {
  typedClient.on('terminal.data', (event) => {
    event.sessionId satisfies string;
    event.bytes satisfies number;
    // @ts-expect-error terminal output carries no instance state
    void event.state;
  });
  // @ts-expect-error events outside the contract cannot be listened to
  typedClient.on('terminal.everything', () => undefined);
}

// @ts-expect-error the event table must list every event of the contract
export const eventTableMustBeComplete: EventTable<Events> = { 'settings.changed': true };
