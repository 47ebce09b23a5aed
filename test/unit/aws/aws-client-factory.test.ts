import { BudgetsClient } from '@aws-sdk/client-budgets';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { EC2Client } from '@aws-sdk/client-ec2';
import { PricingClient } from '@aws-sdk/client-pricing';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClientFactory, type AwsClientFactory } from '../../../src/main/services/aws/aws-client-factory';
import { createAwsClientPool, type AwsClientPool } from '../../../src/main/services/aws/aws-client-pool';
import { HangarError } from '../../../src/shared/errors/hangar-error';
import { isolateAwsEnv } from '../../support/isolated-aws-env';

const KEYS = {
  alpha: { accessKeyId: 'AKIAALPHAEXAMPLE0000', secretAccessKey: 'alpha-secret' },
  beta: { accessKeyId: 'AKIABETAEXAMPLE00000', secretAccessKey: 'beta-secret' },
} as const;

let restoreEnv: () => void = () => undefined;
beforeAll(() => {
  restoreEnv = isolateAwsEnv();
});
afterAll(() => restoreEnv());

const made: Array<AwsClientFactory | AwsClientPool> = [];
afterEach(() => {
  for (const m of made.splice(0)) m.destroy();
});

function factory(): AwsClientFactory {
  const f = createAwsClientFactory({ credentials: { ...KEYS.alpha }, endpoint: 'http://127.0.0.1:9' });
  made.push(f);
  return f;
}

function pool(): AwsClientPool {
  const p = createAwsClientPool({
    credentialsFor: (accountId): AwsCredentialIdentityProvider => {
      const keys = KEYS[accountId as keyof typeof KEYS];
      if (keys === undefined) throw new HangarError({ code: 'ACCOUNT_NOT_FOUND', message: `No account ${accountId}.` });
      return async () => ({ ...keys });
    },
  });
  made.push(p);
  return p;
}

describe('AwsClientFactory', () => {
  it('hands out any SDK client, one per service and region, reused', async () => {
    const f = factory();
    const pricing = f.client(PricingClient, 'us-east-1');
    expect(pricing).toBeInstanceOf(PricingClient);
    expect(f.client(PricingClient, 'us-east-1')).toBe(pricing);
    expect(f.client(PricingClient, 'eu-central-1')).not.toBe(pricing);
    expect(await f.client(PricingClient, 'eu-central-1').config.region()).toBe('eu-central-1');
    expect(f.client(BudgetsClient, 'us-east-1')).toBeInstanceOf(BudgetsClient);
    expect(f.client(CostExplorerClient, 'us-east-1')).toBeInstanceOf(CostExplorerClient);
    expect(f.client(CloudWatchClient, 'us-east-1')).toBeInstanceOf(CloudWatchClient);
  });

  it('gives every client the same credentials, endpoint and retry mode', async () => {
    const cw = factory().client(CloudWatchClient, 'ap-southeast-2');
    expect(await cw.config.credentials()).toMatchObject(KEYS.alpha);
    // Adaptive mode: the client slows itself down after throttling.
    expect(await cw.config.retryStrategy()).toMatchObject({ mode: 'adaptive' });
    const endpoint = await cw.config.endpoint?.();
    expect(endpoint?.hostname).toBe('127.0.0.1');
  });

  it('keeps the named EC2 accessors on the same cache as client(EC2Client, …)', async () => {
    const f = factory();
    expect(f.ec2('eu-west-1')).toBe(f.client(EC2Client, 'eu-west-1'));
    const once = f.ec2Once('eu-west-1');
    expect(once).not.toBe(f.ec2('eu-west-1'));
    expect(once).toBe(f.client(EC2Client, 'eu-west-1', { retry: false }));
    expect(await once.config.maxAttempts()).toBe(1);
    expect(await f.ec2('eu-west-1').config.maxAttempts()).toBe(3);
  });

  it('destroy() drops every client, so the next ask builds a fresh one', () => {
    const f = factory();
    const before = f.client(PricingClient, 'us-east-1');
    f.destroy();
    expect(f.client(PricingClient, 'us-east-1')).not.toBe(before);
  });
});

describe('AwsClientPool', () => {
  it('signs each account\'s clients of any service with that account\'s credentials', async () => {
    const p = pool();
    const alpha = p.clientsFor('alpha').client(CostExplorerClient, 'us-east-1');
    const beta = p.clientsFor('beta').client(CostExplorerClient, 'us-east-1');
    expect(alpha).not.toBe(beta);
    expect(await alpha.config.credentials()).toMatchObject(KEYS.alpha);
    expect(await beta.config.credentials()).toMatchObject(KEYS.beta);
    expect(p.clientsFor('alpha').client(CostExplorerClient, 'us-east-1')).toBe(alpha);
  });

  it('forget() drops one account\'s clients only', () => {
    const p = pool();
    const alpha = p.clientsFor('alpha').client(BudgetsClient, 'us-east-1');
    const beta = p.clientsFor('beta').client(BudgetsClient, 'us-east-1');
    p.forget('alpha');
    expect(p.clientsFor('alpha').client(BudgetsClient, 'us-east-1')).not.toBe(alpha);
    expect(p.clientsFor('beta').client(BudgetsClient, 'us-east-1')).toBe(beta);
  });

  it('an unknown account throws every time instead of caching a dud', () => {
    const p = pool();
    expect(() => p.clientsFor('gamma')).toThrow(HangarError);
    expect(() => p.clientsFor('gamma')).toThrow(/No account gamma/);
  });
});
