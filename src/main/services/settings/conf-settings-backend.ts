import Conf from 'conf';
import type { SettingsBackend } from './settings-store';

/** The plain-Node backend (dev harness, tests): a JSON file `settings.json` in `dataDir`. */
export function createConfSettingsBackend(dataDir: string): SettingsBackend {
  return new Conf<Record<string, unknown>>({
    projectName: 'hangar',
    cwd: dataDir,
    configName: 'settings',
    // Settings are validated by our own zod schema and migrations (settings-store.ts).
    clearInvalidConfig: false,
  });
}
