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
    onSessionClosed: windowSessionEnded(services),
  });
  return { dispatcher, dispose: () => undefined };
}

/**
 * What a window leaves behind when its session ends (closed, reloaded, crashed): its shells wait a moment
 * for a window to take them over, then close. Every dispatcher of the app (Electron's, the web harness's)
 * mounts this, so no carrier can orphan a shell.
 */
export function windowSessionEnded(services: Pick<AppServices, 'terminals'>): (session: string) => void {
  return (session) => services.terminals.windowClosed(session);
}
