import { readFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateKeyPairCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClientPool, type AwsClientPool } from '../../src/main/services/aws/aws-client-pool';
import { createEc2Service, type Ec2Service } from '../../src/main/services/ec2/ec2-service';
import { createSettingsFileBackend } from '../../src/main/services/settings/settings-file-backend';
import { createSettingsStore } from '../../src/main/services/settings/settings-store';
import { createKeysService } from '../../src/main/services/ssh/create-keys-service';
import type { KeysService } from '../../src/main/services/ssh/keys-service';
import { createWindowsAccess, type WindowsAccess } from '../../src/main/services/windows/windows-access';
import { caught } from '../support/caught';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';
import { isolateAwsEnv } from '../support/isolated-aws-env';
import { createMemorySecretStore } from '../support/memory-secret-store';

/**
 * Windows passwords through the real EC2 client: the simulator encrypts each Windows instance's password to
 * its key pair's RSA public key (as EC2Launch does), Hangar decrypts it with the private key from the keychain.
 */
const REGION = 'us-east-1';
const ACCOUNT = 'acct-main';

let restoreEnv: () => void = () => undefined;
let sim: Ec2Simulator;
let pool: AwsClientPool;
let ec2: Ec2Service;
let work: string;
let keys: KeysService;
let windows: WindowsAccess;
const opened: string[] = [];

beforeAll(async () => {
  restoreEnv = isolateAwsEnv();
  work = await mkdtemp(join(tmpdir(), 'hangar-windows-'));
  sim = await startEc2Simulator();
  pool = createAwsClientPool({
    credentialsFor: () => async () => ({ accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }),
    endpoint: sim.url,
  });
  ec2 = createEc2Service({ clientsFor: (id) => pool.clientsFor(id) });
  keys = createKeysService({ settings: createSettingsStore(createSettingsFileBackend(join(work, 'settings'))), secrets: createMemorySecretStore() });
  windows = createWindowsAccess({
    clientsFor: (id) => pool.clientsFor(id),
    ec2,
    keys,
    openPath: async (path) => {
      opened.push(path);
    },
    rdpDir: join(work, 'rdp'),
  });
});

afterAll(async () => {
  pool?.destroy();
  await sim?.close();
  await rm(work, { recursive: true, force: true });
  restoreEnv();
});

/** A key pair made by EC2 (CreateKeyPair), its private key imported into Hangar the way the Launch wizard does. */
async function keyPair(name: string, type: 'rsa' | 'ed25519', importIt = true): Promise<void> {
  const made = await pool.clientsFor(ACCOUNT).ec2(REGION).send(new CreateKeyPairCommand({ KeyName: name, KeyType: type }));
  if (importIt) await keys.importMaterial({ name, privateKey: made.KeyMaterial ?? '' });
}

function windowsBox(keyName: string | null, extra: Parameters<Ec2Simulator['addInstance']>[1] = {}): string {
  return sim.addInstance(REGION, { name: 'win-box', platformDetails: 'Windows', keyName, publicIp: '203.0.113.40', ...extra });
}

const ref = (instanceId: string) => ({ accountId: ACCOUNT, region: REGION, instanceId });

describe('Windows passwords', () => {
  it('decrypts the Administrator password with the key pair from the keychain', async () => {
    await keyPair('win-rsa', 'rsa');
    const id = windowsBox('win-rsa');
    const got = await windows.password(ref(id));
    expect(got).toEqual({ instanceId: id, user: 'Administrator', password: sim.windowsPassword(id), host: '203.0.113.40', keyName: 'win-rsa' });
    expect(got.password).toHaveLength(32);
    expect(sim.requests.at(-1)).toMatchObject({ action: 'GetPasswordData', status: 200 });
  });

  it('says the password is not ready yet while Windows is still setting it', async () => {
    await keyPair('win-early', 'rsa');
    sim.windowsPasswordDelayMs = 10 * 60_000;
    try {
      const error = await caught(windows.password(ref(windowsBox('win-early'))));
      expect(error.code).toBe('WINDOWS_PASSWORD_NOT_READY');
      expect(error.message).toMatch(/not ready yet \(Windows sets it about 4 minutes after launch\)/);
      expect(error.retryable).toBe(true);
    } finally {
      sim.windowsPasswordDelayMs = 0;
    }
  });

  it('refuses an ED25519 key pair, saying Windows passwords need RSA', async () => {
    await keyPair('win-ed', 'ed25519');
    const error = await caught(windows.password(ref(windowsBox('win-ed'))));
    expect(error.code).toBe('WINDOWS_PASSWORD_UNAVAILABLE');
    expect(error.message).toMatch(/ED25519 key; Windows passwords are encrypted to RSA key pairs only/);
  });

  it('names the key pair to import when no key is held, and says when there is no key pair at all', async () => {
    await keyPair('win-lost', 'rsa', false);
    const missing = await caught(windows.password(ref(windowsBox('win-lost'))));
    expect(missing.code).toBe('SSH_KEY_MISSING');
    expect(missing.hint).toMatch(/Import "win-lost\.pem"/);
    const none = await caught(windows.password(ref(windowsBox(null))));
    expect(none.code).toBe('WINDOWS_PASSWORD_UNAVAILABLE');
    expect(none.message).toMatch(/launched without a key pair/);
  });

  it('refuses a Linux instance', async () => {
    await keyPair('linux-rsa', 'rsa');
    const id = sim.addInstance(REGION, { name: 'tux', keyName: 'linux-rsa' });
    expect((await caught(windows.password(ref(id)))).message).toMatch(/does not run Windows/);
  });

  it('writes a .rdp file for the address and Administrator, owner-only, and opens it', async () => {
    const id = windowsBox('win-rsa', { name: 'win box/2' });
    const path = await windows.openRdp(ref(id));
    expect(path).toBe(join(work, 'rdp', 'win-box-2.rdp'));
    expect(opened.at(-1)).toBe(path);
    const text = await readFile(path, 'utf8');
    expect(text).toContain('full address:s:203.0.113.40\r\n');
    expect(text).toContain('username:s:Administrator\r\n');
    expect(text).not.toContain(sim.windowsPassword(id));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const noAddress = await caught(windows.openRdp(ref(windowsBox('win-rsa', { publicIp: null }))));
    expect(noAddress.code).toBe('SSH_NO_ADDRESS');
  });
});
