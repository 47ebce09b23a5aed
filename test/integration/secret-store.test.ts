import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeytarSecretStore, type KeytarLike } from '../../src/main/services/secrets/keytar-secret-store';
import { awsSecretKey, awsSessionTokenKey, parseSecretKey, sshPassphrase, sshPrivateKey } from '../../src/main/services/secrets/secret-keys';
import type { SecretStore } from '../../src/main/services/secrets/secret-store';
import { caught } from '../support/caught';
import { everyTextOf } from '../support/every-text-of';
import { filesContaining } from '../support/files-containing';
import { startKeyring, type Keyring } from '../support/keyring';
import { createMemorySecretStore } from '../support/memory-secret-store';
import { requireBinary } from '../support/system-deps';

const repoRoot = resolve(import.meta.dirname, '../..');

function run(file: string, args: string[], env: NodeJS.ProcessEnv, timeout = 30_000): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolvePromise) => {
    execFile(file, args, { env, timeout, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolvePromise({ stdout, stderr, code });
    });
  });
}

describe('KeytarSecretStore against a real Secret Service (gnome-keyring)', () => {
  let keyring: Keyring;
  let store: SecretStore;
  let appDataDir: string;
  const runId = randomBytes(4).toString('hex');
  const secretValue = `wJalrXUtnFEMI/K7MDENG/${randomBytes(12).toString('base64url')}`;
  const key = awsSecretKey(`acct-${runId}`);

  beforeAll(async () => {
    requireBinary('gnome-keyring-daemon', 'gnome-keyring');
    requireBinary('dbus-daemon', 'dbus');
    requireBinary('secret-tool', 'libsecret-tools');
    keyring = await startKeyring();
    // Before anything loads keytar: libsecret binds to the bus on its first call.
    keyring.apply();
    store = createKeytarSecretStore();
    appDataDir = mkdtempSync(join(tmpdir(), 'hangar-appdata-'));
    // Stand-in for what the app writes next to its secrets: settings carry ids, never values.
    writeFileSync(join(appDataDir, 'settings.json'), JSON.stringify({ awsAccounts: [{ id: `acct-${runId}` }] }));
  });

  afterAll(async () => {
    await keyring?.stop();
    if (appDataDir) rmSync(appDataDir, { recursive: true, force: true });
  });

  it('round-trips set / get / keys / delete under service "Hangar"', async () => {
    expect(await store.get(key)).toBeUndefined();
    await store.set(key, secretValue);
    expect(await store.get(key)).toBe(secretValue);
    expect(await store.keys()).toContain(key);

    await store.set(key, `${secretValue}-rotated`);
    expect(await store.get(key)).toBe(`${secretValue}-rotated`);
    expect((await store.keys()).filter((listed) => listed === key)).toHaveLength(1);

    expect(await store.delete(key)).toBe(true);
    expect(await store.get(key)).toBeUndefined();
    expect(await store.delete(key)).toBe(false);
    expect(await store.keys()).not.toContain(key);
  });

  it('stores the value in the keyring as service/account attributes, and in no plain file', async () => {
    const sshKey = sshPrivateKey(`key-${runId}`);
    await store.set(sshKey, secretValue);

    const env = { PATH: process.env.PATH, ...keyring.env };
    const lookup = await run('secret-tool', ['lookup', 'service', 'Hangar', 'account', sshKey], env);
    expect(lookup.code, lookup.stderr).toBe(0);
    expect(lookup.stdout).toBe(secretValue);

    // What keytar writes: attributes service + account, its generic schema, label "<service>/<account>".
    const search = await run('secret-tool', ['search', '--all', 'service', 'Hangar', 'account', sshKey], env);
    const described = search.stdout + search.stderr;
    expect(described).toContain(`attribute.service = Hangar`);
    expect(described).toContain(`attribute.account = ${sshKey}`);
    expect(described).toContain('schema = org.freedesktop.Secret.Generic');
    expect(described).toContain(`label = Hangar/${sshKey}`);

    expect(filesContaining(appDataDir, secretValue)).toEqual([]);
    // The keyring has written its file, and it is encrypted on disk.
    expect(readdirSync(join(keyring.dir, 'data/keyrings'))).toContain('login.keyring');
    expect(filesContaining(keyring.dir, secretValue)).toEqual([]);

    expect(await store.delete(sshKey)).toBe(true);
  });

  it('keeps services apart', async () => {
    const other = createKeytarSecretStore({ service: `Hangar-test-${runId}` });
    const tokenKey = awsSessionTokenKey(`acct-${runId}`);
    await other.set(tokenKey, 'only-in-other');
    expect(await store.get(tokenKey)).toBeUndefined();
    expect(await other.keys()).toEqual([tokenKey]);
    expect(await other.delete(tokenKey)).toBe(true);
  });

  it('validates keys before touching the keychain', async () => {
    expect((await caught(store.set('', 'x'))).code).toBe('INVALID_ARGUMENT');
    expect((await caught(store.get('k'.repeat(201)))).code).toBe('INVALID_ARGUMENT');
    const longest = `custom:${'k'.repeat(193)}`;
    expect(longest).toHaveLength(200);
    await store.set(longest, 'v');
    expect(await store.delete(longest)).toBe(true);
  });
});

describe('KeytarSecretStore when the keychain is unavailable', () => {
  const secret = `AKIA-secret-${randomBytes(8).toString('hex')}`;

  it('maps a session bus that is not there to KEYCHAIN_UNAVAILABLE (real keytar, separate process)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hangar-nokeychain-'));
    try {
      const script = join(dir, 'probe.mts');
      const modulePath = join(repoRoot, 'src/main/services/secrets/keytar-secret-store.ts');
      writeFileSync(
        script,
        `import { createKeytarSecretStore } from ${JSON.stringify(modulePath)};
const store = createKeytarSecretStore();
const results = [];
for (const attempt of [() => store.set('probe', process.env.PROBE_SECRET), () => store.keys()]) {
  try { await attempt(); results.push({ ok: true }); }
  catch (error) { results.push({ json: error.toJSON?.(), text: String(error) + '\\n' + error.stack + '\\n' + String(error.cause?.message) }); }
}
console.log(JSON.stringify(results));
`,
      );
      const env = {
        PATH: process.env.PATH,
        HOME: dir,
        XDG_RUNTIME_DIR: dir,
        DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'no-bus-here')}`,
        PROBE_SECRET: secret,
      };
      const tsx = join(repoRoot, 'node_modules/.bin/tsx');
      const result = await run(tsx, [script], env);
      expect(result.code, result.stderr).toBe(0);
      const results = JSON.parse(result.stdout.trim().split('\n').pop() ?? '[]') as Array<{
        ok?: boolean;
        json?: { code: string; hint?: string; message: string; retryable: boolean };
        text?: string;
      }>;
      expect(results).toHaveLength(2);
      for (const entry of results) {
        expect(entry.ok).toBeUndefined();
        expect(entry.json?.code).toBe('KEYCHAIN_UNAVAILABLE');
        expect(entry.json?.retryable).toBe(true);
        expect(entry.json?.hint).toMatch(/Secret Service such as gnome-keyring/);
        expect(entry.json?.message).toMatch(/Secret Service/);
        expect(JSON.stringify(entry)).not.toContain(secret);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('maps a keytar that cannot be loaded to KEYCHAIN_UNAVAILABLE, and retries the load later', async () => {
    let loads = 0;
    const memory = createMemorySecretStore();
    const store = createKeytarSecretStore({
      loadKeytar: async () => {
        loads += 1;
        if (loads === 1) throw new Error('Cannot find module ../build/Release/keytar.node');
        return {
          getPassword: async (_service, account) => (await memory.get(account)) ?? null,
          setPassword: (_service, account, password) => memory.set(account, password),
          deletePassword: (_service, account) => memory.delete(account),
          findCredentials: async () => Promise.all((await memory.keys()).map(async (account) => ({ account, password: (await memory.get(account)) ?? '' }))),
        } satisfies KeytarLike;
      },
    });
    const error = await caught(store.set('aws:a:secret-access-key', secret));
    expect(error.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(error.hint).toMatch(/gnome-keyring/);
    expect(everyTextOf(error)).not.toContain(secret);

    await store.set('aws:a:secret-access-key', secret);
    expect(await store.keys()).toEqual(['aws:a:secret-access-key']);
    expect(loads).toBe(2);
  });

  it('never lets the value through, even when the keychain error echoes it', async () => {
    const echoing: KeytarLike = {
      getPassword: async () => null,
      setPassword: async (_service, _account, password) => {
        throw new Error(`org.freedesktop.Secret.Error: refused item "${password}"`);
      },
      deletePassword: async () => false,
      findCredentials: async () => [],
    };
    const error = await caught(createKeytarSecretStore({ loadKeytar: async () => echoing }).set('ssh:k:passphrase', secret));
    expect(error.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(error.message).toContain('[redacted]');
    expect(everyTextOf(error)).not.toContain(secret);
  });

  it('names the keychain of the platform in the hint', async () => {
    const broken = async (): Promise<KeytarLike> => {
      throw new Error('no keychain');
    };
    const mac = await caught(createKeytarSecretStore({ loadKeytar: broken, platform: 'darwin' }).get('k'));
    expect(mac.message).toContain('macOS Keychain');
    expect(mac.hint).toMatch(/Keychain/);
    const windows = await caught(createKeytarSecretStore({ loadKeytar: broken, platform: 'win32' }).keys());
    expect(windows.message).toContain('Windows Credential Manager');
    expect(windows.hint).toMatch(/Credential Manager/);
  });
});

describe('secret naming scheme and the memory store', () => {
  it('builds and parses keys', () => {
    expect(awsSecretKey('123')).toBe('aws:123:secret-access-key');
    expect(awsSessionTokenKey('123')).toBe('aws:123:session-token');
    expect(sshPrivateKey('k1')).toBe('ssh:k1:private-key');
    expect(sshPassphrase('k1')).toBe('ssh:k1:passphrase');
    expect(parseSecretKey('ssh:k1:passphrase')).toEqual({ area: 'ssh', id: 'k1', kind: 'passphrase' });
    expect(parseSecretKey('something-else')).toBeUndefined();
    expect(() => awsSecretKey('a:b')).toThrow(/Invalid AWS account id/);
    expect(() => sshPrivateKey('')).toThrow(/Invalid SSH key id/);
  });

  it('memory store behaves like the keychain one', async () => {
    const store = createMemorySecretStore();
    await store.set('b', '2');
    await store.set('a', '1');
    expect(await store.keys()).toEqual(['a', 'b']);
    expect(await store.get('a')).toBe('1');
    expect(await store.delete('a')).toBe(true);
    expect(await store.delete('a')).toBe(false);
    await expect(store.set('', 'x')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
