import { createServer, type AddressInfo } from 'node:net';
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClientFactory, type AwsClientFactory } from '../../../src/main/services/aws/aws-client-factory';
import { callAws } from '../../../src/main/services/aws/call-aws';
import { HangarError } from '../../../src/shared/errors/hangar-error';
import { isolateAwsEnv } from '../../support/isolated-aws-env';

const REGION = 'eu-west-1';
let restoreEnv: () => void = () => undefined;
let clients: AwsClientFactory;

beforeAll(async () => {
  restoreEnv = isolateAwsEnv();
  // A freed loopback port: every call is refused at once, a real SDK network failure.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  clients = createAwsClientFactory({
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' },
    endpoint: `http://127.0.0.1:${port}`,
    maxAttempts: 1,
  });
});
afterAll(() => {
  clients.destroy();
  restoreEnv();
});

async function rejection(promise: Promise<unknown>): Promise<HangarError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HangarError);
  return error as HangarError;
}

describe('callAws', () => {
  it('maps what the SDK throws once, with the action and region it was given', async () => {
    const error = await rejection(
      callAws(() => clients.ec2(REGION).send(new DescribeVpcsCommand({})), { action: 'ec2:DescribeVpcs', region: REGION }),
    );
    expect(error.code).toBe('OFFLINE');
    expect(error.details).toMatchObject({ networkError: 'ECONNREFUSED', action: 'ec2:DescribeVpcs', region: REGION });
  });

  it('returns what the call resolves with', async () => {
    await expect(callAws(async () => 42, { action: 'ec2:Nothing' })).resolves.toBe(42);
  });

  it('does not start a call whose signal has already fired', async () => {
    const controller = new AbortController();
    controller.abort();
    let ran = false;
    const error = await rejection(
      callAws(
        async () => {
          ran = true;
        },
        { action: 'ec2:DescribeVpcs', signal: controller.signal },
      ),
    );
    expect(error.code).toBe('CANCELLED');
    expect(ran).toBe(false);
  });

  it('reports CANCELLED, not the SDK failure, when the signal fired during the call', async () => {
    const controller = new AbortController();
    const error = await rejection(
      callAws(
        async () => {
          controller.abort();
          return clients.ec2(REGION).send(new DescribeVpcsCommand({}));
        },
        { action: 'ec2:DescribeVpcs', region: REGION, signal: controller.signal },
      ),
    );
    expect(error.code).toBe('CANCELLED');
  });

  it('lets a HangarError thrown inside (an unknown account) through as it is', async () => {
    const unknown = new HangarError({ code: 'ACCOUNT_NOT_FOUND', message: 'No account x.' });
    const error = await rejection(
      callAws(
        () => {
          throw unknown;
        },
        { action: 'ec2:DescribeVpcs' },
      ),
    );
    expect(error).toBe(unknown);
  });
});
