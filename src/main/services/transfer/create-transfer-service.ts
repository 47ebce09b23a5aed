import { HangarError } from '../../../shared/errors/hangar-error';
import type { EventHub } from '../app/event-hub';
import type { Ec2Service } from '../ec2/ec2-service';
import type { Logger } from '../logging/logger';
import type { SettingsStore } from '../settings/settings-store';
import type { ConnectionManager } from '../ssh/create-connection-manager';
import type { TransferEvents, TransferService } from './transfer-service';

export interface TransferServiceDeps {
  connections: ConnectionManager;
  settings: SettingsStore;
  events: Pick<EventHub<TransferEvents>, 'publish'>;
  ec2: Pick<Ec2Service, 'describeInstance'>;
  logger: Logger;
  /** The local OS, for names that are illegal there when downloading (default: process.platform). */
  platform?: NodeJS.Platform;
}

export function createTransferService(_deps: TransferServiceDeps): TransferService {
  const notYet = (): never => {
    throw new HangarError({ code: 'NOT_IMPLEMENTED', message: 'Transfers are not built yet.' });
  };
  return {
    list: () => [],
    upload: notYet,
    download: notYet,
    pause: notYet,
    resume: notYet,
    cancel: notYet,
    cancelAll: () => undefined,
    retryFailed: notYet,
    resolveConflict: notYet,
    clearFinished: () => undefined,
    whenSettled: notYet,
    dispose: async () => undefined,
  };
}
