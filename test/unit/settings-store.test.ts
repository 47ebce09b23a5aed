import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HangarError } from '../../src/shared/errors/hangar-error';
import { DEFAULT_INSTANCE_COLUMNS, DEFAULT_SETTINGS, DEFAULT_SNIPPETS, SETTINGS_VERSION, settingsPatchSchema } from '../../src/shared/models/settings';
import { createSettingsFileBackend } from '../../src/main/services/settings/settings-file-backend';
import { createSettingsStore } from '../../src/main/services/settings/settings-store';

const freshDir = (): string => mkdtempSync(join(tmpdir(), 'hangar-settings-'));
const fileOf = (dir: string): Record<string, unknown> => JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'));

describe('SettingsStore over conf', () => {
  it('starts from defaults and persists an update to settings.json', () => {
    const dir = freshDir();
    const store = createSettingsStore(createSettingsFileBackend(dir));
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    const next = store.update({ appearance: { theme: 'dark' } });
    expect(next.appearance.theme).toBe('dark');
    expect(next.ui).toEqual(DEFAULT_SETTINGS.ui);
    expect(fileOf(dir)).toMatchObject({ version: SETTINGS_VERSION, appearance: { theme: 'dark' } });
    // A second process reads what the first wrote.
    expect(createSettingsStore(createSettingsFileBackend(dir)).get().appearance.theme).toBe('dark');
  });

  it('migrates an unversioned document, keeping what it knew', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ appearance: { theme: 'light' } }));
    const store = createSettingsStore(createSettingsFileBackend(dir));
    expect(store.get()).toMatchObject({ version: SETTINGS_VERSION, appearance: { theme: 'light' }, ui: { lastSection: 'instances' }, accounts: [] });
    expect(fileOf(dir).version).toBe(SETTINGS_VERSION);
  });

  it('migrates a version-1 document (no accounts yet) to the current version', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ version: 1, appearance: { theme: 'dark' }, ui: { lastSection: 'costs', sidebarCollapsed: true } }));
    const store = createSettingsStore(createSettingsFileBackend(dir));
    expect(store.get()).toEqual({
      version: SETTINGS_VERSION,
      appearance: { theme: 'dark' },
      ui: { lastSection: 'costs', sidebarCollapsed: true, instanceColumns: [...DEFAULT_INSTANCE_COLUMNS] },
      accounts: [],
      sshKeys: [],
      hostKeys: {},
      connections: {},
      tunnels: {},
      reminders: { gpuHours: { enabled: false, hours: 12 }, burnRate: { enabled: false, dollarsPerHour: 5 } },
      terminal: { logAlways: false, logTimestamps: false },
      snippets: [...DEFAULT_SNIPPETS],
    });
    expect(fileOf(dir)).toMatchObject({ version: SETTINGS_VERSION, accounts: [] });
  });

  it('migrates a version-7 document: terminal logging off, the shipped snippets, nothing else touched', () => {
    const dir = freshDir();
    const v7 = { ...DEFAULT_SETTINGS, version: 7, appearance: { theme: 'light' } } as Record<string, unknown>;
    delete v7.terminal;
    delete v7.snippets;
    writeFileSync(join(dir, 'settings.json'), JSON.stringify(v7));
    const store = createSettingsStore(createSettingsFileBackend(dir));
    expect(store.get().terminal).toEqual({ logAlways: false, logTimestamps: false });
    expect(store.get().snippets.map((s) => s.name)).toContain('Watch GPU use');
    expect(store.get().appearance.theme).toBe('light');
    expect(fileOf(dir).version).toBe(8);
  });

  it('keeps the good snippets of a list with a bad one, and says so', () => {
    const dir = freshDir();
    const good = { id: 'mine', name: 'Mine', text: 'echo {x}' };
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, snippets: [good, { id: 'bad id!', name: '', text: '' }] }));
    const store = createSettingsStore(createSettingsFileBackend(dir));
    expect(store.get().snippets).toEqual([good]);
    expect(store.recoveryNotes().join(' ')).toContain('1 snippet could not be read');
  });

  it('gives a v5 document the Instances columns that fit the default window, keeping the rest of its layout', () => {
    const dir = freshDir();
    const v5 = { ...DEFAULT_SETTINGS, version: 5, ui: { lastSection: 'tunnels', sidebarCollapsed: true } };
    writeFileSync(join(dir, 'settings.json'), JSON.stringify(v5));
    const store = createSettingsStore(createSettingsFileBackend(dir));
    expect(store.get().ui).toEqual({ lastSection: 'tunnels', sidebarCollapsed: true, instanceColumns: ['state', 'type', 'az', 'price'] });
    expect(fileOf(dir)).toMatchObject({ version: SETTINGS_VERSION, ui: { instanceColumns: ['state', 'type', 'az', 'price'] } });
    // The renderer may change the choice; it is kept.
    store.update({ ui: { instanceColumns: ['state', 'type', 'az', 'price', 'publicIp'] } });
    expect(createSettingsStore(createSettingsFileBackend(dir)).get().ui.instanceColumns).toEqual(['state', 'type', 'az', 'price', 'publicIp']);
  });

  it('hands the transfer queue of a v4 document to its new owner before writing the v5 document without it', () => {
    const dir = freshDir();
    const queue = [{ jobId: 'job-1' }];
    const v4 = { version: 4, appearance: { theme: 'dark' }, ui: { lastSection: 'costs', sidebarCollapsed: true }, accounts: [], sshKeys: [], hostKeys: {}, connections: {}, transfers: queue, tunnels: {} };
    writeFileSync(join(dir, 'settings.json'), JSON.stringify(v4));
    const handed: unknown[] = [];
    const store = createSettingsStore(createSettingsFileBackend(dir), undefined, {
      adoptMovedOut(movedOut) {
        // Still in settings.json at this point: a crash now loses nothing.
        expect(fileOf(dir).transfers).toEqual(queue);
        handed.push(movedOut);
      },
    });
    expect(handed).toEqual([{ transfers: queue }]);
    expect(store.get().appearance.theme).toBe('dark');
    expect(fileOf(dir)).not.toHaveProperty('transfers');
    expect(fileOf(dir).version).toBe(SETTINGS_VERSION);
    // Once moved, never again.
    createSettingsStore(createSettingsFileBackend(dir), undefined, { adoptMovedOut: (movedOut) => handed.push(movedOut) });
    expect(handed).toHaveLength(1);
  });

  it('keeps an unreadable document aside and starts from defaults', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ version: SETTINGS_VERSION, appearance: { theme: 'purple' }, accounts: [] }));
    const store = createSettingsStore(createSettingsFileBackend(dir));
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    const backup = readdirSync(dir).find((name) => name.includes('unreadable'));
    expect(backup).toBeDefined();
    expect(JSON.parse(readFileSync(join(dir, backup!), 'utf8'))).toMatchObject({ appearance: { theme: 'purple' } });
  });

  it('never overwrites a document written by a newer Hangar', () => {
    const dir = freshDir();
    const newer = { version: SETTINGS_VERSION + 1, appearance: { theme: 'dark' }, somethingNew: true };
    writeFileSync(join(dir, 'settings.json'), JSON.stringify(newer));
    const store = createSettingsStore(createSettingsFileBackend(dir));
    store.update({ ui: { lastSection: 'costs' } });
    expect(store.get().ui.lastSection).toBe('costs');
    expect(fileOf(dir)).toEqual(newer);
  });

  it('notifies listeners with the new settings', () => {
    const store = createSettingsStore(createSettingsFileBackend(freshDir()));
    const seen: string[] = [];
    const stop = store.onChange((s) => seen.push(s.ui.lastSection));
    store.update({ ui: { lastSection: 'tunnels' } });
    stop();
    store.update({ ui: { lastSection: 'costs' } });
    expect(seen).toEqual(['tunnels']);
  });

  it('rejects invalid values with a HangarError', () => {
    const store = createSettingsStore(createSettingsFileBackend(freshDir()));
    expect(() => store.update({ appearance: { theme: 'neon' as 'dark' } })).toThrow(HangarError);
  });

  it('keeps window geometry out of what a page may patch, and stores it for the shell', () => {
    expect(settingsPatchSchema.safeParse({ window: { width: 800, height: 600, maximized: false } }).success).toBe(false);
    expect(settingsPatchSchema.safeParse({ appearance: { theme: 'dark', secretAccessKey: 'x' } }).success).toBe(false);
    const dir = freshDir();
    const store = createSettingsStore(createSettingsFileBackend(dir));
    store.setWindowState({ x: 10, y: 20, width: 1200, height: 800, maximized: true });
    expect(fileOf(dir).window).toEqual({ x: 10, y: 20, width: 1200, height: 800, maximized: true });
  });
});
