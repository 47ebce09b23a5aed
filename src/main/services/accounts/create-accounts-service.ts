import { randomUUID } from 'node:crypto';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { fromIni, fromSSO } from '@aws-sdk/credential-providers';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { z } from 'zod';
import { cancelledError, HangarError, type ErrorCode } from '../../../shared/errors/hangar-error';
import {
  addAccountInputSchema,
  importProfileInputSchema,
  regionNameSchema,
  type AccountSummary,
  type ProfileCandidate,
  type ProfileType,
} from '../../../shared/models/accounts';
import type { AccountRecord, Settings } from '../../../shared/models/settings';
import { createAwsClientFactory } from '../aws/aws-client-factory';
import { mapAwsError } from '../aws/map-aws-error';
import { NETWORK_ERROR_CODES } from '../aws/network-error-codes';
import { awsAccessKeyIdKey, awsSecretKey, awsSessionTokenKey, parseSecretKey } from '../secrets/secret-keys';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsStore } from '../settings/settings-store';
import type { AccountsService } from './accounts-service';

export interface AccountsServiceDeps {
  settings: SettingsStore;
  secrets: SecretStore;
  clock?: () => Date;
  /** Hangar's own id for a new entry; must fit `accountIdSchema` and the keychain naming scheme. */
  newId?: () => string;
  /**
   * Where the AWS CLI files are. Omitted: the SDK's defaults (AWS_SHARED_CREDENTIALS_FILE /
   * AWS_CONFIG_FILE, else ~/.aws/credentials and ~/.aws/config).
   */
  awsConfigFiles?: { credentialsPath?: string; configPath?: string };
  /**
   * Tests only: one endpoint for STS (and the SDK's inner STS/SSO clients). The app never sets it, so
   * AWS_ENDPOINT_URL_STS and the shared config keep working through the SDK's own resolution.
   */
  endpoint?: string;
}

const DEFAULT_REGION = 'us-east-1';
const MAX_ACCOUNTS = 100;
const MAX_LABEL = 80;
// Refresh temporary credentials this long before AWS would refuse them.
const REFRESH_MARGIN_MS = 5 * 60_000;
// Credentials without an expiry that came from files: re-read now and then, so an edited
// ~/.aws/credentials is picked up without restarting Hangar.
const FILE_CREDENTIALS_TTL_MS = 5 * 60_000;
const NETWORK_CODE = new RegExp(`\\b(${NETWORK_ERROR_CODES.join('|')})\\b`);

type IniSection = Record<string, string | undefined>;

interface ProfileEntry {
  readonly name: string;
  readonly data: IniSection;
  readonly type: ProfileType;
  readonly region: string | undefined;
  readonly ssoStartUrl: string | undefined;
}

/** What an STS error is about, so the message can name the thing the user typed or configured. */
type IdentityContext =
  | { kind: 'keys'; accessKeyId: string; hasSessionToken: boolean; stored: boolean }
  | { kind: 'profile'; profile: string };

interface CachedCredentials {
  value: Promise<AwsCredentialIdentity>;
  /** Epoch ms after which the next call fetches again. */
  until: number;
}

/**
 * AWS accounts: keys typed into Hangar (access key id, secret and session token in the keychain, the
 * rest in settings) and profiles of the AWS CLI files (nothing stored but the profile's name: the
 * SDK's own providers read the files, assume roles, run credential_process and use the SSO cache).
 * Every add and import is checked with STS GetCallerIdentity before anything is written.
 */
export function createAccountsService(deps: AccountsServiceDeps): AccountsService {
  const clock = deps.clock ?? (() => new Date());
  const newId = deps.newId ?? (() => randomUUID());
  const fileInit = {
    ...(deps.awsConfigFiles?.credentialsPath === undefined ? {} : { filepath: deps.awsConfigFiles.credentialsPath }),
    ...(deps.awsConfigFiles?.configPath === undefined ? {} : { configFilepath: deps.awsConfigFiles.configPath }),
  };
  // For the SDK's inner clients (AssumeRole, SSO portal): the test endpoint and the same fail-fast
  // timeouts as our own clients, so an offline laptop does not hang on a role profile.
  const innerClientConfig = {
    ...(deps.endpoint === undefined ? {} : { endpoint: deps.endpoint }),
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000, throwOnRequestTimeout: true },
  };
  const listeners = new Set<(accounts: AccountSummary[]) => void>();
  const providers = new Map<string, AwsCredentialIdentityProvider>();
  const credentialCache = new Map<string, CachedCredentials>();
  // Read-modify-write steps that also touch the keychain run one at a time; network checks run outside.
  let queue: Promise<unknown> = Promise.resolve();

  function exclusive<T>(step: () => Promise<T>): Promise<T> {
    const run = queue.then(step, step);
    queue = run.catch(() => undefined);
    return run;
  }

  // ---------------------------------------------------------------- settings

  function summaries(settings: Settings = deps.settings.get()): AccountSummary[] {
    return settings.accounts.map((record) => toSummary(record, settings.activeAccountId));
  }

  function emit(): void {
    if (listeners.size === 0) return;
    const list = summaries();
    for (const listener of [...listeners]) {
      try {
        listener(structuredClone(list));
      } catch {
        // One broken listener must not keep the others (or the caller) from hearing about the change.
      }
    }
  }

  function findRecord(accountId: string): AccountRecord {
    const record = deps.settings.get().accounts.find((candidate) => candidate.id === accountId);
    if (!record) throw accountNotFound(accountId);
    return record;
  }

  function summaryOf(accountId: string): AccountSummary {
    const settings = deps.settings.get();
    const record = settings.accounts.find((candidate) => candidate.id === accountId);
    if (!record) throw accountNotFound(accountId);
    return toSummary(record, settings.activeAccountId);
  }

  function insertRecord(record: AccountRecord): void {
    deps.settings.mutate((current) => {
      const activeExists = current.accounts.some((account) => account.id === current.activeAccountId);
      return {
        ...current,
        accounts: [...current.accounts, record],
        // The first account (or the first after the active one went missing) becomes active.
        activeAccountId: activeExists ? current.activeAccountId : record.id,
      };
    });
  }

  function updateRecord(accountId: string, change: (record: AccountRecord) => AccountRecord): void {
    deps.settings.mutate((current) => {
      if (!current.accounts.some((account) => account.id === accountId)) throw accountNotFound(accountId);
      return { ...current, accounts: current.accounts.map((account) => (account.id === accountId ? change(account) : account)) };
    });
  }

  function assertRoomForAnother(): void {
    if (deps.settings.get().accounts.length >= MAX_ACCOUNTS) {
      throw new HangarError({
        code: 'INVALID_ARGUMENT',
        message: `Hangar can hold up to ${MAX_ACCOUNTS} accounts.`,
        hint: 'Remove an account you no longer use, then add this one.',
      });
    }
  }

  // ---------------------------------------------------------------- keychain

  async function assertKeyNotAdded(accessKeyId: string): Promise<void> {
    const hint = accessKeyIdHint(accessKeyId);
    for (const record of deps.settings.get().accounts) {
      if (record.source.kind !== 'keys' || record.source.accessKeyIdHint !== hint) continue;
      // The hint only narrows it down; the keychain holds the full id.
      const stored = await deps.secrets.get(awsAccessKeyIdKey(record.id));
      if (stored === undefined || stored === accessKeyId) {
        throw new HangarError({
          code: 'INVALID_ARGUMENT',
          message: `This access key (${hint}) is already added as “${record.label}”.`,
          hint: 'Pick that account in the list. To add the key again (for example with a new secret), remove that account first.',
          details: { existingAccountId: record.id },
        });
      }
    }
  }

  async function storeKeys(accountId: string, keys: AwsCredentialIdentity): Promise<void> {
    const entries: [string, string][] = [
      [awsAccessKeyIdKey(accountId), keys.accessKeyId],
      [awsSecretKey(accountId), keys.secretAccessKey],
      ...(keys.sessionToken === undefined ? [] : ([[awsSessionTokenKey(accountId), keys.sessionToken]] as [string, string][])),
    ];
    const written: string[] = [];
    try {
      for (const [key, value] of entries) {
        await deps.secrets.set(key, value);
        written.push(key);
      }
    } catch (error) {
      // Half an account in the keychain would be found by nobody and removed by nothing.
      await Promise.allSettled(written.map((key) => deps.secrets.delete(key)));
      throw error;
    }
  }

  /** Every keychain entry of the account: the known kinds, plus anything else filed under its id. */
  async function wipeSecrets(accountId: string): Promise<void> {
    const known = [awsAccessKeyIdKey(accountId), awsSecretKey(accountId), awsSessionTokenKey(accountId)];
    const listed = (await deps.secrets.keys()).filter((key) => {
      const parsed = parseSecretKey(key);
      return parsed?.area === 'aws' && parsed.id === accountId;
    });
    for (const key of new Set([...known, ...listed])) await deps.secrets.delete(key);
  }

  async function readKeys(record: AccountRecord): Promise<AwsCredentialIdentity> {
    const [accessKeyId, secretAccessKey, sessionToken] = await Promise.all([
      deps.secrets.get(awsAccessKeyIdKey(record.id)),
      deps.secrets.get(awsSecretKey(record.id)),
      deps.secrets.get(awsSessionTokenKey(record.id)),
    ]);
    const tokenMissing = record.source.kind === 'keys' && record.source.hasSessionToken && sessionToken === undefined;
    if (accessKeyId === undefined || secretAccessKey === undefined || tokenMissing) {
      throw new HangarError({
        code: 'AWS_NO_CREDENTIALS',
        message: `The keys of “${record.label}” are missing from the keychain.`,
        hint: 'They may have been deleted outside Hangar. Remove this account and add it again with its access key ID and secret access key.',
        details: { accountId: record.id },
      });
    }
    return { accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) };
  }

  // ---------------------------------------------------------------- AWS CLI profiles

  async function loadProfiles(): Promise<Map<string, ProfileEntry>> {
    // ignoreCache: the SDK otherwise keeps the first read of each file for the life of the process.
    const { configFile, credentialsFile } = await loadSharedConfigFiles({ ...fileInit, ignoreCache: true });
    const ssoSessions = new Map<string, IniSection>();
    const sections = new Map<string, IniSection>();
    for (const [key, values] of Object.entries(configFile)) {
      if (key.startsWith('sso-session.')) ssoSessions.set(key.slice('sso-session.'.length), values);
      else if (!key.startsWith('services.')) sections.set(key, { ...values });
    }
    // Like the SDK: the credentials file wins over the config file, key by key.
    for (const [key, values] of Object.entries(credentialsFile)) sections.set(key, { ...sections.get(key), ...values });

    const profiles = new Map<string, ProfileEntry>();
    for (const [name, data] of sections) {
      const session = data.sso_session === undefined ? undefined : ssoSessions.get(data.sso_session);
      profiles.set(name, {
        name,
        data,
        type: classifyProfile(data),
        region: nonEmpty(data.region),
        ssoStartUrl: nonEmpty(data.sso_start_url) ?? nonEmpty(session?.sso_start_url),
      });
    }
    return profiles;
  }

  function profileNotFound(profile: string): HangarError {
    return new HangarError({
      code: 'AWS_PROFILE_INVALID',
      message: `There is no AWS profile “${clip(profile, 128)}” in ${configFilesLabel()}.`,
      hint: 'Check the name (`aws configure list-profiles` lists them), or create it with `aws configure --profile NAME` or `aws configure sso`.',
      details: { profile: clip(profile, 128) },
    });
  }

  function configFilesLabel(): string {
    const config = deps.awsConfigFiles?.configPath ?? process.env.AWS_CONFIG_FILE ?? '~/.aws/config';
    const credentials = deps.awsConfigFiles?.credentialsPath ?? process.env.AWS_SHARED_CREDENTIALS_FILE ?? '~/.aws/credentials';
    return `${config} or ${credentials}`;
  }

  /** The SSO profile a profile's credentials come from: itself, or the end of its source_profile chain. */
  function ssoOrigin(entry: ProfileEntry, profiles: Map<string, ProfileEntry>): ProfileEntry | undefined {
    let current: ProfileEntry | undefined = entry;
    for (let hops = 0; current && hops < 10; hops++) {
      if (current.type === 'sso') return current;
      const source: string | undefined = current.data.source_profile;
      current = source === undefined || source === current.name ? undefined : profiles.get(source);
    }
    return undefined;
  }

  async function resolveProfileCredentials(profile: string, identityProperties?: Record<string, unknown>): Promise<AwsCredentialIdentity> {
    const profiles = await loadProfiles();
    const entry = profiles.get(profile);
    if (!entry) throw profileNotFound(profile);
    const init = {
      profile,
      ...fileInit,
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
      throw explainProfileError(error, entry, profiles);
    }
  }

  function explainProfileError(error: unknown, entry: ProfileEntry, profiles: Map<string, ProfileEntry>): HangarError {
    if (error instanceof HangarError) return error;
    const name = errorName(error);
    const text = scrub(errorText(error));
    const sso = ssoOrigin(entry, profiles);
    if (sso && /aws sso login|UnauthorizedException/i.test(text)) return ssoLoginRequired(sso, entry);

    const providerError = name === 'CredentialsProviderError' || name === 'ProviderError' || name === 'TokenProviderError';
    if (!providerError) {
      // AWS answered (or could not be reached) on the way to credentials: AssumeRole, the SSO portal.
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
        return explainStsError(mapped, { kind: 'profile', profile: source });
      }
      return rephrase(mapped, { message: `Profile “${entry.name}”: ${mapped.message}` });
    }
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

  function profileInvalid(entry: ProfileEntry, sdkText: string, cause: unknown): HangarError {
    const said = sdkText === '' ? '' : ` The AWS SDK said: ${clip(sdkText, 300)}`;
    return new HangarError({
      code: 'AWS_PROFILE_INVALID',
      message: `Profile “${entry.name}” did not give Hangar credentials.${said}`,
      hint: profileFixHint(entry),
      details: { profile: entry.name, profileType: entry.type },
      cause,
    });
  }

  function profileFixHint(entry: ProfileEntry): string {
    switch (entry.type) {
      case 'static':
        return `Check aws_access_key_id and aws_secret_access_key of [${entry.name}] in ${configFilesLabel()} (\`aws configure --profile ${entry.name}\` rewrites them).`;
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

  // ---------------------------------------------------------------- credentials

  function cachedProvider(accountId: string, fetch: (props?: Record<string, unknown>) => Promise<AwsCredentialIdentity>): AwsCredentialIdentityProvider {
    return async (props?: Record<string, unknown>) => {
      // Removed since the provider was handed out: stop, rather than keep using old credentials.
      findRecord(accountId);
      const cached = credentialCache.get(accountId);
      if (cached && props?.forceRefresh !== true && clock().getTime() < cached.until) return cached.value;
      const entry: CachedCredentials = { value: fetch(props), until: Number.POSITIVE_INFINITY };
      credentialCache.set(accountId, entry);
      try {
        const credentials = await entry.value;
        entry.until = cacheUntil(credentials);
        return credentials;
      } catch (error) {
        // A failure is not remembered: unlocking the keychain or `aws sso login` should just work next time.
        if (credentialCache.get(accountId) === entry) credentialCache.delete(accountId);
        throw error;
      }
    };
  }

  function cacheUntil(credentials: AwsCredentialIdentity): number {
    return credentials.expiration === undefined
      ? clock().getTime() + FILE_CREDENTIALS_TTL_MS
      : credentials.expiration.getTime() - REFRESH_MARGIN_MS;
  }

  function providerFor(record: AccountRecord): AwsCredentialIdentityProvider {
    let provider = providers.get(record.id);
    if (!provider) {
      const source = record.source;
      provider =
        source.kind === 'keys'
          ? keysProvider(record.id)
          : cachedProvider(record.id, (props) => resolveProfileCredentials(source.profile, props));
      providers.set(record.id, provider);
    }
    return provider;
  }

  // Keys typed into Hangar never expire on their own (temporary ones fail at AWS): read the keychain once.
  function keysProvider(accountId: string): AwsCredentialIdentityProvider {
    return async () => {
      const record = findRecord(accountId);
      let cached = credentialCache.get(accountId);
      if (!cached) {
        cached = { value: readKeys(record), until: Number.POSITIVE_INFINITY };
        credentialCache.set(accountId, cached);
        const entry = cached;
        entry.value.catch(() => {
          if (credentialCache.get(accountId) === entry) credentialCache.delete(accountId);
        });
      }
      return cached.value;
    };
  }

  function forget(accountId: string): void {
    providers.delete(accountId);
    credentialCache.delete(accountId);
  }

  // ---------------------------------------------------------------- STS

  async function callerIdentity(credentials: AwsCredentialIdentity, region: string, signal?: AbortSignal): Promise<{ account: string; arn: string }> {
    const clients = createAwsClientFactory({ credentials, ...(deps.endpoint === undefined ? {} : { endpoint: deps.endpoint }) });
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

  /** GetCallerIdentity with errors that say which key or profile is wrong and how to fix it. */
  async function checkIdentity(
    credentials: AwsCredentialIdentity,
    region: string,
    context: IdentityContext,
    signal?: AbortSignal,
  ): Promise<{ account: string; arn: string }> {
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
      throw explainStsError(mapped, context);
    }
  }

  function explainStsError(mapped: HangarError, context: IdentityContext): HangarError {
    const awsMessage = typeof mapped.details?.awsMessage === 'string' ? mapped.details.awsMessage : '';
    if (context.kind === 'keys') {
      const hint = accessKeyIdHint(context.accessKeyId);
      switch (mapped.code) {
        case 'AWS_INVALID_KEY_ID': {
          const temporary = context.accessKeyId.startsWith('ASIA');
          let fix: string;
          if (temporary && !context.hasSessionToken) {
            fix = 'Keys that start with ASIA are temporary and only work together with their session token: paste it in the session token field.';
          } else if (!temporary && context.hasSessionToken) {
            fix = 'Keys that start with AKIA are long-term keys and take no session token: leave that field empty.';
          } else if (context.stored) {
            fix = 'The key may have been deleted or deactivated in IAM. Create a new access key (IAM → Users → Security credentials), then remove this account and add the new key.';
          } else {
            fix =
              'Check it for typos (copy it again from the IAM console or the downloaded .csv file). If it is right, the key was deleted or deactivated in IAM: create a new one under IAM → Users → Security credentials.';
          }
          return rephrase(mapped, { message: `AWS does not know this access key ID (${hint}).`, hint: fix });
        }
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
    const profile = context.profile;
    switch (mapped.code) {
      case 'AWS_INVALID_KEY_ID':
        return rephrase(mapped, {
          message: `AWS does not know the access key ID that profile “${profile}” uses.`,
          hint: `Check aws_access_key_id of the profile (or of its source_profile) in ${configFilesLabel()}: it may be mistyped, or the key was deleted or deactivated in IAM.`,
        });
      case 'AWS_BAD_SECRET':
        return rephrase(mapped, {
          message: `The secret access key of profile “${profile}” does not match its access key ID.`,
          hint: `Check aws_secret_access_key in ${configFilesLabel()} (\`aws configure --profile ${profile}\` rewrites it). If it is right, check that this computer's clock is set automatically.`,
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

  // ---------------------------------------------------------------- the service

  return {
    async list() {
      return summaries();
    },

    async add(input, signal) {
      const parsed = parseInput(addAccountInputSchema, input);
      const sessionToken = nonEmpty(parsed.sessionToken);
      const keys: AwsCredentialIdentity = {
        accessKeyId: parsed.accessKeyId,
        secretAccessKey: parsed.secretAccessKey,
        ...(sessionToken === undefined ? {} : { sessionToken }),
      };
      const region = parsed.defaultRegion ?? DEFAULT_REGION;
      assertRoomForAnother();
      await assertKeyNotAdded(keys.accessKeyId);
      const identity = await checkIdentity(
        keys,
        region,
        { kind: 'keys', accessKeyId: keys.accessKeyId, hasSessionToken: sessionToken !== undefined, stored: false },
        signal,
      );

      return exclusive(async () => {
        throwIfAborted(signal);
        // Again, inside the lock: the same key may have been added while STS was answering.
        assertRoomForAnother();
        await assertKeyNotAdded(keys.accessKeyId);
        const id = freshId();
        const record: AccountRecord = {
          id,
          label: nonEmpty(parsed.label) ?? defaultLabel(identity.arn, identity.account),
          source: { kind: 'keys', accessKeyIdHint: accessKeyIdHint(keys.accessKeyId), hasSessionToken: sessionToken !== undefined },
          awsAccountId: identity.account,
          arn: identity.arn,
          defaultRegion: region,
          addedAt: clock().toISOString(),
        };
        // Keychain first: if it refuses, nothing has been written to settings.
        await storeKeys(id, keys);
        try {
          insertRecord(record);
        } catch (error) {
          await wipeSecrets(id).catch(() => undefined);
          throw error;
        }
        emit();
        return summaryOf(id);
      });
    },

    async listProfiles() {
      const profiles = await loadProfiles();
      const used = new Set(
        deps.settings
          .get()
          .accounts.flatMap((record) => (record.source.kind === 'profile' ? [record.source.profile] : [])),
      );
      return [...profiles.values()]
        .map(
          (entry): ProfileCandidate => ({
            name: entry.name,
            type: entry.type,
            ...(entry.region === undefined ? {} : { region: entry.region }),
            ...(entry.ssoStartUrl === undefined ? {} : { ssoStartUrl: entry.ssoStartUrl }),
            alreadyAdded: used.has(entry.name),
          }),
        )
        .sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));
    },

    async importProfile(input, signal) {
      const parsed = parseInput(importProfileInputSchema, input);
      assertRoomForAnother();
      const assertNotImported = (): void => {
        const existing = deps.settings
          .get()
          .accounts.find((record) => record.source.kind === 'profile' && record.source.profile === parsed.profile);
        if (existing) {
          throw new HangarError({
            code: 'INVALID_ARGUMENT',
            message: `Profile “${parsed.profile}” is already added as “${existing.label}”.`,
            hint: 'Pick that account in the list.',
            details: { existingAccountId: existing.id },
          });
        }
      };
      assertNotImported();
      const profiles = await loadProfiles();
      const entry = profiles.get(parsed.profile);
      if (!entry) throw profileNotFound(parsed.profile);
      throwIfAborted(signal);
      const credentials = await withAbort(resolveProfileCredentials(entry.name), signal);
      const region = profileRegion(entry);
      const identity = await checkIdentity(credentials, region, { kind: 'profile', profile: entry.name }, signal);

      return exclusive(async () => {
        throwIfAborted(signal);
        assertRoomForAnother();
        assertNotImported();
        const id = freshId();
        insertRecord({
          id,
          label: nonEmpty(parsed.label) ?? clip(entry.name, MAX_LABEL),
          source: { kind: 'profile', profile: entry.name, profileType: entry.type },
          awsAccountId: identity.account,
          arn: identity.arn,
          defaultRegion: region,
          addedAt: clock().toISOString(),
        });
        // Keep what was just resolved, so the first EC2 call does not assume the role or hit SSO again.
        credentialCache.set(id, { value: Promise.resolve(credentials), until: cacheUntil(credentials) });
        emit();
        return summaryOf(id);
      });
    },

    remove(accountId) {
      return exclusive(async () => {
        const record = findRecord(accountId);
        if (record.source.kind === 'keys') {
          // If the keychain is locked, keep the account so removing can be retried: dropping the record
          // first would leave its secrets behind with nothing pointing at them.
          await wipeSecrets(record.id);
        } else {
          // Nothing was stored for a profile; sweep anyway, but a locked keychain must not block removal.
          await wipeSecrets(record.id).catch(() => undefined);
        }
        forget(record.id);
        deps.settings.mutate((current) => {
          const accounts = current.accounts.filter((account) => account.id !== record.id);
          const keepActive = current.activeAccountId !== record.id && accounts.some((a) => a.id === current.activeAccountId);
          return { ...current, accounts, activeAccountId: keepActive ? current.activeAccountId : accounts[0]?.id };
        });
        emit();
      });
    },

    async setActive(accountId) {
      return exclusive(async () => {
        findRecord(accountId);
        deps.settings.mutate((current) => ({ ...current, activeAccountId: accountId }));
        emit();
        return summaries();
      });
    },

    async setDefaultRegion(accountId, region) {
      const valid = regionNameSchema.safeParse(region);
      if (!valid.success) {
        throw new HangarError({
          code: 'INVALID_ARGUMENT',
          message: `“${clip(String(region), 40)}” is not an AWS region name.`,
          hint: 'Use a region code such as us-east-1 or eu-west-2.',
        });
      }
      return exclusive(async () => {
        updateRecord(accountId, (record) => ({ ...record, defaultRegion: valid.data }));
        emit();
        return summaryOf(accountId);
      });
    },

    async verify(accountId, signal) {
      const record = findRecord(accountId);
      throwIfAborted(signal);
      // Profiles are resolved afresh (an SSO login may have ended); typed keys come from the keychain cache.
      const credentials = await withAbort(providerFor(record)({ forceRefresh: true }), signal);
      const context: IdentityContext =
        record.source.kind === 'keys'
          ? { kind: 'keys', accessKeyId: credentials.accessKeyId, hasSessionToken: record.source.hasSessionToken, stored: true }
          : { kind: 'profile', profile: record.source.profile };
      const identity = await checkIdentity(credentials, record.defaultRegion, context, signal);
      return exclusive(async () => {
        updateRecord(accountId, (current) => ({ ...current, awsAccountId: identity.account, arn: identity.arn }));
        emit();
        return summaryOf(accountId);
      });
    },

    credentialsFor(accountId) {
      return providerFor(findRecord(accountId));
    },

    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };

  function freshId(): string {
    const id = newId();
    // The id ends up in keychain entry names and settings; refuse anything that would not round-trip.
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id) || deps.settings.get().accounts.some((account) => account.id === id)) {
      throw new HangarError({ code: 'INTERNAL', message: 'Hangar could not make an id for the new account.', hint: 'Try again.' });
    }
    return id;
  }
}

const SECRET_FIX =
  'Copy the secret access key again, exactly as IAM showed it (40 characters, no spaces). AWS shows it only once: if it is lost, create a new access key in IAM.';

function toSummary(record: AccountRecord, activeAccountId: string | undefined): AccountSummary {
  return {
    id: record.id,
    label: record.label,
    source:
      record.source.kind === 'keys'
        ? { kind: 'keys', accessKeyIdHint: record.source.accessKeyIdHint, hasSessionToken: record.source.hasSessionToken }
        : { kind: 'profile', profile: record.source.profile, profileType: record.source.profileType },
    ...(record.awsAccountId === undefined ? {} : { awsAccountId: record.awsAccountId }),
    ...(record.arn === undefined ? {} : { arn: record.arn }),
    defaultRegion: record.defaultRegion,
    active: record.id === activeAccountId,
    addedAt: record.addedAt,
  };
}

function profileRegion(entry: ProfileEntry): string {
  return entry.region !== undefined && regionNameSchema.safeParse(entry.region).success ? entry.region : DEFAULT_REGION;
}

/** Which of the SDK's providers a profile goes to, in the order the SDK itself tries them. */
function classifyProfile(data: IniSection): ProfileType {
  if (data.role_arn !== undefined && (data.source_profile !== undefined || data.credential_source !== undefined)) return 'assume-role';
  if (data.aws_access_key_id !== undefined) return 'static';
  if (data.credential_process !== undefined) return 'process';
  if (
    data.sso_session !== undefined ||
    data.sso_start_url !== undefined ||
    data.sso_account_id !== undefined ||
    data.sso_role_name !== undefined
  ) {
    return 'sso';
  }
  return 'other';
}

/** "AKIA…MPLE": enough to recognise a key in a list, not enough to use it. */
function accessKeyIdHint(accessKeyId: string): string {
  return `${accessKeyId.slice(0, 4)}…${accessKeyId.slice(-4)}`;
}

function defaultLabel(arn: string, account: string): string {
  const user = /^arn:aws[a-z-]*:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
  const role = /^arn:aws[a-z-]*:sts::\d{12}:assumed-role\/([^/]+)\//.exec(arn)?.[1];
  return clip(user ?? role ?? `AWS ${account}`, MAX_LABEL);
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

function accountNotFound(accountId: unknown): HangarError {
  return new HangarError({
    code: 'ACCOUNT_NOT_FOUND',
    message: `There is no AWS account “${clip(String(accountId), 64)}” in Hangar.`,
    hint: 'It may have been removed in another window. Refresh the accounts list and pick one that is there.',
  });
}

/** A copy of `error` with parts of its text (or its code) replaced; details, cause and retryability kept. */
function rephrase(error: HangarError, change: { code?: ErrorCode; message?: string; hint?: string }): HangarError {
  const hint = change.hint ?? error.hint;
  return new HangarError({
    code: change.code ?? error.code,
    message: change.message ?? error.message,
    ...(hint === undefined ? {} : { hint }),
    retryable: error.retryable,
    ...(error.details === undefined ? {} : { details: { ...error.details } }),
    cause: error.cause,
  });
}

function networkSuffix(error: HangarError): string {
  const code = error.details?.networkError;
  return typeof code === 'string' ? ` (${code})` : '';
}

const FIELD_NAMES: Record<string, string> = {
  accessKeyId: 'The access key ID',
  secretAccessKey: 'The secret access key',
  sessionToken: 'The session token',
  defaultRegion: 'The default region',
  label: 'The label',
  profile: 'The profile name',
};

/** Schema check at the service edge; messages name the field, never echo the value. */
function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = typeof issue?.path[0] === 'string' ? issue.path[0] : undefined;
  return throwInvalid(field === undefined ? 'Those details' : (FIELD_NAMES[field] ?? `“${field}”`), issue?.message);
}

function throwInvalid(what: string, why: string | undefined): never {
  throw new HangarError({
    code: 'INVALID_ARGUMENT',
    message: `${what} is not valid${why === undefined ? '.' : `: ${why}.`}`,
    hint: 'Copy the value again from the IAM console or your AWS credentials file, then try again.',
  });
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError();
}

/** For steps the SDK cannot cancel (credential providers): stop waiting, let the step finish alone. */
function withAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(cancelledError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
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
