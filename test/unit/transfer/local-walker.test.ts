import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { walkLocal, type LocalEntry } from '../../../src/main/services/transfer/local-walker';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hangar-walk-'));
  dirs.push(dir);
  return dir;
}

async function collect(walk: AsyncGenerator<LocalEntry>): Promise<LocalEntry[]> {
  const out: LocalEntry[] = [];
  for await (const entry of walk) out.push(entry);
  return out;
}

function summary(entries: LocalEntry[]): string[] {
  return entries.map((e) => `${e.kind}:${e.rel}${e.kind === 'failure' ? `:${e.code}` : ''}`);
}

describe('walkLocal', () => {
  it('follows links to files and folders, reports loops and broken links, and never loops', async () => {
    const root = await scratch();
    const top = join(root, 'top');
    await mkdir(join(top, 'a', 'b'), { recursive: true });
    await mkdir(join(root, 'elsewhere'));
    await writeFile(join(root, 'elsewhere', 'far.txt'), 'far');
    await writeFile(join(top, 'a', 'b', 'file.txt'), 'x');
    await symlink('../..', join(top, 'a', 'b', 'up'));
    await symlink('self', join(top, 'self'));
    await symlink('missing', join(top, 'broken'));
    await symlink(join(root, 'elsewhere'), join(top, 'linked-dir'));
    await symlink('a/b/file.txt', join(top, 'linked-file'));

    const entries = await collect(walkLocal([top]));
    expect(summary(entries).sort()).toEqual(
      [
        'directory:top',
        'directory:top/a',
        'directory:top/a/b',
        'file:top/a/b/file.txt',
        'failure:top/a/b/up:SYMLINK_LOOP',
        'failure:top/self:SYMLINK_LOOP',
        'failure:top/broken:LOCAL_UNREADABLE',
        'directory:top/linked-dir',
        'file:top/linked-dir/far.txt',
        'file:top/linked-file',
      ].sort(),
    );
    const linked = entries.find((e) => e.rel === 'top/linked-file');
    expect(linked?.kind === 'file' && linked.size).toBe(1);
  });

  it('streams: a folder comes before its content and its files before its sub-folders', async () => {
    const root = await scratch();
    const top = join(root, 'big');
    await mkdir(join(top, 'sub'), { recursive: true });
    for (let i = 0; i < 500; i++) await writeFile(join(top, `f${i}`), '');
    await writeFile(join(top, 'sub', 'inner'), '');

    const walk = walkLocal([top]);
    const first = await walk.next();
    expect(first.value).toMatchObject({ kind: 'directory', rel: 'big' });
    const rest = await collect(walk);
    const subAt = rest.findIndex((e) => e.rel === 'big/sub');
    expect(subAt).toBe(500);
    expect(rest.slice(0, 500).every((e) => e.kind === 'file')).toBe(true);
    expect(rest[501]).toMatchObject({ kind: 'file', rel: 'big/sub/inner' });
  });

  it('walks only the given files on a retry, and a single file source by its name', async () => {
    const root = await scratch();
    await mkdir(join(root, 'p', 'q'), { recursive: true });
    await writeFile(join(root, 'p', 'one'), '1');
    await writeFile(join(root, 'p', 'q', 'two'), '22');
    await writeFile(join(root, 'solo.txt'), 'solo');

    const only = await collect(walkLocal([join(root, 'p'), join(root, 'solo.txt')], { only: new Set(['p/q/two']) }));
    expect(summary(only)).toEqual(['directory:p', 'directory:p/q', 'file:p/q/two']);
    const solo = await collect(walkLocal([join(root, 'solo.txt'), join(root, 'nope')]));
    expect(summary(solo)).toEqual(['file:solo.txt', 'failure:nope:LOCAL_NOT_FOUND']);
  });
});
