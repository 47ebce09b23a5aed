import type { Events } from '../../shared/ipc/contract';
import type { AppInfo } from '../../shared/models/app-info';
import type { EventHub } from './app/event-hub';
import type { AccountsService } from './accounts/accounts-service';
import type { Ec2Service } from './ec2/ec2-service';
import type { Logger } from './logging/logger';
import type { SecretStore } from './secrets/secret-store';
import type { SettingsStore } from './settings/settings-store';
import type { KeysService } from './ssh/keys-service';
import type { TerminalService } from './ssh/terminal-service';

/** Everything Hangar does, as plain Node objects. The shell and the web harness each build one. */
export interface AppServices {
  readonly info: AppInfo;
  readonly logger: Logger;
  /** What services push to every window (settings and account changes, terminal output, …). */
  readonly events: EventHub<Events>;
  readonly settings: SettingsStore;
  readonly secrets: SecretStore;
  readonly accounts: AccountsService;
  readonly ec2: Ec2Service;
  readonly keys: KeysService;
  readonly terminals: TerminalService;
  /** The native file picker (Electron) or, in the web harness, files queued by a test. */
  pickFiles(options: { title: string; filters?: Array<{ name: string; extensions: string[] }> }): Promise<string[]>;
  /** Opens an already-checked http(s) URL: `shell.openExternal` in Electron, a recorded event on the web. */
  openExternal(url: string): Promise<void>;
}
