import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { AccountSummary, AddAccountInput, ImportProfileInput, ProfileCandidate } from '../../../shared/models/accounts';

/**
 * AWS accounts: non-secret facts in settings, secrets in the keychain, credentials handed to the SDK
 * only inside main. Composed in create-accounts-service.ts from account-records (settings + write queue),
 * account-keychain, aws-profiles + profile-credentials, account-credentials (the cache) and caller-identity (STS).
 */
export interface AccountsService {
  list(): Promise<AccountSummary[]>;
  add(input: AddAccountInput, signal?: AbortSignal): Promise<AccountSummary>;
  listProfiles(): Promise<ProfileCandidate[]>;
  importProfile(input: ImportProfileInput, signal?: AbortSignal): Promise<AccountSummary>;
  remove(accountId: string): Promise<void>;
  setActive(accountId: string): Promise<AccountSummary[]>;
  setDefaultRegion(accountId: string, region: string): Promise<AccountSummary>;
  verify(accountId: string, signal?: AbortSignal): Promise<AccountSummary>;
  /** The SDK credential provider for an account; throws ACCOUNT_NOT_FOUND for an unknown id. */
  credentialsFor(accountId: string): AwsCredentialIdentityProvider;
  onChange(listener: (accounts: AccountSummary[]) => void): () => void;
}
