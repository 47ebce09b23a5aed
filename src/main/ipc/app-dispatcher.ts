import { apiSchemas, eventTable } from '../../shared/ipc/api-schemas';
import type { Api, Events } from '../../shared/ipc/contract';
import type { AppServices } from '../services/app-services';
import { createHandlers } from './create-handlers';
import { createDispatcher, type Dispatcher } from './dispatch';

/** The one dispatcher both carriers (Electron IPC, loopback bridge) mount; events come from the services' hub. */
export function createAppDispatcher(services: AppServices): { dispatcher: Dispatcher; dispose(): void } {
  const dispatcher = createDispatcher<Api, Events>({
    schemas: apiSchemas,
    handlers: createHandlers(services),
    hub: services.events,
    events: eventTable,
    logger: services.logger,
  });
  return { dispatcher, dispose: () => undefined };
}
