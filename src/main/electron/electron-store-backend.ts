import Store from 'electron-store';
import type { SettingsBackend } from '../services/settings/settings-store';

/**
 * The shell's settings file: `settings.json` in the app's userData folder, the same name and document as
 * the conf backend of the web harness, so one settings store and its migrations serve both.
 */
export function createElectronStoreBackend(): SettingsBackend {
  return new Store<Record<string, unknown>>({
    name: 'settings',
    // Validation, migration and keeping an unreadable file aside are settings-store.ts's job.
    clearInvalidConfig: false,
  });
}
