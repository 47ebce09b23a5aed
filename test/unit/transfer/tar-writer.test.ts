import { spawn } from 'node:child_process';
import { lstat, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TAR_TRAILER, tarHeader, tarPaddingLength, type TarEntry } from '../../../src/main/services/transfer/tar-writer';
import { requireBinary } from '../../support/system-deps';

const dirs: string[] = [];

afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

function archive(entries: { entry: TarEntry; data?: Buffer }[]): Buffer {
  const parts: Buffer[] = [];
  for (const { entry, data } of entries) {
    parts.push(tarHeader(entry));
    if (entry.type === 'file') {
      parts.push(data ?? Buffer.alloc(0), Buffer.alloc(tarPaddingLength(entry.size)));
    }
  }
  parts.push(TAR_TRAILER);
  return Buffer.concat(parts);
}

/** Feeds the archive to the real tar on this machine. */
function tar(args: string[], input: Buffer, cwd?: string): Promise<string> {
  const bin = requireBinary('tar', 'tar');
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`tar ${args.join(' ')} exited ${String(code)}: ${err}`))));
    child.stdin.end(input);
  });
}

const LONG_DIR = `${'deep-folder-name/'.repeat(12)}end`;
const MTIME = Date.parse('2022-05-06T07:08:09Z');

describe('tar writer', () => {
  const entries = [
    { entry: { path: 'top', type: 'directory', size: 0, mode: 0o750, mtimeMs: MTIME } as TarEntry },
    { entry: { path: 'top/plain.txt', type: 'file', size: 6, mode: 0o644, mtimeMs: MTIME + 999 } as TarEntry, data: Buffer.from('hello\n') },
    { entry: { path: 'top/run.sh', type: 'file', size: 10, mode: 0o755, mtimeMs: MTIME } as TarEntry, data: Buffer.from('#!/bin/sh\n') },
    { entry: { path: 'top/empty', type: 'file', size: 0, mode: 0o600, mtimeMs: MTIME } as TarEntry },
    { entry: { path: 'top/ünï 文件 "q" \'s.txt', type: 'file', size: 3, mode: 0o644, mtimeMs: MTIME } as TarEntry, data: Buffer.from('u8\n') },
    { entry: { path: 'top/new\nline', type: 'file', size: 2, mode: 0o644, mtimeMs: MTIME } as TarEntry, data: Buffer.from('n\n') },
    { entry: { path: `top/${LONG_DIR}`, type: 'directory', size: 0, mode: 0o755, mtimeMs: MTIME } as TarEntry },
    { entry: { path: `top/${LONG_DIR}/${'x'.repeat(150)}.bin`, type: 'file', size: 513, mode: 0o644, mtimeMs: MTIME } as TarEntry, data: Buffer.alloc(513, 7) },
  ];

  it('lists every path exactly, long and unicode ones included', async () => {
    const listing = await tar(['-t', '-f', '-'], archive(entries));
    // GNU tar escapes a newline in a listed name as \n.
    expect(listing.split('\n').filter(Boolean)).toEqual(
      entries.map(({ entry }) => (entry.type === 'directory' ? `${entry.path}/` : entry.path).replace('\n', '\\n')),
    );
  });

  it('extracts content, mode bits and mtime (seconds)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hangar-tar-'));
    dirs.push(dir);
    await tar(['-x', '-p', '-f', '-', '-C', dir], archive(entries));
    for (const { entry, data } of entries) {
      const info = await lstat(join(dir, entry.path));
      expect(info.mode & 0o7777).toBe(entry.mode);
      if (entry.type === 'file') {
        expect(await readFile(join(dir, entry.path))).toEqual(data ?? Buffer.alloc(0));
        expect(Math.floor(info.mtimeMs / 1000)).toBe(Math.floor(entry.mtimeMs / 1000));
      } else {
        expect(info.isDirectory()).toBe(true);
      }
    }
  });

  it('writes a valid ustar header checksum and pads to 512-byte blocks', () => {
    const header = tarHeader({ path: 'a.txt', type: 'file', size: 1, mode: 0o644, mtimeMs: 0 });
    expect(header.length).toBe(512);
    expect(header.subarray(257, 263).toString('latin1')).toBe('ustar\u0000');
    const stored = parseInt(header.subarray(148, 154).toString('latin1'), 8);
    const copy = Buffer.from(header);
    copy.fill(0x20, 148, 156);
    expect(stored).toBe(copy.reduce((sum, byte) => sum + byte, 0));
    expect(tarPaddingLength(0)).toBe(0);
    expect(tarPaddingLength(1)).toBe(511);
    expect(tarPaddingLength(512)).toBe(0);
    // A pax record is used only when needed.
    expect(tarHeader({ path: 'ü', type: 'file', size: 0, mode: 0o644, mtimeMs: 0 }).length).toBe(1536);
  });

  it('shows modes and dates as tar -tv reads them', async () => {
    const verbose = await tar(['-tv', '-f', '-'], archive(entries.slice(0, 3)));
    expect(verbose).toMatch(/-rwxr-xr-x .* top\/run\.sh/);
    expect(verbose).toMatch(/2022-05-06/);
  });
});
