import { iamErrorXml } from './iam';
import { escapeXml } from './xml';
import type { SimService } from './types';

/** An AWS error answer: thrown anywhere in a handler, rendered in the calling service's format. */
export class SimError extends Error {
  readonly status: number;
  constructor(
    readonly code: string,
    message: string,
    status?: number,
  ) {
    super(message);
    this.name = 'SimError';
    this.status = status ?? defaultStatus(code);
  }
}

// The statuses real EC2/STS use; anything not listed is a 400 client error, as AWS documents.
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  AuthFailure: 401,
  MissingAuthenticationToken: 401,
  UnauthorizedOperation: 403,
  AccessDenied: 403,
  SignatureDoesNotMatch: 403,
  InvalidClientTokenId: 403,
  ExpiredToken: 403,
  OptInRequired: 403,
  Blocked: 403,
  DryRunOperation: 412,
  RequestLimitExceeded: 503,
  ServiceUnavailable: 503,
  Unavailable: 503,
  InternalError: 500,
  InternalFailure: 500,
};

export function defaultStatus(code: string): number {
  return STATUS_BY_CODE[code] ?? 400;
}

/** EC2's error body: <Response><Errors><Error>…</Error></Errors><RequestID>…</RequestID></Response>. */
export function ec2ErrorXml(code: string, message: string, requestId: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error></Errors>` +
    `<RequestID>${requestId}</RequestID></Response>`
  );
}

/** STS (awsQuery) error body: <ErrorResponse><Error><Type>Sender|Receiver</Type>…</Error><RequestId>…</RequestId>. */
export function stsErrorXml(code: string, message: string, status: number, requestId: string): string {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">' +
    `<Error><Type>${type}</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

export function errorXml(service: SimService, error: SimError, requestId: string): string {
  if (service === 'iam') return iamErrorXml(error.code, error.message, error.status, requestId);
  return service === 'sts'
    ? stsErrorXml(error.code, error.message, error.status, requestId)
    : ec2ErrorXml(error.code, error.message, requestId);
}
