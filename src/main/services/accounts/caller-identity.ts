import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { cancelledError, HangarError } from '../../../shared/errors/hangar-error';
import { createAwsClientFactory } from '../aws/aws-client-factory';
import { mapAwsError } from '../aws/map-aws-error';
import { throwIfAborted } from './abort';
import { accessKeyIdHint } from './account-text';
import { networkSuffix, rephrase } from './rephrase-error';

/** Where accounts go without a region of their own, and where STS answers for every account. */
export const DEFAULT_REGION = 'us-east-1';

const SECRET_FIX =
  'Copy the secret access key again, exactly as IAM showed it (40 characters, no spaces). AWS shows it only once: if it is lost, create a new access key in IAM.';

/** What an STS error is about, so the message can name the thing the user typed or configured. */
export type IdentityContext =
  | { kind: 'keys'; accessKeyId: string; hasSessionToken: boolean; stored: boolean }
  | { kind: 'profile'; profile: string };

export interface CallerIdentity {
  account: string;
  arn: string;
}

/** STS GetCallerIdentity, the check every add, import and verify makes before anything is written. */
export interface IdentityCheck {
  /** Errors say which key or profile is wrong and how to fix it. */
  check(credentials: AwsCredentialIdentity, region: string, context: IdentityContext, signal?: AbortSignal): Promise<CallerIdentity>;
  /** Rewords a mapped STS error for the key or profile it is about. */
  explain(mapped: HangarError, context: IdentityContext): HangarError;
}

/**
 * @param endpoint tests only: one endpoint for STS.
 * @param filesLabel names the AWS CLI files in hints about profiles.
 */
export function createIdentityCheck(endpoint: string | undefined, filesLabel: () => string): IdentityCheck {
  async function callerIdentity(credentials: AwsCredentialIdentity, region: string, signal?: AbortSignal): Promise<CallerIdentity> {
    const clients = createAwsClientFactory({ credentials, ...(endpoint === undefined ? {} : { endpoint }) });
    try {
      const out = await clients.sts(region).send(new GetCallerIdentityCommand({}), { abortSignal: signal });
      if (out.Account === undefined || out.Arn === undefined) {
        throw new HangarError({
          code: 'AWS_REQUEST_FAILED',
          message: 'AWS answered the identity check without an account ID or ARN.',
          hint: 'Try again. If it keeps happening, check any proxy between Hangar and AWS.',
          retryable: true,
        });
      }
      return { account: out.Account, arn: out.Arn };
    } finally {
      clients.destroy();
    }
  }

  function explain(mapped: HangarError, context: IdentityContext): HangarError {
    return context.kind === 'keys' ? explainForKeys(mapped, context) : explainForProfile(mapped, context.profile, filesLabel());
  }

  return {
    explain,

    async check(credentials, region, context, signal) {
      throwIfAborted(signal);
      try {
        return await callerIdentity(credentials, region, signal);
      } catch (error) {
        if (signal?.aborted) throw cancelledError();
        const mapped = mapAwsError(error, { action: 'sts:GetCallerIdentity', region });
        // STS in a region the account has not enabled rejects every key as unknown; ask us-east-1 to tell apart.
        if (mapped.code === 'AWS_INVALID_KEY_ID' && region !== DEFAULT_REGION) {
          const worksElsewhere = await callerIdentity(credentials, DEFAULT_REGION, signal).then(
            () => true,
            () => false,
          );
          if (signal?.aborted) throw cancelledError();
          if (worksElsewhere) {
            throw rephrase(mapped, {
              code: 'AWS_OPT_IN_REQUIRED',
              message: `These credentials work, but the region ${region} is not enabled for this AWS account.`,
              hint: `Enable ${region} in the AWS console (Account → AWS Regions), or choose another default region.`,
            });
          }
        }
        throw explain(mapped, context);
      }
    },
  };
}

function explainForKeys(mapped: HangarError, context: Extract<IdentityContext, { kind: 'keys' }>): HangarError {
  const awsMessage = typeof mapped.details?.awsMessage === 'string' ? mapped.details.awsMessage : '';
  const hint = accessKeyIdHint(context.accessKeyId);
  switch (mapped.code) {
    case 'AWS_INVALID_KEY_ID':
      return rephrase(mapped, { message: `AWS does not know this access key ID (${hint}).`, hint: unknownKeyFix(context) });
    case 'AWS_BAD_SECRET':
      return rephrase(mapped, {
        message: `The secret access key does not match the access key ID ${hint}.`,
        hint: `${SECRET_FIX} If the secret is right, check that this computer's clock is set automatically.`,
      });
    case 'AWS_CLOCK_SKEW':
      // The SDK corrects a wrong clock and retries; a signature that still fails after that is a wrong
      // secret on a computer whose clock is also off. Say both.
      if (awsMessage !== '' && !/Signature (expired|not yet current)|RequestTimeTooSkewed/i.test(awsMessage)) {
        return rephrase(mapped, {
          code: 'AWS_BAD_SECRET',
          message: `The secret access key does not match the access key ID ${hint}.`,
          hint: `${SECRET_FIX} ${mapped.message} ${mapped.hint ?? ''}`.trim(),
        });
      }
      return mapped;
    case 'AWS_TOKEN_EXPIRED':
      return rephrase(mapped, {
        message: 'These temporary credentials have expired: AWS no longer accepts the session token.',
        hint:
          'Temporary keys (starting with ASIA) last from 15 minutes to 36 hours. Get a fresh access key, secret and session token, ' +
          'or import your AWS CLI profile instead so Hangar can renew them itself.',
      });
    case 'OFFLINE':
      return rephrase(mapped, {
        message: `Could not reach AWS to check these keys${networkSuffix(mapped)}.`,
        hint: `Check your internet connection, proxy or VPN, then try again.${context.stored ? '' : ' Nothing was saved.'}`,
      });
    default:
      return mapped;
  }
}

/** An access key id STS does not know: most often a temporary key without its token, or the reverse. */
function unknownKeyFix(context: Extract<IdentityContext, { kind: 'keys' }>): string {
  const temporary = context.accessKeyId.startsWith('ASIA');
  if (temporary && !context.hasSessionToken) {
    return 'Keys that start with ASIA are temporary and only work together with their session token: paste it in the session token field.';
  }
  if (!temporary && context.hasSessionToken) {
    return 'Keys that start with AKIA are long-term keys and take no session token: leave that field empty.';
  }
  if (context.stored) {
    return 'The key may have been deleted or deactivated in IAM. Create a new access key (IAM → Users → Security credentials), then remove this account and add the new key.';
  }
  return 'Check it for typos (copy it again from the IAM console or the downloaded .csv file). If it is right, the key was deleted or deactivated in IAM: create a new one under IAM → Users → Security credentials.';
}

function explainForProfile(mapped: HangarError, profile: string, filesLabel: string): HangarError {
  switch (mapped.code) {
    case 'AWS_INVALID_KEY_ID':
      return rephrase(mapped, {
        message: `AWS does not know the access key ID that profile “${profile}” uses.`,
        hint: `Check aws_access_key_id of the profile (or of its source_profile) in ${filesLabel}: it may be mistyped, or the key was deleted or deactivated in IAM.`,
      });
    case 'AWS_BAD_SECRET':
      return rephrase(mapped, {
        message: `The secret access key of profile “${profile}” does not match its access key ID.`,
        hint: `Check aws_secret_access_key in ${filesLabel} (\`aws configure --profile ${profile}\` rewrites it). If it is right, check that this computer's clock is set automatically.`,
      });
    case 'AWS_TOKEN_EXPIRED':
      return rephrase(mapped, {
        message: `The credentials of profile “${profile}” have expired.`,
        hint: `Refresh them (for an SSO profile run \`aws sso login --profile ${profile}\`; otherwise update aws_session_token in the credentials file), then try again.`,
      });
    case 'OFFLINE':
      return rephrase(mapped, {
        message: `Could not reach AWS to check profile “${profile}”${networkSuffix(mapped)}.`,
        hint: 'Check your internet connection, proxy or VPN, then try again.',
      });
    default:
      return mapped;
  }
}
