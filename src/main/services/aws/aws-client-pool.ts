import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { createAwsClientFactory, type AwsClientFactory } from './aws-client-factory';

export interface AwsClientPoolDeps {
  /** The SDK credential provider of one account (AccountsService.credentialsFor); may throw ACCOUNT_NOT_FOUND. */
  credentialsFor(accountId: string): AwsCredentialIdentityProvider;
  /** Tests only: send every account's calls (every service) here. */
  endpoint?: string;
}

export interface AwsClientPool {
  /** The account's client factory, created on first use and reused (keep-alive sockets, adaptive retry state). */
  clientsFor(accountId: string): AwsClientFactory;
  /** Closes and drops one account's clients: call when the account is removed or its credentials change. */
  forget(accountId: string): void;
  destroy(): void;
}

/**
 * One `AwsClientFactory` per account, so each account's clients — of whichever AWS service — sign with
 * that account's credentials only.
 */
export function createAwsClientPool(deps: AwsClientPoolDeps): AwsClientPool {
  const factories = new Map<string, AwsClientFactory>();
  return {
    clientsFor(accountId) {
      let factory = factories.get(accountId);
      if (!factory) {
        // Asked before caching, so an unknown account throws here every time instead of caching a dud.
        const credentials = deps.credentialsFor(accountId);
        factory = createAwsClientFactory({
          credentials,
          ...(deps.endpoint === undefined ? {} : { endpoint: deps.endpoint }),
        });
        factories.set(accountId, factory);
      }
      return factory;
    },
    forget(accountId) {
      factories.get(accountId)?.destroy();
      factories.delete(accountId);
    },
    destroy() {
      for (const factory of factories.values()) factory.destroy();
      factories.clear();
    },
  };
}
