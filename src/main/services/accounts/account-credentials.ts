import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { AccountRecord } from '../../../shared/models/settings';

// Refresh temporary credentials this long before AWS would refuse them.
const REFRESH_MARGIN_MS = 5 * 60_000;
// Credentials without an expiry that came from files: re-read now and then, so an edited
// ~/.aws/credentials is picked up without restarting Hangar.
const FILE_CREDENTIALS_TTL_MS = 5 * 60_000;

interface CachedCredentials {
  value: Promise<AwsCredentialIdentity>;
  /** Epoch ms after which the next call fetches again. */
  until: number;
}

export interface AccountCredentialsDeps {
  clock: () => Date;
  /** The account as it is now; throws ACCOUNT_NOT_FOUND once it was removed. */
  find(accountId: string): AccountRecord;
  /** Typed keys, from the keychain. */
  readKeys(record: AccountRecord): Promise<AwsCredentialIdentity>;
  /** A profile's credentials, from the SDK's providers. */
  resolveProfile(profile: string, identityProperties?: Record<string, unknown>): Promise<AwsCredentialIdentity>;
}

/** One SDK credential provider per account, with the credentials it last fetched cached until they near expiry. */
export interface AccountCredentials {
  providerFor(record: AccountRecord): AwsCredentialIdentityProvider;
  /** Seeds the cache with credentials just resolved, so the first AWS call does not fetch them again. */
  remember(accountId: string, credentials: AwsCredentialIdentity): void;
  forget(accountId: string): void;
}

export function createAccountCredentials(deps: AccountCredentialsDeps): AccountCredentials {
  const providers = new Map<string, AwsCredentialIdentityProvider>();
  const cache = new Map<string, CachedCredentials>();

  function cacheUntil(credentials: AwsCredentialIdentity): number {
    return credentials.expiration === undefined
      ? deps.clock().getTime() + FILE_CREDENTIALS_TTL_MS
      : credentials.expiration.getTime() - REFRESH_MARGIN_MS;
  }

  function cachedProvider(accountId: string, fetch: (props?: Record<string, unknown>) => Promise<AwsCredentialIdentity>): AwsCredentialIdentityProvider {
    return async (props?: Record<string, unknown>) => {
      // Removed since the provider was handed out: stop, rather than keep using old credentials.
      deps.find(accountId);
      const cached = cache.get(accountId);
      if (cached && props?.forceRefresh !== true && deps.clock().getTime() < cached.until) return cached.value;
      const entry: CachedCredentials = { value: fetch(props), until: Number.POSITIVE_INFINITY };
      cache.set(accountId, entry);
      try {
        const credentials = await entry.value;
        entry.until = cacheUntil(credentials);
        return credentials;
      } catch (error) {
        // A failure is not remembered: unlocking the keychain or `aws sso login` should just work next time.
        if (cache.get(accountId) === entry) cache.delete(accountId);
        throw error;
      }
    };
  }

  // Keys typed into Hangar never expire on their own (temporary ones fail at AWS): read the keychain once.
  function keysProvider(accountId: string): AwsCredentialIdentityProvider {
    return async () => {
      const record = deps.find(accountId);
      let cached = cache.get(accountId);
      if (!cached) {
        cached = { value: deps.readKeys(record), until: Number.POSITIVE_INFINITY };
        cache.set(accountId, cached);
        const entry = cached;
        entry.value.catch(() => {
          if (cache.get(accountId) === entry) cache.delete(accountId);
        });
      }
      return cached.value;
    };
  }

  return {
    providerFor(record) {
      let provider = providers.get(record.id);
      if (!provider) {
        const source = record.source;
        provider =
          source.kind === 'keys'
            ? keysProvider(record.id)
            : cachedProvider(record.id, (props) => deps.resolveProfile(source.profile, props));
        providers.set(record.id, provider);
      }
      return provider;
    },

    remember(accountId, credentials) {
      cache.set(accountId, { value: Promise.resolve(credentials), until: cacheUntil(credentials) });
    },

    forget(accountId) {
      providers.delete(accountId);
      cache.delete(accountId);
    },
  };
}
