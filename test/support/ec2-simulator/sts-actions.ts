import { createHash, randomBytes } from 'node:crypto';
import type { QueryParams } from './query-params';
import { SimError } from './sim-error';
import type { SimCredential } from './types';
import { text } from './xml';

export interface StsActionContext {
  credential: SimCredential;
  accountId: string;
  params: QueryParams;
  /** The simulator's accepted keys; AssumeRole adds the temporary ones it hands out. */
  credentials: SimCredential[];
}

/** Returns the `<…Result>` element; the caller wraps it with ResponseMetadata. */
export type StsAction = (ctx: StsActionContext) => string;

interface AssumedIdentity {
  arn: string;
  userId: string;
  account: string;
}

// Who a key minted by AssumeRole is, so GetCallerIdentity answers with the role it was issued for.
const assumedIdentities = new WeakMap<SimCredential, AssumedIdentity>();

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

export const STS_ACTIONS: Readonly<Record<string, StsAction>> = {
  GetCallerIdentity: ({ credential, accountId }) => {
    const { arn, userId, account } = assumedIdentities.get(credential) ?? { ...identityOf(credential, accountId), account: accountId };
    return (
      '<GetCallerIdentityResult>' +
      text('Arn', arn) +
      text('UserId', userId) +
      text('Account', account) +
      '</GetCallerIdentityResult>'
    );
  },

  /**
   * Hands out temporary ASIA credentials (with a session token) that the simulator accepts from then on.
   * Any well-formed role ARN can be assumed, in any account, except a role whose name starts with "Deny":
   * that one answers AccessDenied, as real STS does when the trust policy does not allow the caller.
   */
  AssumeRole: ({ credential, accountId, params, credentials }) => {
    const roleArn = params.get('RoleArn') ?? '';
    const sessionName = params.get('RoleSessionName') ?? '';
    const role = ROLE_ARN.exec(roleArn);
    if (!role?.[1] || !role[2]) {
      throw new SimError('ValidationError', `${roleArn} is invalid`);
    }
    if (!SESSION_NAME.test(sessionName)) {
      throw new SimError(
        'ValidationError',
        "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
      );
    }
    const duration = Number(params.get('DurationSeconds') ?? '3600');
    if (!Number.isInteger(duration) || duration < 900 || duration > 43_200) {
      throw new SimError(
        'ValidationError',
        `1 validation error detected: Value '${params.get('DurationSeconds') ?? ''}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`,
      );
    }
    const [, roleAccount, roleName] = role;
    if (roleName.startsWith('Deny')) {
      const caller = assumedIdentities.get(credential)?.arn ?? identityOf(credential, accountId).arn;
      throw new SimError('AccessDenied', `User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
    }

    const minted: SimCredential = {
      accessKeyId: `ASIA${randomAlnum(16)}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: `IQoJb3JpZ2luX2Vj${randomBytes(96).toString('base64')}`,
    };
    const roleId = uniqueId('AROA', roleArn);
    const identity: AssumedIdentity = {
      arn: `arn:aws:sts::${roleAccount}:assumed-role/${roleName}/${sessionName}`,
      userId: `${roleId}:${sessionName}`,
      account: roleAccount,
    };
    assumedIdentities.set(minted, identity);
    credentials.push(minted);
    const expiration = new Date(Date.now() + duration * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    return (
      '<AssumeRoleResult>' +
      '<AssumedRoleUser>' +
      text('AssumedRoleId', identity.userId) +
      text('Arn', identity.arn) +
      '</AssumedRoleUser>' +
      '<Credentials>' +
      text('AccessKeyId', minted.accessKeyId) +
      text('SecretAccessKey', minted.secretAccessKey) +
      text('SessionToken', minted.sessionToken ?? '') +
      text('Expiration', expiration) +
      '</Credentials>' +
      text('PackedPolicySize', 6) +
      '</AssumeRoleResult>'
    );
  },
};

// IAM unique ids are a 4-letter type prefix plus 17 upper-case alphanumerics; derive them stably from the key.
function uniqueId(prefix: 'AIDA' | 'AROA', seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let out = '';
  for (let k = 0; k < 17; k++) out += alphabet[(digest[k] ?? 0) % alphabet.length];
  return prefix + out;
}

function randomAlnum(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let out = '';
  for (const byte of randomBytes(length)) out += alphabet[byte % alphabet.length];
  return out;
}

function identityOf(credential: SimCredential, accountId: string): { arn: string; userId: string } {
  if (credential.sessionToken !== undefined) {
    const session = 'hangar-session';
    return {
      arn: `arn:aws:sts::${accountId}:assumed-role/hangar-role/${session}`,
      userId: `${uniqueId('AROA', credential.accessKeyId)}:${session}`,
    };
  }
  const user = credential.userName ?? 'hangar-test';
  return { arn: `arn:aws:iam::${accountId}:user/${user}`, userId: uniqueId('AIDA', credential.accessKeyId) };
}
