import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/main/services/logging/logger';
import { createJsonFileStore } from '../../../src/main/services/state/json-file-store';

interface Doc {
  n: number;
  pad: string;
}

function setup(name = 'state.json') {
  const dir = mkdtempSync(join(tmpdir(), 'hangar-state-'));
  const path = join(dir, name);
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', sink: (line) => lines.push(line) });
  const open = () =>
    createJsonFileStore<Doc>({
      path,
      what: 'test state',
      parse(raw) {
        const doc = raw as Partial<Doc>;
        if (typeof doc.n !== 'number') throw new Error('no n');
        return { n: doc.n, pad: String(doc.pad ?? '') };
      },
      empty: () => ({ n: -1, pad: '' }),
      logger,
    });
  const read = (file = path): Doc => JSON.parse(readFileSync(file, 'utf8')) as Doc;
  return { dir, path, lines, open, read };
}

describe('JsonFileStore', () => {
  it('starts empty when there is no file, and writes what was saved', async () => {
    const { path, open, read } = setup();
    const store = open();
    expect(store.initial).toEqual({ n: -1, pad: '' });
    store.save({ n: 1, pad: 'a' });
    await store.flush();
    expect(read()).toEqual({ n: 1, pad: 'a' });
    expect(open().initial).toEqual({ n: 1, pad: 'a' });
    expect(readFileSync(path, 'utf8')).not.toContain('\n');
  });

  it('replaces the file atomically: a reader never sees half a document, and no temporary file is left', async () => {
    const { dir, path, open } = setup();
    const store = open();
    store.saveSync({ n: 0, pad: '' });
    let finished = false;
    const writer = (async () => {
      for (let n = 1; n <= 15; n++) {
        store.save({ n, pad: 'x'.repeat(1_000_000 + n) });
        await store.flush();
      }
    })().finally(() => {
      finished = true;
    });
    const seen = new Set<number>();
    let reads = 0;
    while (!finished) {
      // JSON.parse throws on a torn read.
      const doc = JSON.parse(readFileSync(path, 'utf8')) as Doc;
      expect(doc.pad.length === 0 || doc.pad.length === 1_000_000 + doc.n).toBe(true);
      seen.add(doc.n);
      reads++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    await writer;
    expect(reads).toBeGreaterThan(15);
    expect(seen.size).toBeGreaterThan(2);
    expect(readdirSync(dir).sort()).toEqual(['state.json', 'state.json.bak']);
  }, 60_000);

  it('writes one at a time and only the latest of the saves that waited', async () => {
    const { path, open, read } = setup();
    const store = open();
    for (let n = 1; n <= 100; n++) store.save({ n, pad: '' });
    await store.flush();
    expect(read()).toEqual({ n: 100, pad: '' });
    // Save 1 was being written when 2…99 arrived; they were replaced by 100 before their turn.
    expect(read(`${path}.bak`)).toEqual({ n: 1, pad: '' });
  });

  it('keeps the previous good copy as .bak and starts from it when the file is corrupt', async () => {
    const { dir, path, lines, open, read } = setup();
    const first = open();
    first.save({ n: 1, pad: 'one' });
    await first.flush();
    first.save({ n: 2, pad: 'two' });
    await first.flush();
    expect(read(`${path}.bak`)).toEqual({ n: 1, pad: 'one' });

    writeFileSync(path, '{"n": 2, "pad": "tw');
    const second = open();
    expect(second.initial).toEqual({ n: 1, pad: 'one' });
    expect(lines.some((l) => l.includes('WARN') && l.includes('unreadable'))).toBe(true);
    const aside = readdirSync(dir).find((name) => name.includes('.unreadable-'));
    expect(aside).toBeDefined();
    expect(readFileSync(join(dir, aside as string), 'utf8')).toBe('{"n": 2, "pad": "tw');

    // The corrupt file never becomes the last good copy.
    second.save({ n: 3, pad: 'three' });
    await second.flush();
    expect(read()).toEqual({ n: 3, pad: 'three' });
    expect(read(`${path}.bak`)).toEqual({ n: 1, pad: 'one' });
  });

  it('starts empty, and still starts, when the file and its .bak are both unreadable', () => {
    const { path, open } = setup();
    writeFileSync(path, 'not json');
    writeFileSync(`${path}.bak`, JSON.stringify({ nothing: true }));
    expect(open().initial).toEqual({ n: -1, pad: '' });
  });

  it.skipIf(process.platform === 'win32')('writes the file and its .bak readable by the owner only (0600)', async () => {
    const { path, open } = setup();
    const store = open();
    store.save({ n: 1, pad: '' });
    await store.flush();
    store.save({ n: 2, pad: '' });
    await store.flush();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(`${path}.bak`).mode & 0o777).toBe(0o600);
    store.saveSync({ n: 3, pad: '' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('logs a write that fails instead of throwing, and flush still resolves', async () => {
    const { dir, lines } = setup();
    writeFileSync(join(dir, 'a-file'), '');
    const logger = createLogger({ level: 'debug', sink: (line) => lines.push(line) });
    const store = createJsonFileStore<Doc>({
      path: join(dir, 'a-file', 'state.json'),
      what: 'test state',
      parse: (raw) => raw as Doc,
      empty: () => ({ n: -1, pad: '' }),
      logger,
    });
    store.save({ n: 1, pad: '' });
    await store.flush();
    expect(lines.some((l) => l.includes('WARN') && l.includes('could not be written'))).toBe(true);
  });
});
