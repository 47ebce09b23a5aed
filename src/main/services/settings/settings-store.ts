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
import { salvageSettings } from './settings-salvage';

const sameDocument = (raw: Record<string, unknown>, settings: Settings): boolean => JSON.stringify(raw) === JSON.stringify(settings);

/**
 * What persists the document: settings-file-backend.ts (atomic writes, last good copy kept), in the shell and in Node.
 */
export interface SettingsBackend {
  store: Record<string, unknown>;
  readonly path: string;
  /** What the backend had to do to read the file (restored the last good copy …), for the user. */
  readonly recovered?: readonly string[];
}

export interface SettingsStore {
  get(): Settings;
  update(patch: SettingsPatch): Settings;
  setWindowState(state: WindowState): void;
  /** For services that own a part of the document (accounts): read-modify-write in one step. */
  mutate(change: (current: Settings) => Settings): Settings;
  onChange(listener: (settings: Settings) => void): () => void;
  /** What was recovered or could not be kept when the file was read at start, in words for the user. */
  recoveryNotes(): string[];
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
 * A document newer than this build is never overwritten; one with bad parts is read section by section
 * and record by record (settings-salvage.ts), the whole of it copied aside first, and what could not be
 * kept is told to the user (recoveryNotes). The app always starts.
 */
export function createSettingsStore(backend: SettingsBackend, logger: Logger = silentLogger, options: SettingsStoreOptions = {}): SettingsStore {
  const listeners = new Set<(settings: Settings) => void>();
  const notes: string[] = [...(backend.recovered ?? [])];
  // A file written by a newer Hangar is never overwritten by this one: changes stay in memory.
  let readOnly = false;
  let current = load();

  function load(): Settings {
    const raw = backend.store;
    const version = typeof raw.version === 'number' ? raw.version : 0;
    if (version > SETTINGS_VERSION) {
      logger.warn(`settings file ${backend.path} is from a newer Hangar (v${version}); using defaults without overwriting it`);
      notes.push('Your settings were written by a newer Hangar. This version starts with defaults and leaves that file as it is.');
      readOnly = true;
      return structuredClone(DEFAULT_SETTINGS);
    }
    let migrated: Record<string, unknown> = raw;
    let from = version;
    try {
      const result = migrate(raw);
      migrated = result.doc;
      from = result.from;
      if (Object.keys(result.movedOut).length > 0) adopt(result.movedOut);
    } catch (error) {
      // A document no migration understands is still read section by section as the current version.
      logger.warn(`settings file ${backend.path} could not be migrated from v${version}`, error);
    }
    const { settings, notes: lost } = salvageSettings(migrated);
    if (lost.length > 0) {
      // Nothing is lost for good: the document as it was goes beside the file before anything is dropped.
      const aside = `${backend.path}.partly-unreadable-${Date.now()}.json`;
      try {
        writeFileSync(aside, JSON.stringify(raw, null, 2), { mode: 0o600 });
        logger.warn(`settings file ${backend.path} had unreadable parts; kept the whole document as ${aside}`, { lost });
      } catch (error) {
        logger.warn(`settings file ${backend.path} had unreadable parts and could not be copied aside`, error);
      }
      notes.push(...lost);
    }
    if (from !== SETTINGS_VERSION || lost.length > 0 || !sameDocument(raw, settings)) backend.store = settings;
    return settings;
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
        reminders: { ...current.reminders, ...patch.reminders },
        terminal: { ...current.terminal, ...patch.terminal },
        ...(patch.snippets === undefined ? {} : { snippets: patch.snippets }),
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
    recoveryNotes: () => [...notes],
  };
}
