import { HangarError } from '../../../shared/errors/hangar-error';
import type { ConnectionManager } from '../ssh/create-connection-manager';
import type { RemoteFilesService } from './remote-files-service';

export interface RemoteFilesServiceDeps {
  connections: ConnectionManager;
}

export function createRemoteFilesService(_deps: RemoteFilesServiceDeps): RemoteFilesService {
  const notYet = (): never => {
    throw new HangarError({ code: 'NOT_IMPLEMENTED', message: 'The file browser is not built yet.' });
  };
  return { home: notYet, list: notYet, mkdir: notYet, rename: notYet, remove: notYet };
}
