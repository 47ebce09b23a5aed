import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

const repoRoot = resolve(import.meta.dirname, '../..');

/**
 * The built app (npm run build) in a real Electron window: the window opens, a call through the preload
 * reaches a service, sandbox and CSP hold, the OS keychain (Windows Credential Manager / macOS Keychain)
 * stores a key and gives it back, and quitting writes the app's state files.
 */
test('the desktop app opens, calls through the preload, keeps its sandbox and uses the OS keychain', async () => {
  const userData = mkdtempSync(join(tmpdir(), 'hangar-electron-'));
  const app = await electron.launch({
    args: [join(repoRoot, 'out/main/index.js'), `--user-data-dir=${userData}`],
    env: { ...process.env, HANGAR_NO_AUTO_UPDATE: '1' },
  });
  const page = await app.firstWindow();
  await expect(page.getByRole('navigation')).toBeVisible();

  const info = await page.evaluate(async () => {
    const hangar = (window as unknown as { hangar: { call(id: string, m: string, a: unknown[]): Promise<unknown> } }).hangar;
    return hangar.call('smoke-1', 'app.info', []);
  });
  expect(info).toMatchObject({ ok: true, value: { name: 'Hangar', shell: 'electron' } });

  // Sandbox: no Node in the page; CSP: inline script is refused.
  expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
  expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
  const inlineRan = await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__inline = 1';
    document.head.append(script);
    return (window as unknown as { __inline?: number }).__inline === 1;
  });
  expect(inlineRan).toBe(false);

  // The OS keychain: import a key (stored there), list it, remove it.
  const keyFile = join(userData, 'smoke-key.pem');
  writeFileSync(keyFile, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const call = (id: string, method: string, args: unknown[]) =>
    page.evaluate(([i, m, a]) => (window as unknown as { hangar: { call(id: string, m: string, a: unknown[]): Promise<unknown> } }).hangar.call(i as string, m as string, a as unknown[]), [id, method, args] as const);
  expect(await call('smoke-2', 'secrets.status', [])).toMatchObject({ ok: true, value: { available: true } });
  // The page names no path: the key file reaches it as a File (what a drop delivers), and the preload turns
  // that into a grant — the real webUtils.getPathForFile and the shell's grant channel.
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.id = 'smoke-key-file';
    document.body.append(input);
  });
  await page.setInputFiles('#smoke-key-file', keyFile);
  const granted = (await page.evaluate(() => {
    const input = document.getElementById('smoke-key-file') as HTMLInputElement;
    const hangar = (window as unknown as { hangar: { grantDropped(files: File[]): Promise<unknown> } }).hangar;
    return hangar.grantDropped(Array.from(input.files ?? []));
  })) as { ok: boolean; value: Array<{ id: string; name: string; kind: string }> };
  expect(granted).toMatchObject({ ok: true, value: [{ name: 'smoke-key.pem', kind: 'file' }] });
  expect(await call('smoke-3a', 'keys.import', [{ path: keyFile }])).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  const imported = (await call('smoke-3', 'keys.import', [{ grant: granted.value[0]?.id }])) as { ok: boolean; value: { id: string } };
  expect(imported.ok).toBe(true);
  expect(await call('smoke-4', 'keys.list', [])).toMatchObject({ ok: true, value: [{ id: imported.value.id }] });
  expect(await call('smoke-5', 'keys.remove', [imported.value.id])).toMatchObject({ ok: true });

  await app.close();
  // Quit waited for the last saves: the state files are on disk.
  expect(readdirSync(userData)).toEqual(expect.arrayContaining(['settings.json']));
});
