import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { HangarError } from '../../../shared/errors/hangar-error';
import { regionNameSchema, type ProfileCandidate, type ProfileType } from '../../../shared/models/accounts';
import { clip, nonEmpty } from './account-text';
import { DEFAULT_REGION } from './caller-identity';

export type IniSection = Record<string, string | undefined>;

/** One profile of the AWS CLI files, as Hangar sees it (the SDK's providers read the files themselves). */
export interface ProfileEntry {
  readonly name: string;
  readonly data: IniSection;
  readonly type: ProfileType;
  readonly region: string | undefined;
  readonly ssoStartUrl: string | undefined;
}

/** Where the AWS CLI files are; a path left out means the SDK's default. */
export interface AwsConfigFileLocations {
  credentialsPath?: string;
  configPath?: string;
}

/** The profiles of `~/.aws/config` and `~/.aws/credentials` (or the files Hangar was pointed at). */
export interface AwsProfiles {
  /** The file options for the SDK's loaders and providers. */
  readonly fileInit: { filepath?: string; configFilepath?: string };
  /** Every profile, read afresh. */
  load(): Promise<Map<string, ProfileEntry>>;
  /** The profiles as the import list shows them: `default` first, then by name. */
  candidates(alreadyAdded: ReadonlySet<string>): Promise<ProfileCandidate[]>;
  /** "~/.aws/config or ~/.aws/credentials", with the paths really in use. */
  filesLabel(): string;
  notFound(profile: string): HangarError;
}

export function createAwsProfiles(locations: AwsConfigFileLocations | undefined): AwsProfiles {
  const fileInit = {
    ...(locations?.credentialsPath === undefined ? {} : { filepath: locations.credentialsPath }),
    ...(locations?.configPath === undefined ? {} : { configFilepath: locations.configPath }),
  };

  function filesLabel(): string {
    const config = locations?.configPath ?? process.env.AWS_CONFIG_FILE ?? '~/.aws/config';
    const credentials = locations?.credentialsPath ?? process.env.AWS_SHARED_CREDENTIALS_FILE ?? '~/.aws/credentials';
    return `${config} or ${credentials}`;
  }

  async function load(): Promise<Map<string, ProfileEntry>> {
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

  return {
    fileInit,
    load,
    filesLabel,

    async candidates(alreadyAdded) {
      const profiles = await load();
      return [...profiles.values()]
        .map(
          (entry): ProfileCandidate => ({
            name: entry.name,
            type: entry.type,
            ...(entry.region === undefined ? {} : { region: entry.region }),
            ...(entry.ssoStartUrl === undefined ? {} : { ssoStartUrl: entry.ssoStartUrl }),
            alreadyAdded: alreadyAdded.has(entry.name),
          }),
        )
        .sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));
    },

    notFound(profile) {
      return new HangarError({
        code: 'AWS_PROFILE_INVALID',
        message: `There is no AWS profile “${clip(profile, 128)}” in ${filesLabel()}.`,
        hint: 'Check the name (`aws configure list-profiles` lists them), or create it with `aws configure --profile NAME` or `aws configure sso`.',
        details: { profile: clip(profile, 128) },
      });
    },
  };
}

/** The profile's own region when it is a valid one, else us-east-1. */
export function profileRegion(entry: ProfileEntry): string {
  return entry.region !== undefined && regionNameSchema.safeParse(entry.region).success ? entry.region : DEFAULT_REGION;
}

/** The SSO profile a profile's credentials come from: itself, or the end of its source_profile chain. */
export function ssoOrigin(entry: ProfileEntry, profiles: Map<string, ProfileEntry>): ProfileEntry | undefined {
  let current: ProfileEntry | undefined = entry;
  for (let hops = 0; current && hops < 10; hops++) {
    if (current.type === 'sso') return current;
    const source: string | undefined = current.data.source_profile;
    current = source === undefined || source === current.name ? undefined : profiles.get(source);
  }
  return undefined;
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
