import { createHash } from 'node:crypto';
import type { SimCredential } from './types';
import { text } from './xml';

export interface StsActionContext {
  credential: SimCredential;
  accountId: string;
}

/** Returns the `<…Result>` element; the caller wraps it with ResponseMetadata. */
export type StsAction = (ctx: StsActionContext) => string;

export const STS_ACTIONS: Readonly<Record<string, StsAction>> = {
  GetCallerIdentity: ({ credential, accountId }) => {
    const { arn, userId } = identityOf(credential, accountId);
    return (
      '<GetCallerIdentityResult>' +
      text('Arn', arn) +
      text('UserId', userId) +
      text('Account', accountId) +
      '</GetCallerIdentityResult>'
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
