import { DEFAULT_INSTANCE_COLUMNS, DEFAULT_SETTINGS, DEFAULT_SNIPPETS, SETTINGS_VERSION } from '../../../shared/models/settings';

type Raw = Record<string, unknown>;

/**
 * MIGRATIONS[n] turns a version-n document into version n+1. Version 0 is "no version field": the
 * file predates versioning, or is empty. Add one entry per schema change; never edit a shipped one.
 */
export const MIGRATIONS: Record<number, (doc: Raw) => Raw> = {
  0: (doc) => ({ appearance: DEFAULT_SETTINGS.appearance, ui: DEFAULT_SETTINGS.ui, ...doc, version: 1 }),
  // v2: accounts (issue 3).
  1: (doc) => ({ ...doc, accounts: [], version: 2 }),
  // v3: SSH keys, host key pins and per-instance connection settings (issue 4).
  2: (doc) => ({ ...doc, sshKeys: [], hostKeys: {}, connections: {}, version: 3 }),
  // v4: the persisted transfer queue (issue 5) and remembered tunnels (issue 6).
  3: (doc) => ({ ...doc, transfers: [], tunnels: {}, version: 4 }),
  // v5: the transfer queue moves to its own file (runtime state is not a preference; MOVED_OUT hands it over).
  4: ({ transfers: _moved, ...doc }) => ({ ...doc, version: 5 }),
  // v6: reminders of long-running GPU instances and of the burn rate (issue 13), off to begin with.
  5: (doc) => ({ ...doc, reminders: { gpuHours: { enabled: false, hours: 12 }, burnRate: { enabled: false, dollarsPerHour: 5 } }, version: 6 }),
  // v7: the Instances table's chosen columns (the ones that fit the default window; issue 18).
  6: (doc) => ({
    ...doc,
    ui: isRecord(doc.ui) ? { ...doc.ui, instanceColumns: [...DEFAULT_INSTANCE_COLUMNS] } : doc.ui,
    version: 7,
  }),
  // v8: terminal preferences (session logs) and snippets with a few useful ones (issue 19).
  7: (doc) => ({ ...doc, terminal: { ...DEFAULT_SETTINGS.terminal }, snippets: [...DEFAULT_SNIPPETS], version: 8 }),
};

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parts of the document that left settings for a store of their own, by the version that no longer has
 * them. `migrate` hands what they held to the caller, which gives it to the new owner before the
 * migrated document replaces the old one.
 */
export const MOVED_OUT: Record<number, readonly string[]> = {
  5: ['transfers'],
};

export function migrate(input: Raw): { doc: Raw; from: number; movedOut: Raw } {
  const from = typeof input.version === 'number' && Number.isInteger(input.version) ? input.version : 0;
  let doc = input;
  const movedOut: Raw = {};
  for (let v = from; v < SETTINGS_VERSION; v += 1) {
    const step = MIGRATIONS[v];
    if (!step) throw new Error(`no settings migration from version ${v}`);
    for (const key of MOVED_OUT[v + 1] ?? []) {
      if (doc[key] !== undefined) movedOut[key] = doc[key];
    }
    doc = step(doc);
  }
  return { doc, from, movedOut };
}
