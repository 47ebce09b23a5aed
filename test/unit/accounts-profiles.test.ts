import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAccountsService } from '../../src/main/services/accounts/create-accounts-service';
import { createSettingsStore, type SettingsBackend } from '../../src/main/services/settings/settings-store';
import type { HangarError } from '../../src/shared/errors/hangar-error';
import { DEFAULT_SETTINGS, type Settings } from '../../src/shared/models/settings';
import { caught } from '../support/caught';
import { createMemorySecretStore } from '../support/memory-secret-store';

const CREDENTIALS = `
[default]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY

[static-dev]
aws_access_key_id = AKIAI44QH8DHBEXAMPLE
aws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY

[overridden]
aws_access_key_id = AKIAOVERRIDEXAMPLE01
aws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKE2
`;

const CONFIG = `
[default]
region = eu-west-2

[profile static-dev]
region = eu-central-1

[profile role-admin]
role_arn = arn:aws:iam::210987654321:role/HangarAdmin
source_profile = static-dev
region = eu-west-1

[profile role-from-env]
role_arn = arn:aws:iam::210987654321:role/HangarAdmin
credential_source = Environment

[profile sso-legacy]
sso_start_url = https://legacy-example.awsapps.com/start
sso_region = us-east-1
sso_account_id = 111122223333
sso_role_name = ReadOnly
region = us-west-2

[profile sso-new]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = PowerUser

[sso-session corp]
sso_start_url = https://corp-example.awsapps.com/start
sso_region = eu-central-1
sso_registration_scopes = sso:account:access

[profile proc]
credential_process = PROCESS_PATH

[profile web]
role_arn = arn:aws:iam::210987654321:role/WebRole
web_identity_token_file = /nonexistent/token

[profile region-only]
region = ap-south-1

[profile overridden]
sso_start_url = https://ignored.awsapps.com/start

[services local-endpoints]
ec2 =
  endpoint_url = http://127.0.0.1:1
`;

function memoryBackend(initial: Partial<Settings> = {}): SettingsBackend {
  return { store: { ...structuredClone(DEFAULT_SETTINGS), ...initial }, path: '/nonexistent/settings.json' };
}

describe('AccountsService: AWS CLI profiles', () => {
  let dir: string;
  let credentialsPath: string;
  let configPath: string;
  let failingProcess: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hangar-profiles-'));
    credentialsPath = join(dir, 'credentials');
    configPath = join(dir, 'config');
    failingProcess = join(dir, 'fail.sh');
    writeFileSync(failingProcess, '#!/bin/sh\necho "no credentials for you" >&2\nexit 3\n');
    chmodSync(failingProcess, 0o755);
    writeFileSync(credentialsPath, CREDENTIALS);
    writeFileSync(configPath, CONFIG.replace('PROCESS_PATH', failingProcess));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const service = (initial: Partial<Settings> = {}) =>
    createAccountsService({
      settings: createSettingsStore(memoryBackend(initial)),
      secrets: createMemorySecretStore(),
      awsConfigFiles: { credentialsPath, configPath },
      // Nothing here may reach the network; a closed port makes any attempt fail loudly.
      endpoint: 'http://127.0.0.1:1',
    });

  it('classifies every profile the way the SDK will resolve it', async () => {
    const profiles = await service().listProfiles();
    expect(profiles.map((p) => [p.name, p.type])).toEqual([
      ['default', 'static'],
      ['overridden', 'static'],
      ['proc', 'process'],
      ['region-only', 'other'],
      ['role-admin', 'assume-role'],
      ['role-from-env', 'assume-role'],
      ['sso-legacy', 'sso'],
      ['sso-new', 'sso'],
      ['static-dev', 'static'],
      ['web', 'other'],
    ]);
  });

  it('merges config and credentials per profile, with regions and SSO start URLs', async () => {
    const byName = new Map((await service().listProfiles()).map((p) => [p.name, p]));
    expect(byName.get('default')).toEqual({ name: 'default', type: 'static', region: 'eu-west-2', alreadyAdded: false });
    expect(byName.get('static-dev')).toMatchObject({ type: 'static', region: 'eu-central-1' });
    expect(byName.get('sso-legacy')).toEqual({
      name: 'sso-legacy',
      type: 'sso',
      region: 'us-west-2',
      ssoStartUrl: 'https://legacy-example.awsapps.com/start',
      alreadyAdded: false,
    });
    // The start URL of an sso-session profile lives in its [sso-session] section.
    expect(byName.get('sso-new')?.ssoStartUrl).toBe('https://corp-example.awsapps.com/start');
    // Keys in the credentials file win over SSO settings in the config file, as in the SDK.
    expect(byName.get('overridden')?.type).toBe('static');
    // Sections that are not profiles stay out.
    expect([...byName.keys()].some((name) => name.includes('corp') || name.includes('services') || name.includes('local-endpoints'))).toBe(
      false,
    );
  });

  it('marks profiles that an account already uses', async () => {
    const profiles = await service({
      accounts: [
        {
          id: 'a1',
          label: 'Admin',
          source: { kind: 'profile', profile: 'role-admin', profileType: 'assume-role' },
          defaultRegion: 'eu-west-1',
          addedAt: '2025-01-01T00:00:00.000Z',
        },
        {
          id: 'a2',
          label: 'Keys',
          source: { kind: 'keys', accessKeyIdHint: 'AKIA…MPLE', hasSessionToken: false },
          defaultRegion: 'us-east-1',
          addedAt: '2025-01-01T00:00:00.000Z',
        },
      ],
      activeAccountId: 'a1',
    }).listProfiles();
    expect(profiles.filter((p) => p.alreadyAdded).map((p) => p.name)).toEqual(['role-admin']);
  });

  it('reads the files again on every listing, so edits show up without a restart', async () => {
    const accounts = service();
    expect((await accounts.listProfiles()).some((p) => p.name === 'fresh')).toBe(false);
    writeFileSync(credentialsPath, `${CREDENTIALS}\n[fresh]\naws_access_key_id = AKIAFRESHEXAMPLE0001\naws_secret_access_key = x\n`);
    expect((await accounts.listProfiles()).find((p) => p.name === 'fresh')?.type).toBe('static');
  });

  it('lists nothing when there are no AWS files', async () => {
    const accounts = createAccountsService({
      settings: createSettingsStore(memoryBackend()),
      secrets: createMemorySecretStore(),
      awsConfigFiles: { credentialsPath: join(dir, 'missing-credentials'), configPath: join(dir, 'missing-config') },
    });
    expect(await accounts.listProfiles()).toEqual([]);
  });

  it('refuses an unknown profile with AWS_PROFILE_INVALID and a fix', async () => {
    const error = await caught(service().importProfile({ profile: 'nope' }));
    expect(error.code).toBe('AWS_PROFILE_INVALID');
    expect(error.message).toContain('“nope”');
    expect(error.message).toContain(configPath);
    expect(error.hint).toMatch(/aws configure list-profiles/);
  });

  it('explains a profile without any credentials settings', async () => {
    const error = await caught(service().importProfile({ profile: 'region-only' }));
    expect(error.code).toBe('AWS_PROFILE_INVALID');
    expect(error.message).toMatch(/Profile “region-only” did not give Hangar credentials/);
    expect(error.hint).toMatch(/access keys, role_arn \+ source_profile, credential_process/);
  });

  it('explains a credential_process that fails, with the process hint', async () => {
    const error = await caught(service().importProfile({ profile: 'proc' }));
    expect(error.code).toBe('AWS_PROFILE_INVALID');
    expect(error.hint).toMatch(/Run the credential_process command of \[profile proc\]/);
    expect(error.details).toMatchObject({ profile: 'proc', profileType: 'process' });
  });

  it('stores nothing when an import fails', async () => {
    const secrets = createMemorySecretStore();
    const settings = createSettingsStore(memoryBackend());
    const accounts = createAccountsService({ settings, secrets, awsConfigFiles: { credentialsPath, configPath }, endpoint: 'http://127.0.0.1:1' });
    await caught(accounts.importProfile({ profile: 'region-only' }));
    expect(settings.get().accounts).toEqual([]);
    expect(await secrets.keys()).toEqual([]);
  });

  it('validates input and ids before doing anything', async () => {
    const accounts = service();
    expect((await caught(accounts.importProfile({ profile: '' }))).code).toBe('INVALID_ARGUMENT');
    const badKey = await caught(accounts.add({ accessKeyId: 'not-a-key', secretAccessKey: 'x'.repeat(40) }));
    expect(badKey.code).toBe('INVALID_ARGUMENT');
    expect(badKey.message).toMatch(/^The access key ID is not valid: an access key ID starts with AKIA or ASIA/);
    const unknown = (() => {
      try {
        accounts.credentialsFor('missing');
        return undefined;
      } catch (error) {
        return error as HangarError;
      }
    })();
    expect(unknown?.code).toBe('ACCOUNT_NOT_FOUND');
    expect(unknown?.hint).toMatch(/Refresh the accounts list/);
    expect((await caught(accounts.setActive('missing'))).code).toBe('ACCOUNT_NOT_FOUND');
    expect((await caught(accounts.remove('missing'))).code).toBe('ACCOUNT_NOT_FOUND');
    expect((await caught(accounts.verify('missing'))).code).toBe('ACCOUNT_NOT_FOUND');
  });

  it('checks region names when changing the default region', async () => {
    const settings = createSettingsStore(
      memoryBackend({
        accounts: [
          {
            id: 'a1',
            label: 'Dev',
            source: { kind: 'profile', profile: 'static-dev', profileType: 'static' },
            defaultRegion: 'eu-central-1',
            addedAt: '2025-01-01T00:00:00.000Z',
          },
        ],
        activeAccountId: 'a1',
      }),
    );
    const accounts = createAccountsService({ settings, secrets: createMemorySecretStore(), awsConfigFiles: { credentialsPath, configPath } });
    const seen: string[] = [];
    accounts.onChange((list) => seen.push(list[0]?.defaultRegion ?? ''));
    const error = await caught(accounts.setDefaultRegion('a1', 'Mars-1'));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.hint).toMatch(/us-east-1/);
    expect((await accounts.setDefaultRegion('a1', 'ap-southeast-2')).defaultRegion).toBe('ap-southeast-2');
    expect(settings.get().accounts[0]?.defaultRegion).toBe('ap-southeast-2');
    expect(seen).toEqual(['ap-southeast-2']);
  });
});
