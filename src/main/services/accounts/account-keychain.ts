import type { AwsCredentialIdentity } from '@smithy/types';
import { HangarError } from '../../../shared/errors/hangar-error';
import type { AccountRecord } from '../../../shared/models/settings';
import { awsAccessKeyIdKey, awsSecretKey, awsSessionTokenKey, parseSecretKey } from '../secrets/secret-keys';
import type { SecretStore } from '../secrets/secret-store';
import { accessKeyIdHint } from './account-text';

/** The keychain side of an account with typed keys: access key id, secret and session token. */
export interface AccountKeychain {
  /** Throws INVALID_ARGUMENT when one of `accounts` already holds this access key. */
  assertKeyNotAdded(accessKeyId: string, accounts: readonly AccountRecord[]): Promise<void>;
  /** All or nothing: a failed write removes what was written before it. */
  storeKeys(accountId: string, keys: AwsCredentialIdentity): Promise<void>;
  /** Every keychain entry of the account: the known kinds, plus anything else filed under its id. */
  wipeSecrets(accountId: string): Promise<void>;
  /** Throws AWS_NO_CREDENTIALS when an entry is missing. */
  readKeys(record: AccountRecord): Promise<AwsCredentialIdentity>;
}

export function createAccountKeychain(secrets: SecretStore): AccountKeychain {
  return {
    async assertKeyNotAdded(accessKeyId, accounts) {
      const hint = accessKeyIdHint(accessKeyId);
      for (const record of accounts) {
        if (record.source.kind !== 'keys' || record.source.accessKeyIdHint !== hint) continue;
        // The hint only narrows it down; the keychain holds the full id.
        const stored = await secrets.get(awsAccessKeyIdKey(record.id));
        if (stored === undefined || stored === accessKeyId) {
          throw new HangarError({
            code: 'INVALID_ARGUMENT',
            message: `This access key (${hint}) is already added as “${record.label}”.`,
            hint: 'Pick that account in the list. To add the key again (for example with a new secret), remove that account first.',
            details: { existingAccountId: record.id },
          });
        }
      }
    },

    async storeKeys(accountId, keys) {
      const entries: [string, string][] = [
        [awsAccessKeyIdKey(accountId), keys.accessKeyId],
        [awsSecretKey(accountId), keys.secretAccessKey],
        ...(keys.sessionToken === undefined ? [] : ([[awsSessionTokenKey(accountId), keys.sessionToken]] as [string, string][])),
      ];
      const written: string[] = [];
      try {
        for (const [key, value] of entries) {
          await secrets.set(key, value);
          written.push(key);
        }
      } catch (error) {
        // Half an account in the keychain would be found by nobody and removed by nothing.
        await Promise.allSettled(written.map((key) => secrets.delete(key)));
        throw error;
      }
    },

    async wipeSecrets(accountId) {
      const known = [awsAccessKeyIdKey(accountId), awsSecretKey(accountId), awsSessionTokenKey(accountId)];
      const listed = (await secrets.keys()).filter((key) => {
        const parsed = parseSecretKey(key);
        return parsed?.area === 'aws' && parsed.id === accountId;
      });
      for (const key of new Set([...known, ...listed])) await secrets.delete(key);
    },

    async readKeys(record) {
      const [accessKeyId, secretAccessKey, sessionToken] = await Promise.all([
        secrets.get(awsAccessKeyIdKey(record.id)),
        secrets.get(awsSecretKey(record.id)),
        secrets.get(awsSessionTokenKey(record.id)),
      ]);
      const tokenMissing = record.source.kind === 'keys' && record.source.hasSessionToken && sessionToken === undefined;
      if (accessKeyId === undefined || secretAccessKey === undefined || tokenMissing) {
        throw new HangarError({
          code: 'AWS_NO_CREDENTIALS',
          message: `The keys of “${record.label}” are missing from the keychain.`,
          hint: 'They may have been deleted outside Hangar. Remove this account and add it again with its access key ID and secret access key.',
          details: { accountId: record.id },
        });
      }
      return { accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) };
    },
  };
}
