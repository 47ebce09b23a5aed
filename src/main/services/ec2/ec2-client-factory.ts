import { EC2Client, type EC2ClientConfig } from '@aws-sdk/client-ec2';
import { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';

/** Static keys or a provider function — whatever the SDK's `credentials` option accepts. */
export type AwsCredentialsOption = NonNullable<EC2ClientConfig['credentials']>;

export interface Ec2ClientFactoryOptions {
  /** Omitted: the SDK's default provider chain (env, shared config, SSO, …). */
  credentials?: AwsCredentialsOption;
  /** Omitted: the SDK's default (3, or AWS_MAX_ATTEMPTS). */
  maxAttempts?: number;
  /**
   * Tests only. The app never sets it, so that AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_EC2 /
   * AWS_ENDPOINT_URL_STS and the shared config file keep working through the SDK's own resolution.
   */
  endpoint?: string;
  /** Give up connecting after this long; default 5 s so an offline laptop fails fast. */
  connectionTimeoutMs?: number;
  /** Give up waiting for a response after this long; default 30 s. */
  requestTimeoutMs?: number;
}

export interface Ec2ClientFactory {
  ec2(region: string): EC2Client;
  sts(region: string): STSClient;
  /** SSM (public AMI parameters) and Service Quotas (vCPU limits), with the same credentials and endpoint logic. */
  ssm(region: string): SSMClient;
  quotas(region: string): ServiceQuotasClient;
  /**
   * EC2 without SDK retries, for calls that must not repeat on their own: RunInstances answers
   * InsufficientInstanceCapacity with HTTP 500, which the SDK would otherwise retry as a server fault.
   */
  ec2Once(region: string): EC2Client;
  /** Closes every cached client's sockets. */
  destroy(): void;
}

/**
 * One SDK client per region and service, created lazily and reused so that keep-alive connections and the
 * adaptive retry mode's per-client rate limiter carry over between calls.
 */
export function createEc2ClientFactory(opts: Ec2ClientFactoryOptions = {}): Ec2ClientFactory {
  const ec2Clients = new Map<string, EC2Client>();
  const stsClients = new Map<string, STSClient>();
  const others = new Map<string, { destroy(): void }>();

  // Only keys that were actually given: an explicit `undefined` would still shadow the SDK's defaults.
  const common = {
    ...(opts.credentials === undefined ? {} : { credentials: opts.credentials }),
    ...(opts.maxAttempts === undefined ? {} : { maxAttempts: opts.maxAttempts }),
    ...(opts.endpoint === undefined ? {} : { endpoint: opts.endpoint }),
    // Adaptive mode also slows the client down after throttling, instead of only retrying.
    retryMode: 'adaptive',
    requestHandler: {
      connectionTimeout: opts.connectionTimeoutMs ?? 5_000,
      requestTimeout: opts.requestTimeoutMs ?? 30_000,
      // Without this the SDK only logs a warning and keeps waiting.
      throwOnRequestTimeout: true,
    },
  } as const;

  function cached<T extends { destroy(): void }>(key: string, make: () => T): T {
    let client = others.get(key) as T | undefined;
    if (!client) {
      client = make();
      others.set(key, client);
    }
    return client;
  }

  return {
    ec2(region) {
      let client = ec2Clients.get(region);
      if (!client) {
        client = new EC2Client({ ...common, region });
        ec2Clients.set(region, client);
      }
      return client;
    },
    sts(region) {
      let client = stsClients.get(region);
      if (!client) {
        client = new STSClient({ ...common, region });
        stsClients.set(region, client);
      }
      return client;
    },
    ssm(region) {
      return cached(`ssm:${region}`, () => new SSMClient({ ...common, region }));
    },
    quotas(region) {
      return cached(`quotas:${region}`, () => new ServiceQuotasClient({ ...common, region }));
    },
    ec2Once(region) {
      return cached(`ec2once:${region}`, () => new EC2Client({ ...common, maxAttempts: 1, region }));
    },
    destroy() {
      for (const client of others.values()) client.destroy();
      others.clear();
      for (const client of ec2Clients.values()) client.destroy();
      for (const client of stsClients.values()) client.destroy();
      ec2Clients.clear();
      stsClients.clear();
    },
  };
}
