import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../state/atomic-write';
import type { SettingsBackend } from './settings-store';

export interface SettingsFileBackend extends SettingsBackend {
  /** What happened when the file was read, in words for the user (empty when it was fine). */
  readonly recovered: readonly string[];
}

const isMissing = (error: unknown): boolean => (error as { code?: unknown } | undefined)?.code === 'ENOENT';

/**
 * `settings.json` in the app's data folder (Electron: userData; the web harness: HANGAR_DATA_DIR), for the
 * shell and the harness alike. Every write is atomic (temp file, fsync, rename) and keeps the previous good
 * copy as `settings.json.bak`; the file is owner-only. A file that is not JSON at all (a crash mid-write by
 * an older build, a 0-byte file) never stops the app: it is moved aside with a timestamp and the last good
 * copy is read instead. Whether the JSON *means* something valid is the store's to judge, section by section.
 */
export function createSettingsFileBackend(dataDir: string): SettingsFileBackend {
  const path = join(dataDir, 'settings.json');
  const backupPath = `${path}.bak`;
  const recovered: string[] = [];
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });

  function read(file: string): { ok: true; value: Record<string, unknown> } | { ok: false; missing: boolean } {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      return { ok: false, missing: isMissing(error) };
    }
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return { ok: true, value: value as Record<string, unknown> };
    } catch {
      // Not JSON: handled below like any other unusable file.
    }
    return { ok: false, missing: false };
  }

  function load(): Record<string, unknown> {
    const main = read(path);
    if (main.ok) return main.value;
    if (main.missing) return {};
    const aside = `${path}.unreadable-${Date.now()}.json`;
    try {
      renameSync(path, aside);
    } catch {
      // Unreadable and immovable: still start; the next write replaces it.
    }
    const backup = read(backupPath);
    if (backup.ok) {
      recovered.push(`Your settings file was damaged (kept as ${aside}); Hangar restored the last good copy.`);
      return backup.value;
    }
    recovered.push(`Your settings file was damaged (kept as ${aside}) and no earlier copy was found; Hangar started with default settings.`);
    return {};
  }

  let doc = load();
  return {
    path,
    recovered,
    get store() {
      return structuredClone(doc);
    },
    set store(value: Record<string, unknown>) {
      writeFileAtomicSync(path, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, backupPath });
      doc = structuredClone(value);
    },
  };
}
