import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHarness, type WebHarness } from '../../src/main/bridge/web-harness';
import { createAppDispatcher } from '../../src/main/ipc/app-dispatcher';
import { silentLogger } from '../../src/main/services/logging/logger';
import { createWebSocketTransport, type SocketLike } from '../../src/renderer/api/websocket-transport';
import { API_METHODS, apiSchemas, eventTable } from '../../src/shared/ipc/api-schemas';
import type { Api, Events } from '../../src/shared/ipc/contract';
import { createClient } from '../../src/shared/ipc/create-client';
import { harnessSchemas, type HarnessApi } from '../../src/shared/ipc/harness-api';
import type { Client, Transport, WireResult } from '../../src/shared/ipc/rpc-types';
import { caught } from '../support/caught';
import { createMemorySecretStore } from '../support/memory-secret-store';

/**
 * The renderer names no local path it was not given: through the real bridge and dispatcher, a page can
 * upload, download into and import only what a picker returned or a drop delivered (as grants). Any path
 * it makes up — /etc/passwd, ~/.bashrc — is refused and nothing is queued or read.
 */
const INSTANCE = { accountId: 'acct-1', region: 'eu-west-1', instanceId: 'i-0123456789abcdef0' };
const UNKNOWN_GRANT = 'g_AAAAAAAAAAAAAAAAAAAAAAAA';

let harness: WebHarness;
let work: string;
let transport: Transport & { close(): void };
let page: Client<Api, Events>;
let harnessCalls: Client<HarnessApi>;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'hangar-grants-'));
  await mkdir(join(work, 'renderer'));
  harness = await startWebHarness({ dataDir: join(work, 'data'), rendererDir: join(work, 'renderer'), secrets: createMemorySecretStore(), logger: silentLogger });
  const origin = harness.bridge.origin;
  transport = createWebSocketTransport(harness.bridge.socketUrl, (url) => new WebSocket(url, { headers: { origin } }) as unknown as SocketLike);
  page = createClient<Api, Events>(transport, apiSchemas, eventTable);
  harnessCalls = createClient<HarnessApi>(transport, harnessSchemas);
});

afterAll(async () => {
  transport?.close();
  await harness?.close();
  await rm(work, { recursive: true, force: true });
});

/** A call the typed client would not let through: what a compromised page could still send. */
async function raw(method: string, args: unknown[]): Promise<WireResult> {
  return transport.call(`raw-${Math.random().toString(36).slice(2)}`, method, args);
}

function refusal(result: WireResult): string | undefined {
  return result.ok ? undefined : result.error.code;
}

describe('grants instead of raw paths (real bridge, dispatcher and services)', () => {
  it('refuses an upload naming a path the user never chose, and queues nothing', async () => {
    const before = (await page.transfers.list()).length;

    expect(refusal(await raw('transfers.upload', [{ instance: INSTANCE, localPaths: ['/etc/passwd'], remoteDir: '.' }]))).toBe('INVALID_ARGUMENT');
    expect(refusal(await raw('transfers.upload', [{ instance: INSTANCE, grants: ['/etc/passwd'], remoteDir: '.' }]))).toBe('INVALID_ARGUMENT');
    const unknown = await caught(page.transfers.upload({ instance: INSTANCE, grants: [UNKNOWN_GRANT], remoteDir: '.' }));

    expect(unknown.code).toBe('LOCAL_PATH_NOT_GRANTED');
    expect(unknown.hint).toMatch(/Upload files….*drop it on the window/);
    expect(await page.transfers.list()).toHaveLength(before);
  });

  it('refuses a download into a folder the user never chose, and a key file never chosen', async () => {
    const before = (await page.transfers.list()).length;
    expect(refusal(await raw('transfers.download', [{ instance: INSTANCE, remotePaths: ['/x'], localDir: join(work, 'anywhere') }]))).toBe('INVALID_ARGUMENT');
    expect(refusal(await raw('keys.import', [{ path: '/etc/passwd' }]))).toBe('INVALID_ARGUMENT');
    const download = await caught(page.transfers.download({ instance: INSTANCE, remotePaths: ['/x'], localDirGrant: UNKNOWN_GRANT }));
    const key = await caught(page.keys.import({ grant: UNKNOWN_GRANT }));

    expect(download.code).toBe('LOCAL_PATH_NOT_GRANTED');
    expect(key.code).toBe('LOCAL_PATH_NOT_GRANTED');
    expect(key.hint).toMatch(/Import key…/);
    expect(await page.transfers.list()).toHaveLength(before);
    expect(await page.keys.list()).toEqual([]);
  });

  it('uploads what the picker returned: a grant with its name, never its path', async () => {
    const file = join(work, 'picked report.csv');
    await writeFile(file, 'a,b\n');
    harness.queuePickedFiles([file]);

    const picked = await page.transfers.pickUpload('files');

    expect(picked).toEqual([{ id: expect.stringMatching(/^g_/), name: 'picked report.csv', kind: 'file' }]);
    expect(JSON.stringify(picked)).not.toContain(work);
    const job = await page.transfers.upload({ instance: INSTANCE, grants: picked.map((g) => g.id), remoteDir: '.' });
    expect(job.sources).toEqual([file]);
    await page.transfers.cancel(job.jobId);
  });

  it('downloads only into a folder grant: a file grant is not a folder', async () => {
    const folder = join(work, 'downloads');
    await mkdir(folder);
    harness.queuePickedFiles([folder]);
    const target = await page.transfers.pickDownloadFolder();
    harness.queuePickedFiles([join(work, 'picked report.csv')]);
    const [file] = await page.transfers.pickUpload('files');

    const wrongKind = await caught(page.transfers.download({ instance: INSTANCE, remotePaths: ['/x'], localDirGrant: file?.id ?? '' }));
    const job = await page.transfers.download({ instance: INSTANCE, remotePaths: ['/x'], localDirGrant: target?.id ?? '' });

    expect(target).toMatchObject({ name: 'downloads', kind: 'folder' });
    expect(wrongKind.code).toBe('LOCAL_PATH_NOT_GRANTED');
    expect(job.destination).toBe(folder);
    await page.transfers.cancel(job.jobId);
  });

  it('grants what a harness drop carries (files and folders told apart), and only the harness answers that call', async () => {
    const folder = join(work, 'dropped-folder');
    await mkdir(folder, { recursive: true });
    await writeFile(join(work, 'dropped.txt'), 'x');

    const dropped = await harnessCalls.harness.grantDroppedPaths([join(work, 'dropped.txt'), folder, 'relative/not-granted']);

    expect(dropped.map((g) => [g.name, g.kind])).toEqual([
      ['dropped.txt', 'file'],
      ['dropped-folder', 'folder'],
    ]);
    const job = await page.transfers.upload({ instance: INSTANCE, grants: dropped.map((g) => g.id), remoteDir: '.' });
    expect(job.sources).toEqual([join(work, 'dropped.txt'), folder]);
    await page.transfers.cancel(job.jobId);

    // The Electron shell mounts the app dispatcher alone: no such method there, and its preload would not send it.
    const shell = createAppDispatcher(harness.services).dispatcher.open(() => undefined);
    const answer = await shell.call('shell-1', 'harness.grantDroppedPaths', [['/etc/passwd']]);
    shell.close();
    expect(refusal(answer)).toBe('UNKNOWN_METHOD');
    expect(API_METHODS).not.toContain('harness.grantDroppedPaths');
  });
});
