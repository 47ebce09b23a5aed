import { HangarError } from '../../../shared/errors/hangar-error';
import type { AccountSummary } from '../../../shared/models/accounts';

const SIGN_IN_CODES = new Set(['AWS_TOKEN_EXPIRED', 'AWS_SSO_LOGIN_REQUIRED', 'AWS_NO_CREDENTIALS']);

/**
 * Expired or missing credentials, said for the account they belong to: which account, and how that account
 * signs in again (an SSO profile logs in, temporary keys are replaced). Other errors pass unchanged.
 */
export function withAccountHint(error: HangarError, account: AccountSummary | undefined): HangarError {
  if (!SIGN_IN_CODES.has(error.code) || account === undefined) return error;
  const who = `account “${account.label}”`;
  let hint: string;
  if (account.source.kind === 'profile') {
    const { profile, profileType } = account.source;
    hint =
      profileType === 'sso'
        ? `Sign in again: run \`aws sso login --profile ${profile}\` (or sign in at your SSO start page), then refresh.`
        : `Refresh the credentials of AWS CLI profile “${profile}” (for example update aws_session_token in ~/.aws/credentials), then refresh.`;
  } else {
    hint = account.source.hasSessionToken
      ? `The temporary keys of ${who} have run out. Get fresh ones (access key, secret and session token), remove the account in Accounts and add it again with them.`
      : `Check the access key of ${who} in Accounts (Verify): it may have been deactivated or deleted in IAM.`;
  }
  return new HangarError({
    code: error.code,
    message: error.code === 'AWS_NO_CREDENTIALS' ? `No AWS credentials are available for ${who}.` : `The AWS credentials of ${who} have expired.`,
    hint,
    retryable: false,
    details: { ...error.details, accountId: account.id },
    cause: error,
  });
}
