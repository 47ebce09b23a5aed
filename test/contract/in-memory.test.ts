import { createClient } from '../../src/shared/ipc/create-client';
import { createDispatcher } from '../../src/main/ipc/dispatch';
import { createEventHub } from '../../src/main/services/app/event-hub';
import { createInMemoryTransport } from '../support/in-memory-transport';
import { contractSpec } from './contract.spec';
import { createTestHandlers, testEventTable, testSchemas, type Observed, type TestApi, type TestEvents } from './test-api';

contractSpec('an in-memory pair', async () => {
  const observed: Observed = { aborted: [], started: [] };
  const hub = createEventHub<TestEvents>();
  const dispatcher = createDispatcher<TestApi, TestEvents>({ schemas: testSchemas, handlers: createTestHandlers(observed), hub, events: testEventTable });
  const window = () => {
    const transport = createInMemoryTransport(dispatcher);
    return { transport, client: createClient<TestApi, TestEvents>(transport, testSchemas, testEventTable) };
  };
  const first = window();
  return {
    ...first,
    observed,
    publish: (name, payload, to) => hub.publish(name, payload, to === undefined ? {} : { to }),
    openWindow: async () => window(),
    disconnect: async () => first.transport.close(),
  };
});
