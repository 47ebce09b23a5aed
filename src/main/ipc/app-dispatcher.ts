import { apiSchemas } from '../../shared/ipc/api-schemas';
import type { Api, Events } from '../../shared/ipc/contract';
import type { AppServices } from '../services/app-services';
import { createHandlers } from './create-handlers';
import { createDispatcher, type Dispatcher } from './dispatch';
import { createEventHub, type EventHub } from './event-hub';

/** The one dispatcher both carriers (Electron IPC, loopback bridge) mount. */
export function createAppDispatcher(services: AppServices): { dispatcher: Dispatcher; hub: EventHub<Events>; dispose(): void } {
  const hub = createEventHub<Events>();
  const stopSettings = services.settings.onChange((settings) => hub.publish('settings.changed', settings));
  const stopAccounts = services.accounts.onChange((accounts) => hub.publish('accounts.changed', accounts));
  const dispatcher = createDispatcher<Api, Events>({
    schemas: apiSchemas,
    handlers: createHandlers(services),
    hub,
    logger: services.logger,
  });
  return {
    dispatcher,
    hub,
    dispose: () => {
      stopSettings();
      stopAccounts();
    },
  };
}
