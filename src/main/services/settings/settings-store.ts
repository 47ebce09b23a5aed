import { writeFileSync } from 'node:fs';
import { HangarError } from '../../../shared/errors/hangar-error';
import {
  DEFAULT_SETTINGS,
  SETTINGS_VERSION,
  settingsSchema,
  type Settings,
  type SettingsPatch,
  type WindowState,
} from '../../../shared/models/settings';
import type { Logger } from '../logging/logger';
import { silentLogger } from '../logging/logger';
import { migrate } from './settings-migrations';

/**
 * What persists the document: `conf` in Node, `electron-store` (a subclass of conf) in the shell.
 * Both expose the whole document as `store` and write it atomically.
 */
export interface SettingsBackend {
  store: Record<string, unknown>;
  readonly path: string;
}

export interface SettingsStore {
  get(): Settings;
  update(patch: SettingsPatch): Settings;
  setWindowState(state: WindowState): void;
  /** For services that own a part of the document (accounts): read-modify-write in one step. */
  mutate(change: (current: Settings) => Settings): Settings;
  onChange(listener: (settings: Settings) => void): () => void;
}

export interface SettingsStoreOptions {
  /**
   * Receives what older documents kept in settings and a newer Hangar keeps elsewhere (MOVED_OUT in
   * settings-migrations.ts), before the migrated document is written without it.
   */
  adoptMovedOut?(movedOut: Readonly<Record<string, unknown>>): void;
}

/**
 * Never holds secrets: the schema has no field for one, and patches are validated against it.
 * A document newer than this build, or one that fails validation, is kept aside (not overwritten
 * silently) and the app starts from defaults so it still opens.
 */
export function createSettingsStore(backend: SettingsBackend, logger: Logger = silentLogger, options: SettingsStoreOptions = {}): SettingsStore {
  const listeners = new Set<(settings: Settings) => void>();
  // A file written by a newer Hangar is never overwritten by this one: changes stay in memory.
  let readOnly = false;
  let current = load();

  function load(): Settings {
    const raw = backend.store;
    const version = typeof raw.version === 'number' ? raw.version : 0;
    if (version > SETTINGS_VERSION) {
      logger.warn(`settings file ${backend.path} is from a newer Hangar (v${version}); using defaults without overwriting it`);
      readOnly = true;
      return structuredClone(DEFAULT_SETTINGS);
    }
    try {
      const { doc, from, movedOut } = migrate(raw);
      const parsed = settingsSchema.safeParse(doc);
      if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'invalid');
      if (Object.keys(movedOut).length > 0) adopt(movedOut);
      if (from !== SETTINGS_VERSION) backend.store = parsed.data;
      return parsed.data;
    } catch (error) {
      const backup = `${backend.path}.unreadable-${Date.now()}.json`;
      writeFileSync(backup, JSON.stringify(raw, null, 2), { mode: 0o600 });
      logger.warn(`settings file ${backend.path} could not be read; kept it as ${backup} and started from defaults`, error);
      const fresh = structuredClone(DEFAULT_SETTINGS);
      backend.store = fresh;
      return fresh;
    }
  }

  function adopt(movedOut: Record<string, unknown>): void {
    try {
      options.adoptMovedOut?.(movedOut);
    } catch (error) {
      logger.warn(`settings: ${Object.keys(movedOut).join(', ')} could not be moved out of ${backend.path}`, error);
    }
  }

  function commit(next: Settings): Settings {
    const parsed = settingsSchema.safeParse(next);
    if (!parsed.success) {
      throw new HangarError({ code: 'INVALID_ARGUMENT', message: 'Those settings are not valid.', hint: parsed.error.issues[0]?.message });
    }
    current = parsed.data;
    if (!readOnly) backend.store = current;
    for (const listener of [...listeners]) listener(structuredClone(current));
    return structuredClone(current);
  }

  return {
    get: () => structuredClone(current),
    update(patch) {
      return commit({
        ...current,
        appearance: { ...current.appearance, ...patch.appearance },
        ui: { ...current.ui, ...patch.ui },
      });
    },
    setWindowState(state) {
      commit({ ...current, window: state });
    },
    mutate(change) {
      return commit(change(structuredClone(current)));
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
