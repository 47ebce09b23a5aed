import { DEFAULT_SETTINGS, SETTINGS_VERSION } from '../../../shared/models/settings';

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
};

export function migrate(input: Raw): { doc: Raw; from: number } {
  const from = typeof input.version === 'number' && Number.isInteger(input.version) ? input.version : 0;
  let doc = input;
  for (let v = from; v < SETTINGS_VERSION; v += 1) {
    const step = MIGRATIONS[v];
    if (!step) throw new Error(`no settings migration from version ${v}`);
    doc = step(doc);
  }
  return { doc, from };
}
