import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Finds a system binary the tests need. When it is missing: under CI=true the test fails and names the
 * Debian package to install; elsewhere it returns undefined so the caller can `skip` with the same text.
 * A test must never pass silently because its real part is missing.
 */
export function findBinary(name: string, extraDirs: string[] = ['/usr/sbin', '/usr/bin', '/sbin']): string | undefined {
  if (name.startsWith('/')) return isExecutable(name) ? name : undefined;
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...extraDirs];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export class MissingSystemPartError extends Error {
  constructor(
    readonly binary: string,
    readonly debianPackage: string,
  ) {
    super(`${binary} not found: install the Debian package '${debianPackage}' (apt-get install ${debianPackage})`);
    this.name = 'MissingSystemPartError';
  }
}

/**
 * Returns the binary's path, or throws MissingSystemPartError. Tests call this in beforeAll so that a missing
 * part fails loudly (CI) — locally, set HANGAR_ALLOW_SKIP=1 to skip instead via `systemPartOrSkip`.
 */
export function requireBinary(name: string, debianPackage: string): string {
  const found = findBinary(name);
  if (!found) throw new MissingSystemPartError(name, debianPackage);
  return found;
}

/** True when a missing system part may skip a test instead of failing it (never under CI=true). */
export function maySkipMissingParts(): boolean {
  return process.env.CI !== 'true' && process.env.HANGAR_ALLOW_SKIP === '1';
}
