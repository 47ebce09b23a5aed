import { EC2Client, type EC2ClientConfig } from '@aws-sdk/client-ec2';
import { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';

/** Static keys or a provider function — whatever the SDK's `credentials` option accepts. */
export type AwsCredentialsOption = NonNullable<EC2ClientConfig['credentials']>;

export interface AwsClientFactoryOptions {
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

/** The configuration every client gets: the options every SDK v3 client constructor accepts alike. */
export interface AwsClientConfig {
  region: string;
  credentials?: AwsCredentialsOption;
  maxAttempts?: number;
  endpoint?: string;
  retryMode: 'adaptive';
  requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: boolean };
}

/** What the factory needs of a client: to close its sockets. Every SDK v3 client has `destroy()`. */
export interface AwsClient {
  destroy(): void;
}

/** An SDK v3 client class such as `EC2Client`, `PricingClient` or `CloudWatchClient`. */
export type AwsClientClass<C extends AwsClient> = new (config: AwsClientConfig) => C;

export interface AwsClientOptions {
  /**
   * false: no SDK retries, for calls that must not repeat on their own. RunInstances answers
   * InsufficientInstanceCapacity with HTTP 500, which the SDK would otherwise retry as a server fault.
   */
  retry?: boolean;
}

export interface AwsClientFactory {
  /**
   * The client of any AWS service for `region`, created on first use and reused: new services
   * (Pricing, Budgets, Cost Explorer, CloudWatch) get theirs here, e.g. `client(PricingClient, 'us-east-1')`.
   */
  client<C extends AwsClient>(Client: AwsClientClass<C>, region: string, options?: AwsClientOptions): C;
  ec2(region: string): EC2Client;
  sts(region: string): STSClient;
  /** SSM (public AMI parameters) and Service Quotas (vCPU limits), with the same credentials and endpoint logic. */
  ssm(region: string): SSMClient;
  quotas(region: string): ServiceQuotasClient;
  /** EC2 without SDK retries (see AwsClientOptions.retry). */
  ec2Once(region: string): EC2Client;
  /** Closes every cached client's sockets. */
  destroy(): void;
}

/**
 * One SDK client per service, region and retry setting, created lazily and reused so that keep-alive
 * connections and the adaptive retry mode's per-client rate limiter carry over between calls.
 */
export function createAwsClientFactory(opts: AwsClientFactoryOptions = {}): AwsClientFactory {
  const clients = new Map<AwsClientClass<AwsClient>, Map<string, AwsClient>>();

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

  function client<C extends AwsClient>(Client: AwsClientClass<C>, region: string, options: AwsClientOptions = {}): C {
    const once = options.retry === false;
    let byRegion = clients.get(Client);
    if (!byRegion) {
      byRegion = new Map();
      clients.set(Client, byRegion);
    }
    const key = once ? `${region}#once` : region;
    let found = byRegion.get(key) as C | undefined;
    if (!found) {
      found = new Client({ ...common, ...(once ? { maxAttempts: 1 } : {}), region });
      byRegion.set(key, found);
    }
    return found;
  }

  return {
    client,
    ec2: (region) => client(EC2Client, region),
    sts: (region) => client(STSClient, region),
    ssm: (region) => client(SSMClient, region),
    quotas: (region) => client(ServiceQuotasClient, region),
    ec2Once: (region) => client(EC2Client, region, { retry: false }),
    destroy() {
      for (const byRegion of clients.values()) for (const c of byRegion.values()) c.destroy();
      clients.clear();
    },
  };
}
