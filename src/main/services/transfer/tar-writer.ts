/**
 * A small ustar writer with pax extended headers, enough for `tar -x -p` on the instance: regular files and
 * folders, mode bits and mtime (seconds). Paths that are long, or not plain printable ASCII (unicode,
 * quotes are fine, newlines are not), go into a pax 'x' record as UTF-8, which GNU tar and bsdtar read.
 * Owner fields stay 0 / empty, so files belong to whoever extracts them.
 */
export interface TarEntry {
  /** Relative POSIX path inside the archive, without a trailing slash. */
  readonly path: string;
  readonly type: 'file' | 'directory';
  readonly size: number;
  readonly mode: number;
  readonly mtimeMs: number;
}

const BLOCK = 512;
const MAX_OCTAL_SIZE = 0o77777777777; // 11 octal digits
const PLAIN_ASCII = /^[\x20-\x7e]*$/;

export const TAR_BLOCK = BLOCK;
/** Two zero blocks end an archive. */
export const TAR_TRAILER = Buffer.alloc(BLOCK * 2);

/** Zero bytes that follow `size` bytes of file data to fill the last block. */
export function tarPaddingLength(size: number): number {
  const rest = size % BLOCK;
  return rest === 0 ? 0 : BLOCK - rest;
}

/** The header block(s) for one entry: a pax 'x' header with its records when needed, then the ustar header. */
export function tarHeader(entry: TarEntry): Buffer {
  const name = entry.type === 'directory' ? `${entry.path}/` : entry.path;
  const size = entry.type === 'directory' ? 0 : entry.size;
  const mtime = Math.floor(entry.mtimeMs / 1000);
  const records: string[] = [];
  const split = PLAIN_ASCII.test(name) ? splitUstarName(name) : undefined;
  if (split === undefined) records.push(paxRecord('path', name));
  if (size > MAX_OCTAL_SIZE) records.push(paxRecord('size', String(size)));
  const ustar = ustarHeader({
    name: split?.name ?? asciiFallback(name),
    prefix: split?.prefix ?? '',
    size: size > MAX_OCTAL_SIZE ? 0 : size,
    mode: entry.mode & 0o7777,
    mtime,
    typeflag: entry.type === 'directory' ? '5' : '0',
  });
  if (records.length === 0) return ustar;
  const body = Buffer.from(records.join(''), 'utf8');
  const paxHead = ustarHeader({
    name: asciiFallback(`PaxHeader/${name}`),
    prefix: '',
    size: body.length,
    mode: 0o644,
    mtime,
    typeflag: 'x',
  });
  return Buffer.concat([paxHead, body, Buffer.alloc(tarPaddingLength(body.length)), ustar]);
}

/** ustar keeps up to 155 bytes of prefix + 100 of name, split at a '/'. */
function splitUstarName(name: string): { name: string; prefix: string } | undefined {
  if (name.length <= 100) return { name, prefix: '' };
  // Directory names end with '/', which must stay in the name part.
  for (let i = name.indexOf('/'); i !== -1 && i < name.length - 1; i = name.indexOf('/', i + 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (prefix.length <= 155 && rest.length <= 100 && rest.length > 0) return { name: rest, prefix };
  }
  return undefined;
}

/** What old readers that ignore pax see: something ASCII and short (the pax path wins for everyone else). */
function asciiFallback(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_');
  return ascii.length <= 100 ? ascii : ascii.slice(ascii.length - 100);
}

/** "<len> key=value\n" where len counts the whole record, its own digits included. */
function paxRecord(key: string, value: string): string {
  const payload = ` ${key}=${value}\n`;
  const payloadBytes = Buffer.byteLength(payload);
  const digits = String(payloadBytes).length;
  let length = payloadBytes + digits;
  if (String(length).length > digits) length = payloadBytes + String(length).length;
  return `${length}${payload}`;
}

interface UstarFields {
  name: string;
  prefix: string;
  size: number;
  mode: number;
  mtime: number;
  typeflag: string;
}

function ustarHeader(f: UstarFields): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(f.name, 0, 100, 'utf8');
  octal(block, f.mode, 100, 8);
  octal(block, 0, 108, 8);
  octal(block, 0, 116, 8);
  octal(block, f.size, 124, 12);
  octal(block, Math.max(0, f.mtime), 136, 12);
  block.write(f.typeflag, 156, 1, 'ascii');
  block.write('ustar\u000000', 257, 8, 'ascii');
  block.write(f.prefix, 345, 155, 'utf8');
  // The checksum is computed with its own field as spaces.
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'ascii');
  return block;
}

function octal(block: Buffer, value: number, offset: number, width: number): void {
  block.write(`${Math.floor(value).toString(8).padStart(width - 1, '0')}\u0000`, offset, width, 'ascii');
}
