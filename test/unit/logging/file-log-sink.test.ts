import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileLogSink } from '../../../src/main/services/logging/file-log-sink';
import { createLogger } from '../../../src/main/services/logging/logger';

const root = mkdtempSync(join(tmpdir(), 'hangar-logs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the log file', () => {
  it('holds redacted lines, owner-only, in a folder it creates', () => {
    const dir = join(root, 'a', 'logs');
    const sink = createFileLogSink({ dir });
    const log = createLogger({ sink, clock: () => new Date('2026-12-04T10:00:00Z') });
    log.info('connected', { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', url: 'http://127.0.0.1:8888/?token=abc123secret' });
    log.error('failed', new Error('boom'));
    const text = readFileSync(sink.path, 'utf8');
    expect(text).toContain('2026-12-04T10:00:00.000Z INFO connected');
    expect(text).toContain('ERROR failed Error: boom');
    expect(text).not.toContain('IOSFODNN7EXAMPLE');
    expect(text).not.toContain('abc123secret');
    expect(statSync(sink.path).mode & 0o777).toBe(0o600);
  });

  it('rotates by size and keeps only so many old files', () => {
    const dir = join(root, 'b');
    const sink = createFileLogSink({ dir, maxBytes: 1000, keep: 2 });
    for (let i = 0; i < 100; i += 1) sink(`line ${String(i).padStart(3, '0')} ${'x'.repeat(80)}`);
    expect(readdirSync(dir).sort()).toEqual(['hangar.1.log', 'hangar.2.log', 'hangar.log']);
    for (const name of readdirSync(dir)) expect(statSync(join(dir, name)).size).toBeLessThanOrEqual(1000);
    // The newest line is in the current file, the oldest ones are gone.
    expect(readFileSync(join(dir, 'hangar.log'), 'utf8')).toContain('line 099');
    const all = readdirSync(dir).map((n) => readFileSync(join(dir, n), 'utf8')).join('');
    expect(all).not.toContain('line 000');
  });

  it('goes on appending to the file a previous run left', () => {
    const dir = join(root, 'c');
    createFileLogSink({ dir })('first run');
    const again = createFileLogSink({ dir });
    again('second run');
    expect(readFileSync(again.path, 'utf8')).toBe('first run\nsecond run\n');
  });
});
