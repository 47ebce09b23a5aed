import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHarness, WEB_HARNESS_KEYCHAIN_SERVICE, type WebHarness } from '../../src/main/bridge/web-harness';
import { silentLogger } from '../../src/main/services/logging/logger';
import { startKeyring, type Keyring } from '../support/keyring';
import { requireBinary } from '../support/system-deps';

const repoRoot = resolve(import.meta.dirname, '../..');

function secretTool(args: string[], keyring: Keyring): Promise<{ stdout: string; code: number }> {
  return new Promise((done) => {
    execFile('secret-tool', args, { env: { PATH: process.env.PATH, ...keyring.env }, encoding: 'utf8' }, (error, stdout) =>
      done({ stdout, code: error ? 1 : 0 }),
    );
  });
}

function get(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('the web harness (npm run dev:web) keeps to itself', () => {
  let keyring: Keyring;
  let harness: WebHarness;
  const dataDir = mkdtempSync(join(tmpdir(), 'hangar-harness-'));

  beforeAll(async () => {
    requireBinary('gnome-keyring-daemon', 'gnome-keyring');
    requireBinary('secret-tool', 'libsecret-tools');
    keyring = await startKeyring();
    keyring.apply();
    // Vite mode (no rendererDir): the dev server a developer runs.
    harness = await startWebHarness({ dataDir, logger: silentLogger });
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
    await keyring?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps its secrets under its own keychain service, never the desktop app’s', async () => {
    await harness.services.secrets.set('probe:dev-harness', 'not-the-real-app');
    const own = await secretTool(['lookup', 'service', WEB_HARNESS_KEYCHAIN_SERVICE, 'account', 'probe:dev-harness'], keyring);
    expect(own.stdout).toBe('not-the-real-app');
    const app = await secretTool(['lookup', 'service', 'Hangar', 'account', 'probe:dev-harness'], keyring);
    expect(app.stdout).toBe('');
  });

  it('serves the page’s modules to the page, and no repository file to another local origin', async () => {
    const fsUrl = `${harness.bridge.origin}/@fs${join(repoRoot, 'package.json')}`;
    const own = await get(fsUrl, { origin: harness.bridge.origin, 'sec-fetch-site': 'same-origin' });
    expect(own.status).toBe(200);
    expect(own.body).toContain('"name": "hangar"');
    // A notebook page on a forwarded port: localhost too, but not Hangar.
    const jupyter = await get(fsUrl, { origin: 'http://127.0.0.1:8888', 'sec-fetch-site': 'same-site' });
    expect(jupyter.status).toBe(403);
    expect(jupyter.body).not.toContain('"name": "hangar"');
    const noOriginButCrossSite = await get(fsUrl, { 'sec-fetch-site': 'cross-site' });
    expect(noOriginButCrossSite.status).toBe(403);
  });
});
