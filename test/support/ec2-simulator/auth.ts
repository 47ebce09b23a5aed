import type { IncomingMessage } from 'node:http';
import { SimError } from './sim-error';
import { parseAmzDate, parseAuthorization, sha256Hex, verifySignature } from './sigv4';
import type { SimCredential, SimRegion, SimService } from './types';

// SigV4 tolerates this much difference between the signing time and the server clock.
const MAX_SKEW_MS = 5 * 60_000;

export interface Authenticated {
  credential: SimCredential;
  region: string;
}

export interface AuthSetup {
  credentials: readonly SimCredential[];
  regions: readonly SimRegion[];
  verifySignatures: boolean;
  serverNow: () => number;
}

/**
 * Checks a request's SigV4 authorization the way AWS does, in AWS's order: token present, well-formed header,
 * signed X-Amz-Date, known key (and session token), payload hash, signature, clock skew, expiry, and an enabled
 * region. Each failure is the error the calling service really answers with.
 */
export function authenticate(setup: AuthSetup, service: SimService, req: IncomingMessage, body: Buffer): Authenticated {
  const { credentials, regions, verifySignatures, serverNow } = setup;
  // CloudWatch keeps its awsQuery error codes even when it speaks JSON.
  const query = service === 'sts' || service === 'iam' || service === 'monitoring';
  const header = req.headers.authorization;
  if (header === undefined) {
    throw query
      ? new SimError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403)
      : new SimError(
          'MissingAuthenticationToken',
          'The request must contain either a valid (registered) AWS access key ID or X.509 certificate.',
        );
  }
  const auth = parseAuthorization(header);
  if (!auth) {
    throw new SimError(
      'IncompleteSignature',
      "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters (AWS4-HMAC-SHA256).",
    );
  }
  const amzDate = req.headers['x-amz-date'];
  const signedAt = typeof amzDate === 'string' ? parseAmzDate(amzDate) : undefined;
  if (typeof amzDate !== 'string' || signedAt === undefined || !auth.signedHeaders.includes('x-amz-date')) {
    throw new SimError('IncompleteSignature', 'Authorization header requires existence of a signed X-Amz-Date header.');
  }

  const invalidKey = (): SimError =>
    query
      ? new SimError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403)
      : service === 'ec2'
        ? new SimError('AuthFailure', 'AWS was not able to validate the provided access credentials')
        : new SimError('UnrecognizedClientException', 'The security token included in the request is invalid.', 400);
  const credential = credentials.find((c) => c.accessKeyId === auth.accessKeyId);
  if (!credential) throw invalidKey();
  const token = req.headers['x-amz-security-token'];
  if ((credential.sessionToken ?? undefined) !== (typeof token === 'string' ? token : undefined)) throw invalidKey();

  const claimedHash = req.headers['x-amz-content-sha256'];
  if (typeof claimedHash === 'string' && claimedHash !== sha256Hex(body)) {
    throw new SimError('XAmzContentSHA256Mismatch', 'The provided x-amz-content-sha256 header does not match what was computed.');
  }
  const signatureOk =
    !verifySignatures ||
    (auth.date === amzDate.slice(0, 8) &&
      verifySignature({
        auth,
        secretAccessKey: credential.secretAccessKey,
        method: req.method ?? 'POST',
        rawUrl: req.url ?? '/',
        headers: req.headers,
        body,
        amzDate,
      }));
  if (!signatureOk) {
    throw new SimError(
      service === 'ec2' || query ? 'SignatureDoesNotMatch' : 'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }

  const now = serverNow();
  if (Math.abs(now - signedAt) > MAX_SKEW_MS) {
    if (service === 'ec2') {
      throw new SimError('RequestExpired', `Request has expired. Timestamp date is ${amzDate}`);
    }
    const fmt = (ms: number): string => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    throw new SimError(
      'SignatureDoesNotMatch',
      signedAt < now
        ? `Signature expired: ${amzDate} is now earlier than ${fmt(now - MAX_SKEW_MS)} (${fmt(now)} - 5 min.)`
        : `Signature not yet current: ${amzDate} is still later than ${fmt(now + MAX_SKEW_MS)} (${fmt(now)} + 5 min.)`,
    );
  }
  if (credential.expired) {
    throw query
      ? new SimError('ExpiredToken', 'The security token included in the request is expired', 403)
      : service === 'ec2'
        ? new SimError('RequestExpired', 'Request has expired.')
        : new SimError('ExpiredTokenException', 'The security token included in the request is expired', 400);
  }
  // A region the account has not enabled rejects the credentials, exactly like an unknown key.
  const region = regions.find((r) => r.name === auth.region);
  if (!region || region.optInStatus === 'not-opted-in') throw invalidKey();
  return { credential, region: auth.region };
}
