import type { RemoteEntry } from '../../../shared/models/transfers';

const S_IFMT = 0o170000;
const TYPE_CHARS: Record<number, string> = {
  0o140000: 's',
  0o120000: 'l',
  0o100000: '-',
  0o060000: 'b',
  0o040000: 'd',
  0o020000: 'c',
  0o010000: 'p',
};

/** What an SFTP mode word says the entry is (the type bits, not a follow-up stat). */
export function kindOfMode(mode: number): RemoteEntry['kind'] {
  switch (mode & S_IFMT) {
    case 0o100000:
      return 'file';
    case 0o040000:
      return 'directory';
    case 0o120000:
      return 'symlink';
    default:
      return 'other';
  }
}

/** `ls -l`'s ten characters ("drwxr-xr-x"), set-id and sticky bits included, so users see what they know. */
export function permissionsString(mode: number): string {
  const type = TYPE_CHARS[mode & S_IFMT] ?? '?';
  const triplet = (shift: number, special: boolean, specialChar: string): string => {
    const bits = (mode >> shift) & 0o7;
    const r = bits & 0o4 ? 'r' : '-';
    const w = bits & 0o2 ? 'w' : '-';
    const exec = (bits & 0o1) !== 0;
    const x = special ? (exec ? specialChar : specialChar.toUpperCase()) : exec ? 'x' : '-';
    return r + w + x;
  };
  return (
    type +
    triplet(6, (mode & 0o4000) !== 0, 's') +
    triplet(3, (mode & 0o2000) !== 0, 's') +
    triplet(0, (mode & 0o1000) !== 0, 't')
  );
}
