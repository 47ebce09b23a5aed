import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSettingsFileBackend } from '../../../src/main/services/settings/settings-file-backend';
import { createSettingsStore } from '../../../src/main/services/settings/settings-store';
import { DEFAULT_SETTINGS, SETTINGS_VERSION } from '../../../src/shared/models/settings';

const freshDir = (): string => mkdtempSync(join(tmpdir(), 'hangar-recovery-'));
const open = (dir: string) => createSettingsStore(createSettingsFileBackend(dir));

const pin = (fingerprintSha256: string) => ({ fingerprintSha256, keyType: 'ssh-ed25519', verifiedBy: 'user', pinnedAt: '2026-11-01T10:00:00.000Z' });
const account = (id: string) => ({
  id,
  label: `Lab ${id}`,
  source: { kind: 'keys', accessKeyIdHint: 'AKIA…MPLE', hasSessionToken: false },
  awsAccountId: '123456789012',
  defaultRegion: 'eu-west-1',
  addedAt: '2026-11-01T10:00:00.000Z',
});

/** A good document with two accounts and two pins, as the app wrote it. */
function writeGood(dir: string): void {
  const store = open(dir);
  store.mutate((s) => ({ ...s, appearance: { theme: 'dark' } }));
}

describe('settings that survive a crash or a bad edit', () => {
  it('starts from a 0-byte settings.json with the last good copy, and says so', () => {
    const dir = freshDir();
    writeGood(dir);
    open(dir).update({ ui: { sidebarCollapsed: true } });
    // A crash mid-write of an older build left the file empty.
    writeFileSync(join(dir, 'settings.json'), '');
    const store = open(dir);
    expect(store.get().appearance.theme).toBe('dark');
    expect(store.recoveryNotes().join(' ')).toMatch(/damaged .* restored the last good copy/);
    expect(readdirSync(dir).some((n) => n.startsWith('settings.json.unreadable-'))).toBe(true);
  });

  it('starts from a truncated file with no earlier copy, on defaults, keeping the file aside', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'settings.json'), '{"version":5,"appearance":{"th');
    const store = open(dir);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(store.recoveryNotes().join(' ')).toMatch(/no earlier copy/);
    const aside = readdirSync(dir).find((n) => n.startsWith('settings.json.unreadable-'));
    expect(aside && readFileSync(join(dir, aside), 'utf8')).toBe('{"version":5,"appearance":{"th');
  });

  it('keeps every good record when one is bad, and never drops a pin silently', () => {
    const dir = freshDir();
    const doc = {
      ...DEFAULT_SETTINGS,
      version: SETTINGS_VERSION,
      appearance: { theme: 'light' },
      accounts: [account('acct-good'), { id: 'acct-broken', label: 42 }],
      hostKeys: { 'i-0aaaaaaaaaaaaaaaa': pin('SHA256:aaaa'), 'i-0bbbbbbbbbbbbbbbb': { fingerprintSha256: 7 } },
    };
    writeFileSync(join(dir, 'settings.json'), JSON.stringify(doc));
    const store = open(dir);
    const settings = store.get();
    expect(settings.appearance.theme).toBe('light');
    expect(settings.accounts.map((a) => a.id)).toEqual(['acct-good']);
    expect(Object.keys(settings.hostKeys)).toEqual(['i-0aaaaaaaaaaaaaaaa']);
    const notes = store.recoveryNotes().join('\n');
    expect(notes).toContain('1 account could not be read');
    expect(notes).toContain('i-0bbbbbbbbbbbbbbbb');
    expect(notes).toContain('ask before trusting it again');
    // The whole document as it was is kept beside the file.
    const aside = readdirSync(dir).find((n) => n.startsWith('settings.json.partly-unreadable-'));
    expect(aside).toBeDefined();
    expect(JSON.parse(readFileSync(join(dir, aside ?? ''), 'utf8')).hostKeys['i-0bbbbbbbbbbbbbbbb']).toEqual({ fingerprintSha256: 7 });
  });

  it('a bad column list resets only the columns, not the section the window was on', () => {
    const dir = freshDir();
    const doc = { ...DEFAULT_SETTINGS, version: SETTINGS_VERSION, ui: { lastSection: 'tunnels', sidebarCollapsed: true, instanceColumns: 'all of them' } };
    writeFileSync(join(dir, 'settings.json'), JSON.stringify(doc));
    const store = open(dir);
    expect(store.get().ui).toEqual({ lastSection: 'tunnels', sidebarCollapsed: true, instanceColumns: DEFAULT_SETTINGS.ui.instanceColumns });
    expect(store.recoveryNotes().join('\n')).toContain('the chosen Instances columns were reset');
  });

  it('writes settings atomically, owner-only, with the previous copy kept', () => {
    const dir = freshDir();
    const store = open(dir);
    store.update({ appearance: { theme: 'dark' } });
    store.update({ appearance: { theme: 'light' } });
    expect(statSync(join(dir, 'settings.json')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')).appearance.theme).toBe('light');
    expect(JSON.parse(readFileSync(join(dir, 'settings.json.bak'), 'utf8')).appearance.theme).toBe('dark');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(store.recoveryNotes()).toEqual([]);
  });
});
