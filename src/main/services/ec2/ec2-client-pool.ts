import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { createEc2ClientFactory, type Ec2ClientFactory } from './ec2-client-factory';

export interface Ec2ClientPoolDeps {
  /** The SDK credential provider of one account (AccountsService.credentialsFor); may throw ACCOUNT_NOT_FOUND. */
  credentialsFor(accountId: string): AwsCredentialIdentityProvider;
  /** Tests only: send every account's EC2 and STS calls here. */
  endpoint?: string;
}

export interface Ec2ClientPool {
  /** The account's client factory, created on first use and reused (keep-alive sockets, adaptive retry state). */
  clientsFor(accountId: string): Ec2ClientFactory;
  /** Closes and drops one account's clients: call when the account is removed or its credentials change. */
  forget(accountId: string): void;
  destroy(): void;
}

/** One `Ec2ClientFactory` per account, so each account's clients sign with that account's credentials only. */
export function createEc2ClientPool(deps: Ec2ClientPoolDeps): Ec2ClientPool {
  const factories = new Map<string, Ec2ClientFactory>();
  return {
    clientsFor(accountId) {
      let factory = factories.get(accountId);
      if (!factory) {
        // Asked before caching, so an unknown account throws here every time instead of caching a dud.
        const credentials = deps.credentialsFor(accountId);
        factory = createEc2ClientFactory({
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
