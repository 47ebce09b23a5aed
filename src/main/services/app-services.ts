import type { AppInfo } from '../../shared/models/app-info';
import type { AccountsService } from './accounts/accounts-service';
import type { Ec2Service } from './ec2/ec2-service';
import type { Logger } from './logging/logger';
import type { SecretStore } from './secrets/secret-store';
import type { SettingsStore } from './settings/settings-store';

/** Everything Hangar does, as plain Node objects. The shell and the web harness each build one. */
export interface AppServices {
  readonly info: AppInfo;
  readonly logger: Logger;
  readonly settings: SettingsStore;
  readonly secrets: SecretStore;
  readonly accounts: AccountsService;
  readonly ec2: Ec2Service;
  /** Opens an already-checked http(s) URL: `shell.openExternal` in Electron, a recorded event on the web. */
  openExternal(url: string): Promise<void>;
}
