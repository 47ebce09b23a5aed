import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAppServices } from '../../../src/main/services/create-app-services';
import { createLogger } from '../../../src/main/services/logging/logger';
import { createMemorySecretStore } from '../../support/memory-secret-store';
import { createSettingsFileBackend } from '../../../src/main/services/settings/settings-file-backend';
import { createQueueStore, QUEUE_FILE_NAME } from '../../../src/main/services/transfer/queue-store';
import type { TransferRecord } from '../../../src/main/services/transfer/transfer-record';
import { SETTINGS_VERSION } from '../../../src/shared/models/settings';

function transferRecord(jobId: string, overrides: Partial<TransferRecord> = {}): TransferRecord {
  return {
    jobId,
    direction: 'upload',
    instance: { accountId: 'acct-1', region: 'eu-west-1', instanceId: 'i-0123456789abcdef0' },
    instanceName: 'gpu-box',
    sources: ['/home/me/data'],
    destination: '/home/ubuntu',
    conflict: 'ask',
    verifyChecksums: false,
    state: 'paused',
    totalFiles: 10,
    totalBytes: 1000,
    doneFiles: 4,
    doneBytes: 400,
    skippedFiles: 0,
    failures: [],
    createdAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'hangar-queue-'));
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', sink: (line) => lines.push(line) });
  return { dir, lines, file: join(dir, QUEUE_FILE_NAME), open: () => createQueueStore({ dir, logger }) };
}

describe('QueueStore', () => {
  it('saves the queue to transfer-queue.json (0600) and reads it back on the next start', async () => {
    const { file, open } = setup();
    const first = open();
    expect(first.load()).toEqual([]);
    const jobs = [transferRecord('a'), transferRecord('b', { state: 'completed', finishedAt: '2025-01-02T00:00:00.000Z' })];
    first.save(jobs);
    await first.flush();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ version: 1, jobs });
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(open().load()).toEqual(jobs);
  });

  it('skips a bad job and logs it, keeping the others', () => {
    const { file, lines, open } = setup();
    const good = [transferRecord('a'), transferRecord('c')];
    const bad = { ...transferRecord('b'), doneBytes: -5 };
    writeFileSync(file, JSON.stringify({ version: 1, jobs: [good[0], bad, good[1]] }));
    expect(open().load()).toEqual(good);
    const warning = lines.find((l) => l.includes('WARN') && l.includes('job #1'));
    expect(warning).toContain('doneBytes');
  });

  it('starts from transfer-queue.json.bak when the file is corrupt', async () => {
    const { file, open } = setup();
    const store = open();
    store.save([transferRecord('a')]);
    await store.flush();
    store.save([transferRecord('a'), transferRecord('b')]);
    await store.flush();
    writeFileSync(file, '{"version":1,"jobs":[{"jobId":"a",');
    expect(open().load().map((r) => r.jobId)).toEqual(['a']);
  });

  it('adopts the queue an older settings.json held, on disk at once, a job it already has winning', () => {
    const { file, lines, open } = setup();
    writeFileSync(file, JSON.stringify({ version: 1, jobs: [transferRecord('a', { doneBytes: 900 })] }));
    const store = open();
    store.adoptFromSettings([transferRecord('a', { doneBytes: 100 }), { jobId: 'broken' }, transferRecord('b')]);
    const onDisk = (JSON.parse(readFileSync(file, 'utf8')) as { jobs: TransferRecord[] }).jobs;
    expect(onDisk.map((r) => [r.jobId, r.doneBytes])).toEqual([
      ['a', 900],
      ['b', 400],
    ]);
    expect(store.load()).toEqual(onDisk);
    expect(lines.some((l) => l.includes('WARN') && l.includes('settings.json'))).toBe(true);
  });

  it('writes nothing when an older settings.json had no jobs', () => {
    const { file, open } = setup();
    const store = open();
    store.adoptFromSettings([]);
    store.adoptFromSettings(undefined);
    expect(existsSync(file)).toBe(false);
  });
});

describe('moving the queue out of settings (settings v4 → v5)', () => {
  function start(dir: string, lines: string[]) {
    return createAppServices({
      info: { name: 'Hangar', version: '0.0.0-test', shell: 'web', platform: process.platform },
      logger: createLogger({ level: 'debug', sink: (line) => lines.push(line) }),
      settingsBackend: createSettingsFileBackend(dir),
      secrets: createMemorySecretStore(),
      openExternal: async () => undefined,
      openPath: async () => undefined,
      pickFiles: async () => [],
      pickSaveFile: async () => undefined,
    });
  }

  it('moves the jobs once into transfer-queue.json and drops them from settings.json', async () => {
    const { dir, file, lines } = setup();
    const settingsFile = join(dir, 'settings.json');
    const paused = transferRecord('paused-job');
    const done = transferRecord('done-job', { state: 'completed', doneFiles: 10, doneBytes: 1000, finishedAt: '2025-01-02T00:00:00.000Z' });
    writeFileSync(
      settingsFile,
      JSON.stringify({
        version: 4,
        appearance: { theme: 'dark' },
        ui: { lastSection: 'transfers', sidebarCollapsed: false },
        accounts: [],
        sshKeys: [],
        hostKeys: {},
        connections: {},
        // A bad job used to make the whole settings file unreadable; now it alone is skipped.
        transfers: [paused, { ...done, jobId: '' }, done],
        tunnels: {},
      }),
    );

    const first = start(dir, lines);
    expect(first.transfers.list().map((j) => [j.jobId, j.state])).toEqual([
      ['paused-job', 'paused'],
      ['done-job', 'completed'],
    ]);
    expect(first.settings.get().appearance.theme).toBe('dark');
    const settingsDoc = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
    // Migrated from v4 to the current version; the queue left on the way (v5).
    expect(settingsDoc.version).toBe(SETTINGS_VERSION);
    expect(settingsDoc).not.toHaveProperty('transfers');
    expect((JSON.parse(readFileSync(file, 'utf8')) as { jobs: TransferRecord[] }).jobs).toEqual([paused, done]);
    expect(lines.some((l) => l.includes('WARN') && l.includes('job #1 in settings.json'))).toBe(true);
    first.transfers.clearFinished('done-job');
    await first.dispose();

    // The next start reads the queue's own file; settings.json has nothing left to move.
    const second = start(dir, lines);
    expect(second.transfers.list().map((j) => j.jobId)).toEqual(['paused-job']);
    await second.dispose();
  });
});
