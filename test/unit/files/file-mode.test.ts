import { describe, expect, it } from 'vitest';
import { compareEntries } from '../../../src/main/services/files/create-remote-files-service';
import { kindOfMode, permissionsString } from '../../../src/main/services/files/file-mode';
import type { RemoteEntry } from '../../../src/shared/models/transfers';

describe('file modes', () => {
  it('spells permissions like ls -l, set-id and sticky bits included', () => {
    expect(permissionsString(0o040755)).toBe('drwxr-xr-x');
    expect(permissionsString(0o100644)).toBe('-rw-r--r--');
    expect(permissionsString(0o120777)).toBe('lrwxrwxrwx');
    expect(permissionsString(0o104755)).toBe('-rwsr-xr-x');
    expect(permissionsString(0o102644)).toBe('-rw-r-Sr--');
    expect(permissionsString(0o041777)).toBe('drwxrwxrwt');
    expect(permissionsString(0o041776)).toBe('drwxrwxrwT');
    expect(permissionsString(0o010600)).toBe('prw-------');
    expect(permissionsString(0o140755)).toBe('srwxr-xr-x');
  });

  it('reads the kind from the type bits', () => {
    expect(kindOfMode(0o100644)).toBe('file');
    expect(kindOfMode(0o040755)).toBe('directory');
    expect(kindOfMode(0o120777)).toBe('symlink');
    expect(kindOfMode(0o020666)).toBe('other');
  });
});

describe('listing order', () => {
  const entry = (name: string, kind: RemoteEntry['kind'], targetKind?: RemoteEntry['targetKind']): RemoteEntry => ({
    name,
    kind,
    ...(targetKind === undefined ? {} : { targetKind }),
    size: 0,
    mtimeMs: 0,
    mode: 0o644,
    permissions: '',
  });

  it('puts folders and links to folders first, then names in reading order (numbers by value, case-insensitive)', () => {
    const sorted = [
      entry('file10.txt', 'file'),
      entry('B.txt', 'file'),
      entry('file2.txt', 'file'),
      entry('zeta', 'directory'),
      entry('a.txt', 'file'),
      entry('link', 'symlink', 'directory'),
      entry('Alpha', 'directory'),
      entry('broken', 'symlink'),
    ].sort(compareEntries);
    expect(sorted.map((e) => e.name)).toEqual(['Alpha', 'link', 'zeta', 'a.txt', 'B.txt', 'broken', 'file2.txt', 'file10.txt']);
  });
});
