import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemorySecretStore } from '../support/memory-secret-store';
import { createSettingsFileBackend } from '../../src/main/services/settings/settings-file-backend';
import { createSettingsStore } from '../../src/main/services/settings/settings-store';
import { createKeysService, MAX_KEY_FILE_BYTES } from '../../src/main/services/ssh/create-keys-service';
import { isHangarError, type HangarError } from '../../src/shared/errors/hangar-error';
import { silentLogger } from '../../src/main/services/logging/logger';

/**
 * keys.import reads whatever path it is given: files that are not key files must be refused quickly, never
 * hang a libuv worker (a FIFO nobody writes to) or read without end (a device).
 */
const dir = mkdtempSync(join(tmpdir(), 'hangar-keyfiles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function service() {
  const settings = createSettingsStore(createSettingsFileBackend(mkdtempSync(join(dir, 'settings-'))), silentLogger);
  return createKeysService({ settings, secrets: createMemorySecretStore() });
}

async function refusal(path: string): Promise<HangarError> {
  const started = Date.now();
  const error = await service()
    .import({ path })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  if (!isHangarError(error)) throw new Error(`expected a HangarError, got ${String(error)}`);
  // Refused at once: a blocked read would hit the test timeout instead.
  expect(Date.now() - started).toBeLessThan(3000);
  return error;
}

describe('keys.import on files that are not key files', () => {
  it('refuses a FIFO without opening it for a writer that never comes', async () => {
    const fifo = join(dir, 'looks-like-a-key.pem');
    execFileSync('mkfifo', [fifo]);
    const error = await refusal(fifo);
    expect(error.code).toBe('SSH_KEY_INVALID');
    expect(error.message).toContain('not a regular file');
  });

  it('refuses a device that reads forever (/dev/zero)', async () => {
    const error = await refusal('/dev/zero');
    expect(error.code).toBe('SSH_KEY_INVALID');
    expect(error.message).toContain('not a regular file');
  });

  it('refuses a file past the size cap, and a folder', async () => {
    const big = join(dir, 'huge.pem');
    writeFileSync(big, Buffer.alloc(MAX_KEY_FILE_BYTES + 1, 0x41));
    expect((await refusal(big)).message).toContain('too large');
    expect((await refusal(dir)).message).toContain('is a folder');
  });
});
