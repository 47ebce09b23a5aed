import { randomUUID } from 'node:crypto';
import type { AwsCredentialIdentity } from '@smithy/types';
import { HangarError } from '../../../shared/errors/hangar-error';
import { addAccountInputSchema, importProfileInputSchema, regionNameSchema } from '../../../shared/models/accounts';
import type { AccountRecord } from '../../../shared/models/settings';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsStore } from '../settings/settings-store';
import { throwIfAborted, withAbort } from './abort';
import { createAccountCredentials } from './account-credentials';
import { createAccountKeychain } from './account-keychain';
import { createAccountRecords } from './account-records';
import { accessKeyIdHint, clip, defaultLabel, MAX_LABEL, nonEmpty } from './account-text';
import type { AccountsService } from './accounts-service';
import { createAwsProfiles, profileRegion, type AwsConfigFileLocations } from './aws-profiles';
import { createIdentityCheck, DEFAULT_REGION, type IdentityContext } from './caller-identity';
import { parseAccountInput } from './parse-account-input';
import { createProfileCredentials } from './profile-credentials';

export interface AccountsServiceDeps {
  settings: SettingsStore;
  secrets: SecretStore;
  clock?: () => Date;
  /** Hangar's own id for a new entry; must fit `accountIdSchema` and the keychain naming scheme. */
  newId?: () => string;
  /**
   * Where the AWS CLI files are. Omitted: the SDK's defaults (AWS_SHARED_CREDENTIALS_FILE /
   * AWS_CONFIG_FILE, else ~/.aws/credentials and ~/.aws/config).
   */
  awsConfigFiles?: AwsConfigFileLocations;
  /**
   * Tests only: one endpoint for STS (and the SDK's inner STS/SSO clients). The app never sets it, so
   * AWS_ENDPOINT_URL_STS and the shared config keep working through the SDK's own resolution.
   */
  endpoint?: string;
}

/**
 * AWS accounts: keys typed into Hangar (access key id, secret and session token in the keychain, the
 * rest in settings) and profiles of the AWS CLI files (nothing stored but the profile's name: the
 * SDK's own providers read the files, assume roles, run credential_process and use the SSO cache).
 * Every add and import is checked with STS GetCallerIdentity before anything is written.
 */
export function createAccountsService(deps: AccountsServiceDeps): AccountsService {
  const clock = deps.clock ?? (() => new Date());
  const records = createAccountRecords(deps.settings, deps.newId ?? (() => randomUUID()));
  const keychain = createAccountKeychain(deps.secrets);
  const profiles = createAwsProfiles(deps.awsConfigFiles);
  const identity = createIdentityCheck(deps.endpoint, () => profiles.filesLabel());
  const resolveProfile = createProfileCredentials(profiles, identity, deps.endpoint);
  const credentials = createAccountCredentials({ clock, find: records.find, readKeys: keychain.readKeys, resolveProfile });

  function profileAccount(profile: string): AccountRecord | undefined {
    return records.all().find((record) => record.source.kind === 'profile' && record.source.profile === profile);
  }

  function assertNotImported(profile: string): void {
    const existing = profileAccount(profile);
    if (existing) {
      throw new HangarError({
        code: 'INVALID_ARGUMENT',
        message: `Profile “${profile}” is already added as “${existing.label}”.`,
        hint: 'Pick that account in the list.',
        details: { existingAccountId: existing.id },
      });
    }
  }

  return {
    async list() {
      return records.summaries();
    },

    async add(input, signal) {
      const parsed = parseAccountInput(addAccountInputSchema, input);
      const sessionToken = nonEmpty(parsed.sessionToken);
      const keys: AwsCredentialIdentity = {
        accessKeyId: parsed.accessKeyId,
        secretAccessKey: parsed.secretAccessKey,
        ...(sessionToken === undefined ? {} : { sessionToken }),
      };
      const region = parsed.defaultRegion ?? DEFAULT_REGION;
      records.assertRoomForAnother();
      await keychain.assertKeyNotAdded(keys.accessKeyId, records.all());
      const context: IdentityContext = { kind: 'keys', accessKeyId: keys.accessKeyId, hasSessionToken: sessionToken !== undefined, stored: false };
      const caller = await identity.check(keys, region, context, signal);

      return records.exclusive(async () => {
        throwIfAborted(signal);
        // Again, inside the lock: the same key may have been added while STS was answering.
        records.assertRoomForAnother();
        await keychain.assertKeyNotAdded(keys.accessKeyId, records.all());
        const id = records.freshId();
        const record: AccountRecord = {
          id,
          label: nonEmpty(parsed.label) ?? defaultLabel(caller.arn, caller.account),
          source: { kind: 'keys', accessKeyIdHint: accessKeyIdHint(keys.accessKeyId), hasSessionToken: sessionToken !== undefined },
          awsAccountId: caller.account,
          arn: caller.arn,
          defaultRegion: region,
          addedAt: clock().toISOString(),
        };
        // Keychain first: if it refuses, nothing has been written to settings.
        await keychain.storeKeys(id, keys);
        try {
          records.insert(record);
        } catch (error) {
          await keychain.wipeSecrets(id).catch(() => undefined);
          throw error;
        }
        records.emit();
        return records.summaryOf(id);
      });
    },

    async listProfiles() {
      return profiles.candidates(new Set(records.all().flatMap((record) => (record.source.kind === 'profile' ? [record.source.profile] : []))));
    },

    async importProfile(input, signal) {
      const parsed = parseAccountInput(importProfileInputSchema, input);
      records.assertRoomForAnother();
      assertNotImported(parsed.profile);
      const entry = (await profiles.load()).get(parsed.profile);
      if (!entry) throw profiles.notFound(parsed.profile);
      throwIfAborted(signal);
      const resolved = await withAbort(resolveProfile(entry.name), signal);
      const region = profileRegion(entry);
      const caller = await identity.check(resolved, region, { kind: 'profile', profile: entry.name }, signal);

      return records.exclusive(async () => {
        throwIfAborted(signal);
        records.assertRoomForAnother();
        assertNotImported(parsed.profile);
        const id = records.freshId();
        records.insert({
          id,
          label: nonEmpty(parsed.label) ?? clip(entry.name, MAX_LABEL),
          source: { kind: 'profile', profile: entry.name, profileType: entry.type },
          awsAccountId: caller.account,
          arn: caller.arn,
          defaultRegion: region,
          addedAt: clock().toISOString(),
        });
        // Keep what was just resolved, so the first EC2 call does not assume the role or hit SSO again.
        credentials.remember(id, resolved);
        records.emit();
        return records.summaryOf(id);
      });
    },

    remove(accountId) {
      return records.exclusive(async () => {
        const record = records.find(accountId);
        if (record.source.kind === 'keys') {
          // If the keychain is locked, keep the account so removing can be retried: dropping the record
          // first would leave its secrets behind with nothing pointing at them.
          await keychain.wipeSecrets(record.id);
        } else {
          // Nothing was stored for a profile; sweep anyway, but a locked keychain must not block removal.
          await keychain.wipeSecrets(record.id).catch(() => undefined);
        }
        credentials.forget(record.id);
        records.delete(record.id);
        records.emit();
      });
    },

    async setActive(accountId) {
      return records.exclusive(async () => {
        records.find(accountId);
        records.setActive(accountId);
        records.emit();
        return records.summaries();
      });
    },

    async setDefaultRegion(accountId, region) {
      const valid = regionNameSchema.safeParse(region);
      if (!valid.success) {
        throw new HangarError({
          code: 'INVALID_ARGUMENT',
          message: `“${clip(String(region), 40)}” is not an AWS region name.`,
          hint: 'Use a region code such as us-east-1 or eu-west-2.',
        });
      }
      return records.exclusive(async () => {
        records.update(accountId, (record) => ({ ...record, defaultRegion: valid.data }));
        records.emit();
        return records.summaryOf(accountId);
      });
    },

    async verify(accountId, signal) {
      const record = records.find(accountId);
      throwIfAborted(signal);
      // Profiles are resolved afresh (an SSO login may have ended); typed keys come from the keychain cache.
      const current = await withAbort(credentials.providerFor(record)({ forceRefresh: true }), signal);
      const context: IdentityContext =
        record.source.kind === 'keys'
          ? { kind: 'keys', accessKeyId: current.accessKeyId, hasSessionToken: record.source.hasSessionToken, stored: true }
          : { kind: 'profile', profile: record.source.profile };
      const caller = await identity.check(current, record.defaultRegion, context, signal);
      return records.exclusive(async () => {
        records.update(accountId, (existing) => ({ ...existing, awsAccountId: caller.account, arn: caller.arn }));
        records.emit();
        return records.summaryOf(accountId);
      });
    },

    credentialsFor(accountId) {
      return credentials.providerFor(records.find(accountId));
    },

    onChange(listener) {
      return records.onChange(listener);
    },
  };
}
