import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AccountsService } from '../../src/main/services/accounts/accounts-service';
import { createAccountsService } from '../../src/main/services/accounts/create-accounts-service';
import { createAwsClientFactory } from '../../src/main/services/aws/aws-client-factory';
import { createKeytarSecretStore } from '../../src/main/services/secrets/keytar-secret-store';
import type { SecretStore } from '../../src/main/services/secrets/secret-store';
import { createSettingsFileBackend } from '../../src/main/services/settings/settings-file-backend';
import { createSettingsStore, type SettingsStore } from '../../src/main/services/settings/settings-store';
import type { AccountSummary } from '../../src/shared/models/accounts';
import { caught } from '../support/caught';
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_SECRET_ACCESS_KEY,
  startEc2Simulator,
  type Ec2Simulator,
  type SimCredential,
} from '../support/ec2-simulator/index';
import { everyTextOf } from '../support/every-text-of';
import { filesContaining } from '../support/files-containing';
import { startKeyring, type Keyring } from '../support/keyring';
import { requireBinary } from '../support/system-deps';

const ACCOUNT = '123456789012';
const ALICE: SimCredential = {
  accessKeyId: 'AKIAALICEEXAMPLE0001',
  secretAccessKey: randomBytes(30).toString('base64'),
  userName: 'alice',
};
const TEMP: SimCredential = {
  accessKeyId: 'ASIATEMPEXAMPLE00001',
  secretAccessKey: randomBytes(30).toString('base64'),
  sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(64).toString('base64')}`,
};
const EXPIRED: SimCredential = {
  accessKeyId: 'ASIAEXPIREDEXAMPLE01',
  secretAccessKey: randomBytes(30).toString('base64'),
  sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(64).toString('base64')}`,
  expired: true,
};
const FIXED_NOW = new Date('2025-06-01T12:00:00.000Z');

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout: 30_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ stdout, stderr, code: error ? (typeof error.code === 'number' ? error.code : 1) : 0 });
    });
  });
}

/** A port nothing listens on: bound, then closed again. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('AccountsService with the real keyring, the STS simulator and conf settings', () => {
  let keyring: Keyring;
  let keychain: SecretStore;
  let sim: Ec2Simulator;
  let home: string;
  let previousHome: string | undefined;
  const dataDirs: string[] = [];
  const simCredentials: SimCredential[] = [
    { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY },
    ALICE,
    TEMP,
    EXPIRED,
  ];

  interface Rig {
    accounts: AccountsService;
    settings: SettingsStore;
    dataDir: string;
    events: AccountSummary[][];
    keychainReads: () => number;
  }

  function rig(options: { endpoint?: string; secrets?: SecretStore } = {}): Rig {
    const dataDir = mkdtempSync(join(tmpdir(), 'hangar-accounts-data-'));
    dataDirs.push(dataDir);
    const settings = createSettingsStore(createSettingsFileBackend(dataDir));
    const base = options.secrets ?? keychain;
    let reads = 0;
    const secrets: SecretStore = {
      ...base,
      get: (key) => {
        reads += 1;
        return base.get(key);
      },
    };
    let ids = 0;
    const accounts = createAccountsService({
      settings,
      secrets,
      clock: () => FIXED_NOW,
      newId: () => `acct-${randomBytes(4).toString('hex')}-${++ids}`,
      awsConfigFiles: { credentialsPath: join(home, '.aws', 'credentials'), configPath: join(home, '.aws', 'config') },
      endpoint: options.endpoint ?? sim.url,
    });
    const events: AccountSummary[][] = [];
    accounts.onChange((list) => events.push(list));
    return { accounts, settings, dataDir, events, keychainReads: () => reads };
  }

  const lookup = (key: string) => run('secret-tool', ['lookup', 'service', 'Hangar', 'account', key], { PATH: process.env.PATH, ...keyring.env });
  const entriesOf = async (id: string) => (await keychain.keys()).filter((key) => key.startsWith(`aws:${id}:`));

  async function identityThrough(provider: AwsCredentialIdentityProvider, region = 'us-east-1') {
    const clients = createAwsClientFactory({ credentials: provider, endpoint: sim.url, maxAttempts: 1 });
    try {
      return await clients.sts(region).send(new GetCallerIdentityCommand({}));
    } finally {
      clients.destroy();
    }
  }

  beforeAll(async () => {
    requireBinary('gnome-keyring-daemon', 'gnome-keyring');
    requireBinary('dbus-daemon', 'dbus');
    requireBinary('secret-tool', 'libsecret-tools');
    keyring = await startKeyring();
    // Before anything loads keytar: libsecret binds to the bus on its first call.
    keyring.apply();
    keychain = createKeytarSecretStore();
    sim = await startEc2Simulator({ credentials: simCredentials });
    // The SDK looks for SSO token caches under $HOME/.aws/sso/cache: never the real user's.
    home = mkdtempSync(join(tmpdir(), 'hangar-accounts-home-'));
    previousHome = process.env.HOME;
    process.env.HOME = home;
    mkdirSync(join(home, '.aws'), { recursive: true });
  });

  afterAll(async () => {
    if (previousHome === undefined) delete process.env.HOME;
    else process.env.HOME = previousHome;
    await sim?.close();
    await keyring?.stop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
    if (home) rmSync(home, { recursive: true, force: true });
  });

  afterEach(() => {
    sim.clearRequests();
    sim.serverClockOffsetMs = 0;
  });

  describe('adding by keys', () => {
    it('checks the keys with STS, shows account id and ARN, and keeps the secret in the keyring only', async () => {
      const { accounts, settings, dataDir, events, keychainReads } = rig();
      const added = await accounts.add({
        accessKeyId: DEFAULT_ACCESS_KEY_ID,
        secretAccessKey: DEFAULT_SECRET_ACCESS_KEY,
        defaultRegion: 'eu-west-1',
      });
      expect(added).toEqual({
        id: expect.stringMatching(/^acct-/),
        label: 'hangar-test',
        source: { kind: 'keys', accessKeyIdHint: 'AKIA…MPLE', hasSessionToken: false },
        awsAccountId: ACCOUNT,
        arn: `arn:aws:iam::${ACCOUNT}:user/hangar-test`,
        defaultRegion: 'eu-west-1',
        active: true,
        addedAt: FIXED_NOW.toISOString(),
      });
      expect(sim.requests.map((r) => [r.service, r.action, r.region, r.status])).toEqual([['sts', 'GetCallerIdentity', 'eu-west-1', 200]]);
      expect(await accounts.list()).toEqual([added]);
      expect(settings.get().activeAccountId).toBe(added.id);
      expect(events).toEqual([[added]]);

      // In the keyring, under the names from secret-keys.ts…
      const secret = await lookup(`aws:${added.id}:secret-access-key`);
      expect(secret.code, secret.stderr).toBe(0);
      expect(secret.stdout).toBe(DEFAULT_SECRET_ACCESS_KEY);
      expect((await lookup(`aws:${added.id}:access-key-id`)).stdout).toBe(DEFAULT_ACCESS_KEY_ID);
      expect((await lookup(`aws:${added.id}:session-token`)).code).not.toBe(0);
      // …and in no file of the data dir, which does hold the account (so the search does see it).
      expect(filesContaining(dataDir, added.id)).toEqual([join(dataDir, 'settings.json')]);
      expect(filesContaining(dataDir, DEFAULT_SECRET_ACCESS_KEY)).toEqual([]);
      expect(filesContaining(dataDir, DEFAULT_ACCESS_KEY_ID)).toEqual([]);

      // The SDK gets a provider that reads the keychain once, then answers from memory.
      const provider = accounts.credentialsFor(added.id);
      expect(accounts.credentialsFor(added.id)).toBe(provider);
      const readsBefore = keychainReads();
      expect((await identityThrough(provider)).Arn).toBe(added.arn);
      expect((await identityThrough(provider, 'ap-northeast-1')).Arn).toBe(added.arn);
      expect(await provider()).toEqual({ accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY });
      expect(keychainReads() - readsBefore).toBe(3);

      await accounts.remove(added.id);
      expect(await entriesOf(added.id)).toEqual([]);
      for (const kind of ['secret-access-key', 'access-key-id', 'session-token']) {
        expect((await lookup(`aws:${added.id}:${kind}`)).code).not.toBe(0);
      }
      expect(await accounts.list()).toEqual([]);
      expect(settings.get().activeAccountId).toBeUndefined();
      expect(events.at(-1)).toEqual([]);
      // Neither new nor already handed-out providers work for a removed account.
      expect(() => accounts.credentialsFor(added.id)).toThrow(expect.objectContaining({ code: 'ACCOUNT_NOT_FOUND' }));
      expect((await caught(provider())).code).toBe('ACCOUNT_NOT_FOUND');
    });

    it('keeps a session token in the keyring too, and removing wipes it', async () => {
      const { accounts, dataDir } = rig();
      const added = await accounts.add({
        label: '  Temporary  ',
        accessKeyId: TEMP.accessKeyId,
        secretAccessKey: TEMP.secretAccessKey,
        sessionToken: TEMP.sessionToken,
      });
      expect(added).toMatchObject({
        label: 'Temporary',
        source: { kind: 'keys', accessKeyIdHint: 'ASIA…0001', hasSessionToken: true },
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/hangar-role/hangar-session`,
        defaultRegion: 'us-east-1',
      });
      expect((await lookup(`aws:${added.id}:session-token`)).stdout).toBe(TEMP.sessionToken);
      expect(filesContaining(dataDir, TEMP.sessionToken ?? '')).toEqual([]);
      expect(filesContaining(dataDir, TEMP.secretAccessKey)).toEqual([]);
      expect(await entriesOf(added.id)).toEqual([
        `aws:${added.id}:access-key-id`,
        `aws:${added.id}:secret-access-key`,
        `aws:${added.id}:session-token`,
      ]);
      expect((await identityThrough(accounts.credentialsFor(added.id))).Arn).toBe(added.arn);

      await accounts.remove(added.id);
      expect(await entriesOf(added.id)).toEqual([]);
      expect((await lookup(`aws:${added.id}:session-token`)).code).not.toBe(0);
    });

    it('says so through the SDK when the keys were deleted from the keychain outside Hangar', async () => {
      const { accounts, dataDir } = rig();
      const added = await accounts.add({ accessKeyId: ALICE.accessKeyId, secretAccessKey: ALICE.secretAccessKey });
      expect(await keychain.delete(`aws:${added.id}:secret-access-key`)).toBe(true);
      // The next start of the app: nothing cached in memory yet.
      const restarted = createAccountsService({
        settings: createSettingsStore(createSettingsFileBackend(dataDir)),
        secrets: keychain,
        endpoint: sim.url,
      });
      const error = await caught(identityThrough(restarted.credentialsFor(added.id)));
      expect(error.code).toBe('AWS_NO_CREDENTIALS');
      expect(error.message).toBe('The keys of “alice” are missing from the keychain.');
      expect(error.hint).toMatch(/Remove this account and add it again/);
      await restarted.remove(added.id);
      expect(await entriesOf(added.id)).toEqual([]);
    });

    const failures: Array<{
      name: string;
      input: { accessKeyId: string; secretAccessKey: string; sessionToken?: string; defaultRegion?: string };
      offline?: boolean;
      code: string;
      message: RegExp;
      hint: RegExp;
    }> = [
      {
        name: 'an unknown access key id',
        input: { accessKeyId: 'AKIAUNKNOWNEXAMPLE01', secretAccessKey: ALICE.secretAccessKey },
        code: 'AWS_INVALID_KEY_ID',
        message: /^AWS does not know this access key ID \(AKIA…LE01\)\.$/,
        hint: /typos.*deleted or deactivated in IAM/,
      },
      {
        name: 'a temporary key without its session token',
        input: { accessKeyId: TEMP.accessKeyId, secretAccessKey: TEMP.secretAccessKey },
        code: 'AWS_INVALID_KEY_ID',
        message: /access key ID \(ASIA…0001\)/,
        hint: /ASIA are temporary.*session token/,
      },
      {
        name: 'a wrong secret',
        input: { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: ALICE.secretAccessKey },
        code: 'AWS_BAD_SECRET',
        message: /^The secret access key does not match the access key ID AKIA…MPLE\.$/,
        hint: /Copy the secret access key again.*clock/,
      },
      {
        name: 'an expired session token',
        input: { accessKeyId: EXPIRED.accessKeyId, secretAccessKey: EXPIRED.secretAccessKey, sessionToken: EXPIRED.sessionToken ?? '' },
        code: 'AWS_TOKEN_EXPIRED',
        message: /temporary credentials have expired/,
        hint: /fresh access key, secret and session token/,
      },
      {
        name: 'a region that is not enabled for the account',
        input: { accessKeyId: ALICE.accessKeyId, secretAccessKey: ALICE.secretAccessKey, defaultRegion: 'af-south-1' },
        code: 'AWS_OPT_IN_REQUIRED',
        message: /region af-south-1 is not enabled/,
        hint: /Enable af-south-1.*or choose another default region/,
      },
      {
        name: 'no network',
        input: { accessKeyId: ALICE.accessKeyId, secretAccessKey: ALICE.secretAccessKey },
        offline: true,
        code: 'OFFLINE',
        message: /^Could not reach AWS to check these keys \(ECONNREFUSED\)\.$/,
        hint: /internet connection.*Nothing was saved/,
      },
    ];

    it.each(failures)('refuses $name with $code and a fix, storing nothing', async ({ input, offline, code, message, hint }) => {
      const keysBefore = await keychain.keys();
      const { accounts, settings, dataDir, events } = rig(offline ? { endpoint: await closedPortUrl() } : {});
      const error = await caught(accounts.add(input));
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
      expect(error.hint).toMatch(hint);
      expect(everyTextOf(error)).not.toContain(input.secretAccessKey);
      if (input.sessionToken) expect(everyTextOf(error)).not.toContain(input.sessionToken);

      expect(await accounts.list()).toEqual([]);
      expect(settings.get().accounts).toEqual([]);
      expect(events).toEqual([]);
      expect(await keychain.keys()).toEqual(keysBefore);
      expect(filesContaining(dataDir, input.secretAccessKey)).toEqual([]);
    });

    it('lets the SDK correct a wrong clock, and still calls a wrong secret a wrong secret (mentioning the clock)', async () => {
      sim.serverClockOffsetMs = 2 * 60 * 60_000;
      const { accounts } = rig();
      const added = await accounts.add({ accessKeyId: ALICE.accessKeyId, secretAccessKey: ALICE.secretAccessKey });
      expect(added.arn).toBe(`arn:aws:iam::${ACCOUNT}:user/alice`);
      await accounts.remove(added.id);

      const error = await caught(
        rig().accounts.add({ accessKeyId: ALICE.accessKeyId, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }),
      );
      expect(error.code).toBe('AWS_BAD_SECRET');
      expect(error.hint).toMatch(/Copy the secret access key again/);
      expect(error.hint).toMatch(/clock is off by about 120 minutes/);
      expect(everyTextOf(error)).not.toContain(DEFAULT_SECRET_ACCESS_KEY);
    });

    it('refuses the same access key twice, naming the account it is already in', async () => {
      const { accounts } = rig();
      const first = await accounts.add({ label: 'Work', accessKeyId: ALICE.accessKeyId, secretAccessKey: ALICE.secretAccessKey });
      sim.clearRequests();
      const error = await caught(accounts.add({ accessKeyId: ALICE.accessKeyId, secretAccessKey: ALICE.secretAccessKey }));
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.message).toBe('This access key (AKIA…0001) is already added as “Work”.');
      expect(error.hint).toMatch(/remove that account first/);
      // Refused before asking AWS.
      expect(sim.requests).toEqual([]);
      expect((await accounts.list()).map((a) => a.id)).toEqual([first.id]);
      await accounts.remove(first.id);
    });

    it('writes nothing to settings when the keychain is unavailable', async () => {
      const broken = createKeytarSecretStore({
        loadKeytar: async () => {
          throw new Error('The name org.freedesktop.secrets was not provided by any .service files');
        },
      });
      const { accounts, settings, dataDir } = rig({ secrets: broken });
      const error = await caught(accounts.add({ accessKeyId: ALICE.accessKeyId, secretAccessKey: ALICE.secretAccessKey }));
      expect(error.code).toBe('KEYCHAIN_UNAVAILABLE');
      expect(error.hint).toMatch(/gnome-keyring/);
      expect(everyTextOf(error)).not.toContain(ALICE.secretAccessKey);
      expect(settings.get().accounts).toEqual([]);
      expect(filesContaining(dataDir, 'AKIA')).toEqual([]);
    });

    it('takes back what it stored when the keychain fails half-way', async () => {
      const keysBefore = await keychain.keys();
      const flaky: SecretStore = {
        ...keychain,
        set: async (key, value) => {
          if (key.endsWith(':session-token')) {
            throw Object.assign(new Error('keychain locked'), { code: 'KEYCHAIN_UNAVAILABLE' });
          }
          await keychain.set(key, value);
        },
      };
      const { accounts, settings } = rig({ secrets: flaky });
      await expect(
        accounts.add({ accessKeyId: TEMP.accessKeyId, secretAccessKey: TEMP.secretAccessKey, sessionToken: TEMP.sessionToken }),
      ).rejects.toThrow('keychain locked');
      expect(settings.get().accounts).toEqual([]);
      expect(await keychain.keys()).toEqual(keysBefore);
    });

    it('stops when cancelled, and stores nothing', async () => {
      const { accounts, settings } = rig();
      const aborted = new AbortController();
      aborted.abort();
      expect((await caught(accounts.add({ accessKeyId: ALICE.accessKeyId, secretAccessKey: ALICE.secretAccessKey }, aborted.signal))).code).toBe(
        'CANCELLED',
      );

      sim.latencyMs = 500;
      try {
        const midway = new AbortController();
        const pending = accounts.add({ accessKeyId: ALICE.accessKeyId, secretAccessKey: ALICE.secretAccessKey }, midway.signal);
        setTimeout(() => midway.abort(), 100);
        expect((await caught(pending)).code).toBe('CANCELLED');
      } finally {
        sim.latencyMs = 0;
      }
      expect(settings.get().accounts).toEqual([]);
    });
  });

  describe('several accounts', () => {
    it('keeps accounts side by side, switches the active one and tells listeners each time', async () => {
      const { accounts, settings, dataDir, events } = rig();
      const first = await accounts.add({ accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY });
      const second = await accounts.add({ accessKeyId: ALICE.accessKeyId, secretAccessKey: ALICE.secretAccessKey, defaultRegion: 'eu-west-2' });
      expect(first.active).toBe(true);
      expect(second).toMatchObject({ label: 'alice', active: false, defaultRegion: 'eu-west-2' });
      expect((await accounts.list()).map((a) => [a.label, a.active])).toEqual([
        ['hangar-test', true],
        ['alice', false],
      ]);

      const switched = await accounts.setActive(second.id);
      expect(switched.map((a) => [a.id, a.active])).toEqual([
        [first.id, false],
        [second.id, true],
      ]);
      expect(settings.get().activeAccountId).toBe(second.id);

      // Each account signs with its own keys.
      expect((await identityThrough(accounts.credentialsFor(first.id))).Arn).toBe(`arn:aws:iam::${ACCOUNT}:user/hangar-test`);
      expect((await identityThrough(accounts.credentialsFor(second.id))).Arn).toBe(`arn:aws:iam::${ACCOUNT}:user/alice`);

      expect((await accounts.setDefaultRegion(second.id, 'ap-south-1')).defaultRegion).toBe('ap-south-1');

      // verify asks STS again and writes back what it says (the IAM user was renamed).
      ALICE.userName = 'alice-renamed';
      try {
        const verified = await accounts.verify(second.id);
        expect(verified.arn).toBe(`arn:aws:iam::${ACCOUNT}:user/alice-renamed`);
        expect(sim.requests.at(-1)).toMatchObject({ action: 'GetCallerIdentity', region: 'ap-south-1', accessKeyId: ALICE.accessKeyId });
      } finally {
        ALICE.userName = 'alice';
      }

      // A second process (the next app start) sees the same accounts and the same active one.
      const reloaded = createAccountsService({ settings: createSettingsStore(createSettingsFileBackend(dataDir)), secrets: keychain });
      expect((await reloaded.list()).map((a) => [a.id, a.active, a.defaultRegion, a.arn])).toEqual([
        [first.id, false, 'us-east-1', `arn:aws:iam::${ACCOUNT}:user/hangar-test`],
        [second.id, true, 'ap-south-1', `arn:aws:iam::${ACCOUNT}:user/alice-renamed`],
      ]);

      // Removing the active account makes the other one active.
      await accounts.remove(second.id);
      expect((await accounts.list()).map((a) => [a.id, a.active])).toEqual([[first.id, true]]);
      expect(await entriesOf(second.id)).toEqual([]);
      expect(await entriesOf(first.id)).toHaveLength(2);

      expect(events.map((list) => list.map((a) => `${a.label}${a.active ? '*' : ''}`))).toEqual([
        ['hangar-test*'],
        ['hangar-test*', 'alice'],
        ['hangar-test', 'alice*'],
        ['hangar-test', 'alice*'],
        // verify updates the ARN, not the label the user sees.
        ['hangar-test', 'alice*'],
        ['hangar-test*'],
      ]);
      expect(events[3]?.[1]?.defaultRegion).toBe('ap-south-1');
      expect(events[4]?.[1]?.arn).toBe(`arn:aws:iam::${ACCOUNT}:user/alice-renamed`);

      // A listener that unsubscribed hears nothing more.
      const late: AccountSummary[][] = [];
      const off = accounts.onChange((list) => late.push(list));
      off();
      await accounts.remove(first.id);
      expect(late).toEqual([]);
      expect(events.at(-1)).toEqual([]);
    });
  });

  describe('importing AWS CLI profiles', () => {
    const legacyStartUrl = `https://hangar-legacy-${randomBytes(4).toString('hex')}.awsapps.com/start`;
    const sessionStartUrl = `https://hangar-corp-${randomBytes(4).toString('hex')}.awsapps.com/start`;

    beforeAll(() => {
      const processScript = join(home, 'creds.sh');
      writeFileSync(
        processScript,
        `#!/bin/sh\nprintf '%s' '${JSON.stringify({ Version: 1, AccessKeyId: ALICE.accessKeyId, SecretAccessKey: ALICE.secretAccessKey })}'\n`,
      );
      chmodSync(processScript, 0o755);
      writeFileSync(
        join(home, '.aws', 'credentials'),
        [
          '[static-dev]',
          `aws_access_key_id = ${DEFAULT_ACCESS_KEY_ID}`,
          `aws_secret_access_key = ${DEFAULT_SECRET_ACCESS_KEY}`,
          '',
          '[broken-keys]',
          'aws_access_key_id = AKIAUNKNOWNEXAMPLE02',
          `aws_secret_access_key = ${ALICE.secretAccessKey}`,
          '',
        ].join('\n'),
      );
      writeFileSync(
        join(home, '.aws', 'config'),
        [
          '[profile static-dev]',
          'region = eu-central-1',
          '',
          '[profile role-admin]',
          'role_arn = arn:aws:iam::210987654321:role/HangarAdmin',
          'source_profile = static-dev',
          'role_session_name = hangar-test-session',
          'region = eu-west-1',
          '',
          '[profile role-denied]',
          'role_arn = arn:aws:iam::210987654321:role/DenyEveryone',
          'source_profile = static-dev',
          '',
          '[profile from-process]',
          `credential_process = ${processScript}`,
          '',
          '[profile sso-legacy]',
          `sso_start_url = ${legacyStartUrl}`,
          'sso_region = us-east-1',
          'sso_account_id = 111122223333',
          'sso_role_name = ReadOnly',
          '',
          '[profile sso-session]',
          'sso_session = corp',
          'sso_account_id = 111122223333',
          'sso_role_name = PowerUser',
          'region = eu-north-1',
          '',
          '[sso-session corp]',
          `sso_start_url = ${sessionStartUrl}`,
          'sso_region = eu-central-1',
          'sso_registration_scopes = sso:account:access',
          '',
        ].join('\n'),
      );
    });

    it('lists the profiles with their kind', async () => {
      const profiles = await rig().accounts.listProfiles();
      expect(profiles.map((p) => [p.name, p.type, p.ssoStartUrl ?? null])).toEqual([
        ['broken-keys', 'static', null],
        ['from-process', 'process', null],
        ['role-admin', 'assume-role', null],
        ['role-denied', 'assume-role', null],
        ['sso-legacy', 'sso', legacyStartUrl],
        ['sso-session', 'sso', sessionStartUrl],
        ['static-dev', 'static', null],
      ]);
    });

    it('imports a static profile without copying its keys anywhere', async () => {
      const { accounts, dataDir, events } = rig();
      const keysBefore = await keychain.keys();
      const imported = await accounts.importProfile({ profile: 'static-dev' });
      expect(imported).toEqual({
        id: expect.any(String),
        label: 'static-dev',
        source: { kind: 'profile', profile: 'static-dev', profileType: 'static' },
        awsAccountId: ACCOUNT,
        arn: `arn:aws:iam::${ACCOUNT}:user/hangar-test`,
        defaultRegion: 'eu-central-1',
        active: true,
        addedAt: FIXED_NOW.toISOString(),
      });
      expect(sim.requests.map((r) => [r.action, r.region])).toEqual([['GetCallerIdentity', 'eu-central-1']]);
      expect(events).toEqual([[imported]]);
      expect(await keychain.keys()).toEqual(keysBefore);
      expect(filesContaining(dataDir, DEFAULT_SECRET_ACCESS_KEY)).toEqual([]);
      expect(filesContaining(dataDir, DEFAULT_ACCESS_KEY_ID)).toEqual([]);
      expect((await identityThrough(accounts.credentialsFor(imported.id))).Account).toBe(ACCOUNT);

      expect((await accounts.listProfiles()).find((p) => p.name === 'static-dev')?.alreadyAdded).toBe(true);
      const again = await caught(accounts.importProfile({ profile: 'static-dev' }));
      expect(again.code).toBe('INVALID_ARGUMENT');
      expect(again.message).toBe('Profile “static-dev” is already added as “static-dev”.');

      await accounts.remove(imported.id);
      expect(await accounts.list()).toEqual([]);
    });

    it('imports an assume-role profile: the SDK assumes the role through STS, and the role is what Hangar shows', async () => {
      const { accounts } = rig();
      const imported = await accounts.importProfile({ profile: 'role-admin', label: 'Prod admin' });
      expect(imported).toMatchObject({
        label: 'Prod admin',
        source: { kind: 'profile', profile: 'role-admin', profileType: 'assume-role' },
        awsAccountId: '210987654321',
        arn: 'arn:aws:sts::210987654321:assumed-role/HangarAdmin/hangar-test-session',
        defaultRegion: 'eu-west-1',
      });
      expect(sim.requests.map((r) => [r.action, r.accessKeyId?.slice(0, 4)])).toEqual([
        ['AssumeRole', 'AKIA'],
        ['GetCallerIdentity', 'ASIA'],
      ]);
      // The credentials just obtained serve the first calls: no second AssumeRole.
      sim.clearRequests();
      const identity = await identityThrough(accounts.credentialsFor(imported.id), 'eu-west-1');
      expect(identity.Arn).toBe(imported.arn);
      expect(sim.requests.map((r) => r.action)).toEqual(['GetCallerIdentity']);

      // verify resolves the profile afresh (a new AssumeRole).
      sim.clearRequests();
      expect((await accounts.verify(imported.id)).arn).toBe(imported.arn);
      expect(sim.requests.map((r) => r.action)).toEqual(['AssumeRole', 'GetCallerIdentity']);
      await accounts.remove(imported.id);
    });

    it('explains a role the source profile may not assume', async () => {
      const { accounts, settings } = rig();
      const error = await caught(accounts.importProfile({ profile: 'role-denied' }));
      expect(error.code).toBe('AWS_UNAUTHORIZED');
      expect(error.message).toBe('Profile “role-denied” is not allowed to assume its role (arn:aws:iam::210987654321:role/DenyEveryone).');
      expect(error.hint).toMatch(/trust policy must allow the identity behind “static-dev”/);
      expect(settings.get().accounts).toEqual([]);
    });

    it('explains a profile whose key AWS does not know', async () => {
      const error = await caught(rig().accounts.importProfile({ profile: 'broken-keys' }));
      expect(error.code).toBe('AWS_INVALID_KEY_ID');
      expect(error.message).toBe('AWS does not know the access key ID that profile “broken-keys” uses.');
      expect(error.hint).toMatch(/aws_access_key_id/);
      expect(everyTextOf(error)).not.toContain(ALICE.secretAccessKey);
    });

    it('imports a credential_process profile', async () => {
      const { accounts } = rig();
      const imported = await accounts.importProfile({ profile: 'from-process' });
      expect(imported).toMatchObject({ source: { profileType: 'process' }, arn: `arn:aws:iam::${ACCOUNT}:user/alice`, defaultRegion: 'us-east-1' });
      await accounts.remove(imported.id);
    });

    it.each([
      ['sso-legacy', () => legacyStartUrl],
      ['sso-session', () => sessionStartUrl],
    ])('asks for the browser login for SSO profile %s without a cached token', async (profile, startUrl) => {
      const { accounts, settings } = rig();
      const error = await caught(accounts.importProfile({ profile }));
      expect(error.code).toBe('AWS_SSO_LOGIN_REQUIRED');
      expect(error.message).toBe('This profile signs in through AWS IAM Identity Center (SSO) in the browser');
      expect(error.hint).toBe(`Run \`aws sso login --profile ${profile}\` (or sign in at the start URL), then try again`);
      expect(error.details).toMatchObject({ ssoStartUrl: startUrl(), profile });
      expect(settings.get().accounts).toEqual([]);
      // Nothing reached AWS: the SDK stopped at the missing token.
      expect(sim.requests).toEqual([]);
    });

    it('asks for the browser login when the cached SSO token has expired', async () => {
      const cacheDir = join(home, '.aws', 'sso', 'cache');
      mkdirSync(cacheDir, { recursive: true });
      const cacheFile = join(cacheDir, `${createHash('sha1').update(legacyStartUrl).digest('hex')}.json`);
      writeFileSync(
        cacheFile,
        JSON.stringify({ startUrl: legacyStartUrl, region: 'us-east-1', accessToken: 'expired-token', expiresAt: '2020-01-01T00:00:00Z' }),
      );
      try {
        const error = await caught(rig().accounts.importProfile({ profile: 'sso-legacy' }));
        expect(error.code).toBe('AWS_SSO_LOGIN_REQUIRED');
        expect(error.details?.ssoStartUrl).toBe(legacyStartUrl);
      } finally {
        rmSync(cacheFile);
      }
      expect(existsSync(cacheFile)).toBe(false);
    });

    it('refuses a profile that does not exist', async () => {
      const error = await caught(rig().accounts.importProfile({ profile: 'typo-profile' }));
      expect(error.code).toBe('AWS_PROFILE_INVALID');
      expect(error.message).toContain('“typo-profile”');
      expect(error.hint).toMatch(/aws configure list-profiles/);
    });
  });
});
