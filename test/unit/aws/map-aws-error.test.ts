import { createServer, type AddressInfo } from 'node:net';
import { DescribeRegionsCommand, EC2Client, EC2ServiceException } from '@aws-sdk/client-ec2';
import { AccessDeniedException, TooManyRequestsException } from '@aws-sdk/client-service-quotas';
import { ExpiredTokenException, STSServiceException } from '@aws-sdk/client-sts';
import { fromIni } from '@aws-sdk/credential-providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapAwsError } from '../../../src/main/services/aws/map-aws-error';
import { NETWORK_ERROR_CODES } from '../../../src/main/services/aws/network-error-codes';
import { HangarError } from '../../../src/shared/errors/hangar-error';
import { isolateAwsEnv } from '../../support/isolated-aws-env';

const REGION = 'eu-west-1';
const meta = (httpStatusCode: number) => ({ httpStatusCode, requestId: 'req-0123', attempts: 1, totalRetryDelay: 0 });

/**
 * An EC2 error as the SDK's query-protocol deserializer leaves it: an EC2ServiceException named by AWS's
 * code, with the body's `Code` copied on (decorateServiceException) and the HTTP response attached.
 */
function ec2Error(code: string, message: string, status: number, fault: 'client' | 'server' = 'client'): EC2ServiceException {
  const error = new EC2ServiceException({ name: code, $fault: fault, $metadata: meta(status), message });
  return Object.assign(error, { Code: code, $response: { statusCode: status, headers: { date: new Date().toUTCString() } } });
}

/** A port on 127.0.0.1 that refuses connections (it was just freed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** What the SDK really throws for a call nobody answers: EC2 pointed at a closed loopback port. */
async function sdkErrorFrom(port: number, signal?: AbortSignal): Promise<unknown> {
  const client = new EC2Client({
    region: REGION,
    endpoint: `http://127.0.0.1:${port}`,
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  });
  try {
    await client.send(new DescribeRegionsCommand({}), { abortSignal: signal });
  } catch (error) {
    return error;
  } finally {
    client.destroy();
  }
  throw new Error('expected the call to fail');
}

let restoreEnv: () => void = () => undefined;
beforeAll(() => {
  restoreEnv = isolateAwsEnv();
});
afterAll(() => restoreEnv());

describe('mapAwsError: credentials and authentication', () => {
  it('an unknown access key id (EC2 AuthFailure) is AWS_INVALID_KEY_ID, not retryable, with AWS details', () => {
    const error = mapAwsError(ec2Error('AuthFailure', 'AWS was not able to validate the provided access credentials', 401), {
      action: 'ec2:DescribeInstances',
      region: REGION,
    });
    expect(error).toBeInstanceOf(HangarError);
    expect(error.code).toBe('AWS_INVALID_KEY_ID');
    expect(error.message).toBe(`AWS did not accept the access key ID in ${REGION}.`);
    expect(error.hint).toMatch(/^Check the access key ID in Settings/);
    expect(error.retryable).toBe(false);
    expect(error.details).toEqual({
      awsCode: 'AuthFailure',
      httpStatus: 401,
      awsMessage: 'AWS was not able to validate the provided access credentials',
      requestId: 'req-0123',
      action: 'ec2:DescribeInstances',
      region: REGION,
    });
  });

  it('a wrong secret (SignatureDoesNotMatch, clock fine) is AWS_BAD_SECRET', () => {
    const error = mapAwsError(
      new STSServiceException({ name: 'SignatureDoesNotMatch', $fault: 'client', $metadata: meta(403), message: 'The request signature we calculated does not match' }),
      { action: 'sts:GetCallerIdentity', region: 'us-east-1' },
    );
    expect(error.code).toBe('AWS_BAD_SECRET');
    expect(error.message).toBe('The secret access key does not match the access key ID.');
    expect(error.hint).toMatch(/Re-enter the secret access key/);
    expect(error.retryable).toBe(false);
  });

  it('a bad signature with AWS\'s clock an hour away is AWS_CLOCK_SKEW, retryable, with the minutes', () => {
    const skewed = Object.assign(
      new STSServiceException({ name: 'SignatureDoesNotMatch', $fault: 'client', $metadata: meta(403), message: 'Signature expired' }),
      { $response: { statusCode: 403, headers: { date: new Date(Date.now() + 60 * 60_000).toUTCString() } } },
    );
    const error = mapAwsError(skewed);
    expect(error.code).toBe('AWS_CLOCK_SKEW');
    expect(error.message).toBe("AWS rejected the request because this computer's clock is off by about 60 minutes.");
    expect(error.hint).toMatch(/automatic date and time/);
    expect(error.retryable).toBe(true);
  });

  it('expired temporary credentials (STS ExpiredTokenException) are AWS_TOKEN_EXPIRED', () => {
    const error = mapAwsError(new ExpiredTokenException({ $metadata: meta(400), message: 'The security token included in the request is expired' }));
    expect(error.code).toBe('AWS_TOKEN_EXPIRED');
    expect(error.message).toBe('Your AWS credentials have expired.');
    expect(error.hint).toMatch(/aws sso login/);
    expect(error.retryable).toBe(false);
  });

  it('no credentials at all (the provider chain gave up) is AWS_NO_CREDENTIALS', async () => {
    // A real CredentialsProviderError: a profile that exists in no (isolated, absent) config file.
    const thrown = await fromIni({ profile: 'hangar-test-missing' })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((thrown as Error).name).toBe('CredentialsProviderError');
    const error = mapAwsError(thrown);
    expect(error.code).toBe('AWS_NO_CREDENTIALS');
    expect(error.hint).toMatch(/access key ID and secret access key/);
    expect(error.retryable).toBe(false);
  });

  it('a denied action (UnauthorizedOperation) names the action and who can allow it', () => {
    const error = mapAwsError(ec2Error('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403), {
      action: 'ec2:StopInstances',
      region: REGION,
    });
    expect(error.code).toBe('AWS_UNAUTHORIZED');
    expect(error.message).toBe(`Your AWS credentials are not allowed to call ec2:StopInstances in ${REGION}.`);
    expect(error.hint).toBe('Ask your AWS administrator to allow ec2:StopInstances in the IAM policy of this user or role.');
    expect(error.retryable).toBe(false);
  });

  it('a denial that names another action (CreateTags inside RunInstances) names the missing one', () => {
    const error = mapAwsError(
      ec2Error('UnauthorizedOperation', 'You are not authorized to perform: ec2:CreateTags on resource: arn:aws:ec2:eu-west-1:1:instance/*', 403),
      { action: 'ec2:RunInstances', region: REGION },
    );
    expect(error.code).toBe('AWS_UNAUTHORIZED');
    expect(error.message).toContain('ec2:CreateTags');
    expect(error.details).toMatchObject({ missingAction: 'ec2:CreateTags' });
  });

  it('a modelled AccessDeniedException (Service Quotas) is AWS_UNAUTHORIZED too', () => {
    const error = mapAwsError(new AccessDeniedException({ $metadata: meta(400), message: 'denied' }), { action: 'servicequotas:GetServiceQuota' });
    expect(error.code).toBe('AWS_UNAUTHORIZED');
    expect(error.message).toBe('Your AWS credentials are not allowed to call servicequotas:GetServiceQuota.');
  });

  it('keeps a secret-key-like run out of the mapped error', () => {
    const secret = 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2Fy';
    const error = mapAwsError(ec2Error('AuthFailure', `credential ${secret} rejected`, 401));
    expect(error.details?.awsMessage).toBe('credential [redacted] rejected');
    expect(JSON.stringify(error.toJSON())).not.toContain(secret);
  });
});

describe('mapAwsError: throttling', () => {
  it.each([
    ['EC2 RequestLimitExceeded', () => ec2Error('RequestLimitExceeded', 'Request limit exceeded.', 503, 'server')],
    ['a modelled TooManyRequestsException', () => new TooManyRequestsException({ $metadata: meta(400), message: 'slow down' })],
    ['any HTTP 429', () => ec2Error('SomethingNew', 'rate', 429)],
  ])('%s is AWS_THROTTLED and retryable', (_label, make) => {
    const error = mapAwsError(make(), { region: REGION });
    expect(error.code).toBe('AWS_THROTTLED');
    expect(error.message).toBe('AWS is limiting how fast requests can be made (throttling).');
    expect(error.hint).toMatch(/^Wait a few seconds and try again/);
    expect(error.retryable).toBe(true);
  });
});

describe('mapAwsError: opt-in regions', () => {
  it('OptInRequired is AWS_OPT_IN_REQUIRED, naming the region', () => {
    const error = mapAwsError(ec2Error('OptInRequired', 'You are not subscribed to this service.', 401), { action: 'ec2:DescribeInstances', region: 'af-south-1' });
    expect(error.code).toBe('AWS_OPT_IN_REQUIRED');
    expect(error.message).toBe('This AWS account is not signed up for EC2 in af-south-1.');
    expect(error.hint).toMatch(/^Enable the region or service in the AWS console/);
    expect(error.retryable).toBe(false);
  });
});

describe('mapAwsError: not found', () => {
  it('InvalidInstanceID.NotFound is AWS_NOT_FOUND with AWS\'s words', () => {
    const error = mapAwsError(ec2Error('InvalidInstanceID.NotFound', "The instance ID 'i-0123456789abcdef0' does not exist", 400), { region: REGION });
    expect(error.code).toBe('AWS_NOT_FOUND');
    expect(error.message).toBe(`AWS could not find it in ${REGION}. AWS said: The instance ID 'i-0123456789abcdef0' does not exist`);
    expect(error.hint).toMatch(/refresh the list/);
    expect(error.retryable).toBe(false);
  });

  it('a missing key pair has its own code and hint', () => {
    const error = mapAwsError(ec2Error('InvalidKeyPair.NotFound', "The key pair 'x' does not exist", 400), { region: REGION });
    expect(error.code).toBe('AWS_KEY_PAIR_NOT_FOUND');
    expect(error.message).toBe(`That key pair does not exist in ${REGION}. Key pairs belong to one region.`);
  });
});

describe('mapAwsError: network', () => {
  let port: number;
  beforeAll(async () => {
    port = await closedPort();
  });

  it('an SDK call to a port that refuses is OFFLINE (ECONNREFUSED), retryable', async () => {
    const error = mapAwsError(await sdkErrorFrom(port), { action: 'ec2:DescribeRegions', region: REGION });
    expect(error.code).toBe('OFFLINE');
    expect(error.message).toBe(`Could not reach AWS in ${REGION} (ECONNREFUSED).`);
    expect(error.hint).toBe('Check your internet connection, proxy or VPN, then try again.');
    expect(error.retryable).toBe(true);
    expect(error.details).toMatchObject({ networkError: 'ECONNREFUSED', action: 'ec2:DescribeRegions' });
  });

  it('finds the code behind a wrapper (cause chain), including EPIPE', () => {
    const pipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE', errno: -32, syscall: 'write' });
    const error = mapAwsError(new Error('socket hang up', { cause: pipe }));
    expect(error.code).toBe('OFFLINE');
    expect(error.message).toBe('Could not reach AWS (EPIPE).');
    expect(error.retryable).toBe(true);
  });

  it('a request that timed out is OFFLINE', () => {
    const timeout = Object.assign(new Error('Connection timed out after 5000 ms'), { name: 'TimeoutError' });
    const error = mapAwsError(timeout, { region: REGION });
    expect(error.code).toBe('OFFLINE');
    expect(error.message).toBe(`AWS did not answer in time in ${REGION}.`);
    expect(error.retryable).toBe(true);
  });

  it('a call cancelled through its abort signal is CANCELLED', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = mapAwsError(await sdkErrorFrom(port, controller.signal));
    expect(error.code).toBe('CANCELLED');
    expect(error.retryable).toBe(true);
  });

  it('one list of network codes, EPIPE included', () => {
    expect(NETWORK_ERROR_CODES).toEqual(expect.arrayContaining(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'ENETDOWN']));
    for (const code of NETWORK_ERROR_CODES) {
      expect(mapAwsError(Object.assign(new Error(code), { code })).code, code).toBe('OFFLINE');
    }
  });
});

describe('mapAwsError: unknown', () => {
  it('an unrecognised client error is AWS_REQUEST_FAILED with its code, not retryable', () => {
    const error = mapAwsError(ec2Error('InvalidParameterCombination', 'These two cannot be used together.', 400));
    expect(error.code).toBe('AWS_REQUEST_FAILED');
    expect(error.message).toBe('AWS rejected the request (InvalidParameterCombination). These two cannot be used together.');
    expect(error.hint).toMatch(/request ID/);
    expect(error.retryable).toBe(false);
    expect(error.details).toMatchObject({ requestId: 'req-0123' });
  });

  it('a server fault is AWS_REQUEST_FAILED, retryable', () => {
    const error = mapAwsError(ec2Error('InternalError', 'An internal error has occurred', 500, 'server'));
    expect(error.code).toBe('AWS_REQUEST_FAILED');
    expect(error.hint).toBe('AWS had a temporary problem. Try again in a moment.');
    expect(error.retryable).toBe(true);
  });

  it('something that is not an error at all still becomes a HangarError', () => {
    const error = mapAwsError('boom');
    expect(error.code).toBe('AWS_REQUEST_FAILED');
    expect(error.message).toBe('The request to AWS failed.');
    expect(error.retryable).toBe(false);
  });

  it('a HangarError passes through unchanged', () => {
    const original = new HangarError({ code: 'ACCOUNT_NOT_FOUND', message: 'No account x.' });
    expect(mapAwsError(original)).toBe(original);
  });
});
