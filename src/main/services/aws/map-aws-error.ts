import { HangarError, type ErrorCode } from '../../../shared/errors/hangar-error';
import { networkErrorCodeOf } from './network-error-codes';
import { scrubAwsMessage } from './scrub-aws-message';

export interface AwsErrorContext {
  /** IAM-style action, e.g. "ec2:DescribeInstances". */
  action?: string;
  region?: string;
}

/** The parts of an SDK v3 error we read; everything is optional because anything can be thrown. */
interface SdkErrorLike {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  cause?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string; clockSkewCorrected?: boolean };
  $response?: { headers?: Record<string, string | undefined> };
}

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'EC2ThrottledException',
  'SlowDown',
  'PriorRequestNotComplete',
]);
const INVALID_KEY = new Set(['AuthFailure', 'InvalidClientTokenId', 'UnrecognizedClientException', 'InvalidAccessKeyId']);
const BAD_SIGNATURE = new Set(['SignatureDoesNotMatch', 'InvalidSignatureException']);
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
const SKEW = new Set(['RequestTimeTooSkewed', 'RequestInTheFuture']);
const UNAUTHORIZED = new Set(['UnauthorizedOperation', 'AccessDenied', 'AccessDeniedException']);
const SERVER_SIDE = new Set(['InternalError', 'InternalFailure', 'ServiceUnavailable', 'Unavailable']);
// SigV4 tolerates five minutes; beyond that a "bad signature" is really a wrong clock.
const MAX_SKEW_MS = 5 * 60_000;

/**
 * Turns whatever the AWS SDK threw into a HangarError with a plain-English message and a hint that says
 * how to fix it. AWS's own text goes only into `details.awsMessage`, scrubbed, never a secret.
 */
export function mapAwsError(error: unknown, context: AwsErrorContext = {}): HangarError {
  if (error instanceof HangarError) return error;
  const e: SdkErrorLike = typeof error === 'object' && error !== null ? (error as SdkErrorLike) : {};
  const name = typeof e.name === 'string' ? e.name : '';
  const region = context.region;
  const where = region === undefined ? '' : ` in ${region}`;

  const make = (
    code: ErrorCode,
    message: string,
    hint: string,
    extra: { retryable?: boolean; details?: Record<string, string | number | boolean> } = {},
  ): HangarError =>
    new HangarError({
      code,
      message,
      hint,
      retryable: extra.retryable ?? false,
      details: { ...baseDetails(e, context), ...extra.details },
      cause: error,
    });

  if (name === 'AbortError') {
    return new HangarError({ code: 'CANCELLED', message: 'Cancelled.', retryable: true, cause: error });
  }
  if (name === 'CredentialsProviderError') {
    return make(
      'AWS_NO_CREDENTIALS',
      'No AWS credentials are set up.',
      'Add an access key ID and secret access key for your AWS account in Settings, then try again.',
    );
  }

  const status = e.$metadata?.httpStatusCode;
  if (status === undefined) {
    if (name === 'TimeoutError') {
      return make(
        'OFFLINE',
        `AWS did not answer in time${where}.`,
        'Check your internet connection, proxy or VPN, then try again.',
        { retryable: true, details: { networkError: 'timeout' } },
      );
    }
    const net = networkErrorCodeOf(error);
    if (net !== undefined) {
      return make(
        'OFFLINE',
        `Could not reach AWS${where} (${net}).`,
        'Check your internet connection, proxy or VPN, then try again.',
        { retryable: true, details: { networkError: net } },
      );
    }
  }

  const awsCode = typeof e.Code === 'string' ? e.Code : name;
  const awsMessage = scrubAwsMessage(typeof e.message === 'string' ? e.message : '');
  const skewMs = clockSkewMs(e);

  if (SKEW.has(awsCode) || ((BAD_SIGNATURE.has(awsCode) || awsCode === 'RequestExpired') && skewMs !== undefined)) {
    const minutes = skewMs === undefined ? undefined : Math.round(Math.abs(skewMs) / 60_000);
    return make(
      'AWS_CLOCK_SKEW',
      minutes === undefined
        ? "AWS rejected the request because this computer's clock is wrong."
        : `AWS rejected the request because this computer's clock is off by about ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      'Turn on automatic date and time (and the right time zone) in your system settings, then try again.',
      { retryable: true },
    );
  }
  if (INVALID_KEY.has(awsCode)) {
    return make(
      'AWS_INVALID_KEY_ID',
      `AWS did not accept the access key ID${where}.`,
      'Check the access key ID in Settings: it may be mistyped, deleted or deactivated in IAM. ' +
        'If this is an opt-in region, also check that it is enabled for your account (AWS console → Account → AWS Regions).',
    );
  }
  if (BAD_SIGNATURE.has(awsCode)) {
    return make(
      'AWS_BAD_SECRET',
      'The secret access key does not match the access key ID.',
      "Re-enter the secret access key exactly as IAM showed it (40 characters, no spaces). If it is lost, create a new key in the IAM console. Also make sure this computer's clock is set automatically.",
    );
  }
  if (EXPIRED.has(awsCode)) {
    return make(
      'AWS_TOKEN_EXPIRED',
      'Your AWS credentials have expired.',
      'Get fresh temporary credentials (for example run `aws sso login`, or renew the session token) and try again.',
    );
  }
  const launchError = launchErrorOf(awsCode, awsMessage, context, make);
  if (launchError) return launchError;
  if (UNAUTHORIZED.has(awsCode)) {
    const action = context.action ?? 'this action';
    return make(
      'AWS_UNAUTHORIZED',
      `Your AWS credentials are not allowed to call ${action}${where}.`,
      `Ask your AWS administrator to allow ${action} in the IAM policy of this user or role.`,
    );
  }
  if (awsCode === 'OptInRequired' || awsCode === 'SubscriptionRequiredException') {
    return make(
      'AWS_OPT_IN_REQUIRED',
      `This AWS account is not signed up for EC2${where}.`,
      'Enable the region or service in the AWS console, then try again. A brand-new account can take a few minutes to activate.',
    );
  }
  if (THROTTLING.has(awsCode) || status === 429) {
    return make(
      'AWS_THROTTLED',
      'AWS is limiting how fast requests can be made (throttling).',
      'Wait a few seconds and try again. Scripts or tools using the same account count towards the same limit.',
      { retryable: true },
    );
  }
  if (awsCode === 'UnsupportedHibernationConfiguration') {
    return make(
      'AWS_OPERATION_NOT_PERMITTED',
      `The instance cannot hibernate: hibernation was not turned on when it was launched. AWS said: ${awsMessage}`,
      'Hibernation can only be turned on when an instance is launched. Use Stop instead.',
    );
  }
  if (awsCode === 'IncorrectInstanceState' || awsCode === 'IncorrectState') {
    return make(
      'AWS_INCORRECT_STATE',
      `The instance cannot do that in its current state. AWS said: ${awsMessage}`,
      "Wait until the instance has finished changing state (for example from 'stopping' to 'stopped'), refresh, and try again.",
    );
  }
  if (awsCode === 'OperationNotPermitted') {
    const protectedInstance = /disableApiTermination|termination/i.test(awsMessage);
    return make(
      'AWS_OPERATION_NOT_PERMITTED',
      protectedInstance
        ? 'This instance has termination protection turned on, so AWS refused to terminate it.'
        : `AWS does not permit this operation. AWS said: ${awsMessage}`,
      protectedInstance
        ? "Turn off termination protection in the instance's settings (Actions → Instance settings → Change termination protection), then try again."
        : 'Check the resource settings in the EC2 console; a protection or policy is blocking this operation.',
    );
  }
  if (awsCode.endsWith('.NotFound') || awsCode === 'NotFound') {
    return make(
      'AWS_NOT_FOUND',
      `AWS could not find it${where}. AWS said: ${awsMessage}`,
      'It may have been terminated or live in another region; refresh the list and try again.',
    );
  }
  const serverSide = SERVER_SIDE.has(awsCode) || e.$fault === 'server' || (status !== undefined && status >= 500);
  return make(
    'AWS_REQUEST_FAILED',
    awsCode === '' ? 'The request to AWS failed.' : `AWS rejected the request (${awsCode}).${awsMessage === '' ? '' : ` ${awsMessage}`}`,
    serverSide
      ? 'AWS had a temporary problem. Try again in a moment.'
      : 'If this keeps happening, report it together with the request ID from the details.',
    { retryable: serverSide },
  );
}

function baseDetails(e: SdkErrorLike, context: AwsErrorContext): Record<string, string | number | boolean> {
  const details: Record<string, string | number | boolean> = {};
  const awsCode = typeof e.Code === 'string' ? e.Code : typeof e.name === 'string' ? e.name : undefined;
  if (e.$metadata?.httpStatusCode !== undefined) {
    if (awsCode !== undefined) details.awsCode = awsCode;
    details.httpStatus = e.$metadata.httpStatusCode;
    if (typeof e.message === 'string' && e.message !== '') details.awsMessage = scrubAwsMessage(e.message);
  }
  if (e.$metadata?.requestId !== undefined) details.requestId = e.$metadata.requestId;
  if (context.action !== undefined) details.action = context.action;
  if (context.region !== undefined) details.region = context.region;
  return details;
}

/** Server time minus local time, when AWS's Date header shows a difference SigV4 would refuse. */
function clockSkewMs(e: SdkErrorLike): number | undefined {
  const date = e.$response?.headers?.date ?? e.$response?.headers?.Date;
  if (date === undefined) return undefined;
  const server = Date.parse(date);
  if (Number.isNaN(server)) return undefined;
  const skew = server - Date.now();
  return Math.abs(skew) > MAX_SKEW_MS ? skew : undefined;
}

type Make = (code: ErrorCode, message: string, hint: string, extra?: { retryable?: boolean; details?: Record<string, string | number | boolean> }) => HangarError;

/** The Service Quotas console, where a vCPU limit increase is requested. */
export const EC2_QUOTAS_CONSOLE = 'https://console.aws.amazon.com/servicequotas/home/services/ec2/quotas';

/**
 * What launching an instance can run into (issue 7). Checked before the generic mappings: a denied
 * CreateTags inside RunInstances names the action that is really missing, not the one that was called.
 */
function launchErrorOf(awsCode: string, awsMessage: string, context: AwsErrorContext, make: Make): HangarError | undefined {
  const where = context.region === undefined ? '' : ` in ${context.region}`;
  if (awsCode === 'UnauthorizedOperation') {
    const denied = /not authorized to perform: (\S+?)(?: on resource|\s|$)/.exec(awsMessage)?.[1];
    if (denied === undefined || denied === context.action) return undefined;
    return make(
      'AWS_UNAUTHORIZED',
      `Your AWS credentials are not allowed to call ${denied}${where}.`,
      `Ask your AWS administrator to allow ${denied} in the IAM policy of this user or role.`,
      { details: { missingAction: denied } },
    );
  }
  if (awsCode === 'InsufficientInstanceCapacity' || awsCode === 'InsufficientCapacity') {
    const zones = /choosing ([a-z0-9-]+(?:, [a-z0-9-]+)*)/.exec(awsMessage)?.[1];
    return make(
      'AWS_INSUFFICIENT_CAPACITY',
      `AWS has no spare capacity for this instance type${where} right now.`,
      zones === undefined
        ? 'Try another availability zone (choose another subnet, or let AWS pick one), another instance type, or again in a few minutes.'
        : `Try the availability zones AWS suggests (${zones}) — choose a subnet there or let AWS pick — or another instance type.`,
      { retryable: true, ...(zones === undefined ? {} : { details: { suggestedZones: zones } }) },
    );
  }
  if (awsCode === 'VcpuLimitExceeded') {
    const limit = /vCPU limit of (\d+)/.exec(awsMessage)?.[1];
    return make(
      'AWS_VCPU_LIMIT',
      `This launch would go over your account's vCPU limit${limit === undefined ? '' : ` of ${limit}`} for this kind of instance${where}.`,
      `Each instance family counts against a vCPU quota per region (new accounts often have 0 for GPU types). Request an increase in the Service Quotas console (${EC2_QUOTAS_CONSOLE}) — "Running On-Demand … instances" for the family — or stop instances you do not need, or pick a smaller type.`,
    );
  }
  if (awsCode === 'InvalidKeyPair.NotFound') {
    return make(
      'AWS_KEY_PAIR_NOT_FOUND',
      `That key pair does not exist${where}. Key pairs belong to one region.`,
      'Choose a key pair listed for this region, or create or import one here.',
    );
  }
  if (awsCode === 'InvalidKeyPair.Duplicate' || awsCode === 'InvalidGroup.Duplicate') {
    return make(
      'AWS_ALREADY_EXISTS',
      `${awsCode === 'InvalidKeyPair.Duplicate' ? 'A key pair' : 'A security group'} with that name already exists${where}.`,
      'Pick another name, or use the existing one.',
    );
  }
  if (awsCode === 'InvalidParameterValue' && /architecture/i.test(awsMessage)) {
    return make(
      'AWS_ARCH_MISMATCH',
      'The instance type does not run this image: their processor architectures differ (x86_64 vs arm64).',
      'Pick an instance type of the image’s architecture (Graviton types such as t4g, m7g, g5g are arm64), or the image built for the other architecture.',
    );
  }
  if (awsCode === 'VPCIdNotSpecified') {
    return make(
      'AWS_NO_DEFAULT_VPC',
      `This account has no default VPC${where}, so AWS does not know where to put the instance.`,
      'Choose a VPC and subnet in the Network step, or create a default VPC in the VPC console (Actions → Create default VPC).',
    );
  }
  return undefined;
}
