import { createClient } from '../../src/shared/ipc/create-client';
import { createDispatcher } from '../../src/main/ipc/dispatch';
import { createEventHub } from '../../src/main/services/app/event-hub';
import { createInMemoryTransport } from '../../src/main/ipc/in-memory-transport';
import { contractSpec } from './contract.spec';
import { createTestHandlers, testSchemas, type Observed, type TestApi, type TestEvents } from './test-api';

contractSpec('an in-memory pair', async () => {
  const observed: Observed = { aborted: [], started: [] };
  const hub = createEventHub<TestEvents>();
  const dispatcher = createDispatcher<TestApi, TestEvents>({ schemas: testSchemas, handlers: createTestHandlers(observed), hub });
  const transport = createInMemoryTransport(dispatcher);
  return {
    client: createClient<TestApi>(transport, testSchemas),
    transport,
    observed,
    publish: (name, payload) => (hub.publish as (n: string, p: unknown) => void)(name, payload),
    disconnect: async () => transport.close(),
  };
});
