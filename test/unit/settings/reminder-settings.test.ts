import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSettingsFileBackend } from '../../../src/main/services/settings/settings-file-backend';
import { createSettingsStore } from '../../../src/main/services/settings/settings-store';
import { DEFAULT_SETTINGS, SETTINGS_VERSION, settingsPatchSchema } from '../../../src/shared/models/settings';

const freshDir = (): string => mkdtempSync(join(tmpdir(), 'hangar-reminder-settings-'));
const open = (dir: string) => createSettingsStore(createSettingsFileBackend(dir));
const { reminders: _none, ...v5Defaults } = DEFAULT_SETTINGS;

describe('reminder settings', () => {
  it('arrive off in a settings file of version 5, which is migrated and written back', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ ...v5Defaults, version: 5, appearance: { theme: 'dark' } }));
    const store = open(dir);
    expect(store.get().reminders).toEqual({ gpuHours: { enabled: false, hours: 12 }, burnRate: { enabled: false, dollarsPerHour: 5 } });
    expect(store.get().appearance.theme).toBe('dark');
    expect(store.recoveryNotes()).toEqual([]);
    const written = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as { version: number; reminders: unknown };
    expect(written.version).toBe(SETTINGS_VERSION);
    expect(written.reminders).toEqual(DEFAULT_SETTINGS.reminders);
  });

  it('are patched one rule at a time, and out-of-range values are refused', () => {
    const store = open(freshDir());
    store.update({ reminders: { gpuHours: { enabled: true, hours: 6 } } });
    store.update({ reminders: { burnRate: { enabled: true, dollarsPerHour: 2.5 } } });
    expect(store.get().reminders).toEqual({ gpuHours: { enabled: true, hours: 6 }, burnRate: { enabled: true, dollarsPerHour: 2.5 } });
    expect(settingsPatchSchema.safeParse({ reminders: { gpuHours: { enabled: true, hours: 0.5 } } }).success).toBe(false);
    expect(settingsPatchSchema.safeParse({ reminders: { burnRate: { enabled: true, dollarsPerHour: 0 } } }).success).toBe(false);
    expect(settingsPatchSchema.safeParse({ reminders: { gpuHours: { enabled: true } } }).success).toBe(false);
  });

  it('that cannot be read are reset on their own, and the rest of the file is kept', () => {
    const dir = freshDir();
    writeFileSync(
      join(dir, 'settings.json'),
      JSON.stringify({ ...DEFAULT_SETTINGS, appearance: { theme: 'light' }, reminders: { gpuHours: { enabled: 'yes' }, burnRate: 3 } }),
    );
    const store = open(dir);
    expect(store.get().reminders).toEqual(DEFAULT_SETTINGS.reminders);
    expect(store.get().appearance.theme).toBe('light');
    expect(store.recoveryNotes()).toEqual(['Reminder settings could not be read and were reset.']);
  });
});
