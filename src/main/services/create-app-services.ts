import type { AppInfo } from '../../shared/models/app-info';
import type { AppServices } from './app-services';
import { createEc2ClientFactory } from './ec2/ec2-client-factory';
import { createEc2Service } from './ec2/ec2-service';
import type { Logger } from './logging/logger';
import type { SecretStore } from './secrets/secret-store';
import { createSettingsStore, type SettingsBackend } from './settings/settings-store';

export interface AppServiceDeps {
  info: AppInfo;
  logger: Logger;
  settingsBackend: SettingsBackend;
  secrets: SecretStore;
  openExternal(url: string): Promise<void>;
}

/** The composition of services shared by the Electron shell and the loopback web harness. */
export function createAppServices(deps: AppServiceDeps): AppServices {
  return {
    info: deps.info,
    logger: deps.logger,
    settings: createSettingsStore(deps.settingsBackend, deps.logger),
    secrets: deps.secrets,
    ec2: createEc2Service({ clients: createEc2ClientFactory() }),
    openExternal: deps.openExternal,
  };
}
