import { fromIni, fromSSO } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity } from '@smithy/types';
import { HangarError } from '../../../shared/errors/hangar-error';
import { mapAwsError } from '../aws/map-aws-error';
import { NETWORK_ERROR_CODES } from '../aws/network-error-codes';
import { clip } from './account-text';
import { profileRegion, ssoOrigin, type AwsProfiles, type ProfileEntry } from './aws-profiles';
import type { IdentityCheck } from './caller-identity';
import { rephrase, networkSuffix } from './rephrase-error';

const NETWORK_CODE = new RegExp(`\\b(${NETWORK_ERROR_CODES.join('|')})\\b`);

/** Credentials of an AWS CLI profile, from the SDK's own providers; failures say what to fix in the profile. */
export type ResolveProfileCredentials = (profile: string, identityProperties?: Record<string, unknown>) => Promise<AwsCredentialIdentity>;

/**
 * Static keys, assume-role, credential_process and SSO all go through `fromIni` / `fromSSO`: Hangar
 * stores nothing for a profile but its name.
 * @param endpoint tests only: one endpoint for the SDK's inner STS/SSO clients.
 */
export function createProfileCredentials(
  profiles: AwsProfiles,
  identity: Pick<IdentityCheck, 'explain'>,
  endpoint: string | undefined,
): ResolveProfileCredentials {
  // For the SDK's inner clients (AssumeRole, SSO portal): the test endpoint and the same fail-fast
  // timeouts as our own clients, so an offline laptop does not hang on a role profile.
  const innerClientConfig = {
    ...(endpoint === undefined ? {} : { endpoint }),
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000, throwOnRequestTimeout: true },
  };

  function explain(error: unknown, entry: ProfileEntry, all: Map<string, ProfileEntry>): HangarError {
    if (error instanceof HangarError) return error;
    const name = errorName(error);
    const text = scrub(errorText(error));
    const sso = ssoOrigin(entry, all);
    if (sso && /aws sso login|UnauthorizedException/i.test(text)) return ssoLoginRequired(sso, entry);

    const providerError = name === 'CredentialsProviderError' || name === 'ProviderError' || name === 'TokenProviderError';
    if (!providerError) return explainAwsAnswer(error, entry, text);
    const network = NETWORK_CODE.exec(text);
    if (network) {
      return new HangarError({
        code: 'OFFLINE',
        message: `Could not reach AWS to get the credentials of profile “${entry.name}” (${network[1] ?? 'network error'}).`,
        hint: 'Check your internet connection, proxy or VPN, then try again.',
        retryable: true,
        cause: error,
      });
    }
    return profileInvalid(entry, text, error);
  }

  /** AWS answered (or could not be reached) on the way to credentials: AssumeRole, the SSO portal. */
  function explainAwsAnswer(error: unknown, entry: ProfileEntry, text: string): HangarError {
    const action = entry.type === 'sso' ? 'sso:GetRoleCredentials' : 'sts:AssumeRole';
    const mapped = mapAwsError(error, { action });
    if (mapped.code === 'AWS_UNAUTHORIZED' && entry.type === 'assume-role') {
      const source = entry.data.source_profile ?? entry.data.credential_source ?? 'its source';
      return rephrase(mapped, {
        message: `Profile “${entry.name}” is not allowed to assume its role (${entry.data.role_arn ?? 'role_arn'}).`,
        hint:
          `The role's trust policy must allow the identity behind “${source}”, and that identity needs permission for sts:AssumeRole on the role. ` +
          'Check role_arn for typos, or ask your AWS administrator.',
      });
    }
    if (mapped.code === 'AWS_NO_CREDENTIALS' || mapped.code === 'AWS_REQUEST_FAILED') {
      return profileInvalid(entry, text, error);
    }
    if (mapped.code === 'OFFLINE') {
      return rephrase(mapped, {
        message: `Could not reach AWS to get the credentials of profile “${entry.name}”${networkSuffix(mapped)}.`,
      });
    }
    // STS refused the keys the role is assumed with: those belong to the source profile.
    const source = entry.data.source_profile;
    if (source !== undefined && ['AWS_INVALID_KEY_ID', 'AWS_BAD_SECRET', 'AWS_TOKEN_EXPIRED'].includes(mapped.code)) {
      return identity.explain(mapped, { kind: 'profile', profile: source });
    }
    return rephrase(mapped, { message: `Profile “${entry.name}”: ${mapped.message}` });
  }

  function profileInvalid(entry: ProfileEntry, sdkText: string, cause: unknown): HangarError {
    const said = sdkText === '' ? '' : ` The AWS SDK said: ${clip(sdkText, 300)}`;
    return new HangarError({
      code: 'AWS_PROFILE_INVALID',
      message: `Profile “${entry.name}” did not give Hangar credentials.${said}`,
      hint: profileFixHint(entry, profiles.filesLabel()),
      details: { profile: entry.name, profileType: entry.type },
      cause,
    });
  }

  return async (profile, identityProperties) => {
    const all = await profiles.load();
    const entry = all.get(profile);
    if (!entry) throw profiles.notFound(profile);
    const init = {
      profile,
      ...profiles.fileInit,
      ignoreCache: true,
      clientConfig: innerClientConfig,
      // AssumeRole goes to the profile's region, else us-east-1 (which no account can disable), never to
      // whatever region the calling client happens to serve.
      parentClientConfig: { region: profileRegion(entry) },
    };
    // fromIni hands SSO profiles to fromSSO without the file paths it was given; call fromSSO directly
    // so custom file locations work for SSO profiles too. (Same files in the app, where none are set.)
    const provider = entry.type === 'sso' ? fromSSO(init) : fromIni(init);
    try {
      return await provider(identityProperties as Parameters<typeof provider>[0]);
    } catch (error) {
      throw explain(error, entry, all);
    }
  };
}

function profileFixHint(entry: ProfileEntry, filesLabel: string): string {
  switch (entry.type) {
    case 'static':
      return `Check aws_access_key_id and aws_secret_access_key of [${entry.name}] in ${filesLabel} (\`aws configure --profile ${entry.name}\` rewrites them).`;
    case 'assume-role':
      return entry.data.mfa_serial === undefined
        ? `Check role_arn and source_profile (or credential_source) of [profile ${entry.name}]; the source profile needs working credentials of its own.`
        : `Profile “${entry.name}” asks for an MFA code (mfa_serial), which Hangar cannot prompt for yet. Use a profile without MFA, or add temporary keys from \`aws sts get-session-token\`.`;
    case 'process':
      return `Run the credential_process command of [profile ${entry.name}] in a terminal: it must print credentials as JSON with "Version": 1.`;
    case 'sso':
      return `Check sso_start_url, sso_region, sso_account_id and sso_role_name (or sso_session) of [profile ${entry.name}]; \`aws configure sso --profile ${entry.name}\` sets them up.`;
    default:
      return 'Hangar can use profiles with access keys, role_arn + source_profile, credential_process or AWS IAM Identity Center (SSO). Check this profile in the AWS config files.';
  }
}

function ssoLoginRequired(sso: ProfileEntry, requested: ProfileEntry): HangarError {
  return new HangarError({
    code: 'AWS_SSO_LOGIN_REQUIRED',
    message: 'This profile signs in through AWS IAM Identity Center (SSO) in the browser',
    hint: `Run \`aws sso login --profile ${sso.name}\` (or sign in at the start URL), then try again`,
    details: {
      profile: requested.name,
      ...(sso.name === requested.name ? {} : { ssoProfile: sso.name }),
      ...(sso.ssoStartUrl === undefined ? {} : { ssoStartUrl: sso.ssoStartUrl }),
    },
  });
}

function errorName(error: unknown): string {
  return typeof error === 'object' && error !== null && typeof (error as { name?: unknown }).name === 'string'
    ? (error as { name: string }).name
    : '';
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : '';
}

// SDK provider messages never carry a secret, but credential_process output could: redact key-like runs.
function scrub(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])/g, '[redacted]')
    .replace(/\b(AKIA|ASIA)[A-Z0-9]{12,}\b/g, '$1…')
    .trim();
}
