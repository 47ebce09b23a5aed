import type { SerializedError } from '../errors/hangar-error';

export interface AppInfo {
  readonly name: string;
  readonly version: string;
  /** 'electron' inside the desktop shell, 'web' in the loopback browser harness used by dev and tests. */
  readonly shell: 'electron' | 'web';
  readonly platform: string;
}

/** Whether the OS keychain answers. Never carries secret values: only availability and the reason. */
export interface KeychainStatus {
  readonly available: boolean;
  readonly backend: string;
  readonly error?: SerializedError;
}
