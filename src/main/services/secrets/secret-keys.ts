import { HangarError } from '../../../shared/errors/hangar-error';

/**
 * The one naming scheme for entries in the keychain: `<area>:<id>:<kind>`. Keeping it here means a
 * listing can be read back (and old entries found and removed) without guessing how a key was built.
 */

/** The full access key id is kept next to its secret: settings only hold a hint ("AKIA…WXYZ"). */
export function awsAccessKeyIdKey(accountId: string): string {
  return `aws:${segment(accountId, 'AWS account id')}:access-key-id`;
}

export function awsSecretKey(accountId: string): string {
  return `aws:${segment(accountId, 'AWS account id')}:secret-access-key`;
}

export function awsSessionTokenKey(accountId: string): string {
  return `aws:${segment(accountId, 'AWS account id')}:session-token`;
}

export function sshPrivateKey(keyId: string): string {
  return `ssh:${segment(keyId, 'SSH key id')}:private-key`;
}

export function sshPassphrase(keyId: string): string {
  return `ssh:${segment(keyId, 'SSH key id')}:passphrase`;
}

/** The password of the proxy an instance is reached through (issue 19); the user name is in its settings. */
export function sshProxyPassword(instanceId: string): string {
  return `ssh:${segment(instanceId, 'instance id')}:proxy-password`;
}

/** A cluster's internal SSH key (issue 16), installed on its nodes by the set-up. */
export function clusterPrivateKey(clusterName: string): string {
  return `ssh:cluster-${segment(clusterName, 'cluster name')}:private-key`;
}

/** A cluster's munge key (Slurm's shared secret), made once by Hangar and installed on every node. */
export function clusterMungeKey(clusterName: string): string {
  return `ssh:cluster-${segment(clusterName, 'cluster name')}:munge-key`;
}

export type SecretArea = 'aws' | 'ssh';

export interface ParsedSecretKey {
  area: SecretArea;
  id: string;
  kind: string;
}

/** The inverse of the builders above; undefined for anything that does not follow the scheme. */
export function parseSecretKey(key: string): ParsedSecretKey | undefined {
  const match = /^(aws|ssh):([^:]+):([a-z-]+)$/.exec(key);
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  return { area: match[1] as SecretArea, id: match[2], kind: match[3] };
}

const MAX_ID_LENGTH = 128;

// ':' separates the parts; whitespace and control characters would make keys that look alike differ.
function segment(id: string, what: string): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH || /[:\s\p{Cc}]/u.test(id)) {
    throw new HangarError({
      code: 'INVALID_ARGUMENT',
      message: `Invalid ${what}: it must be 1-${MAX_ID_LENGTH} characters without ':' or spaces.`,
    });
  }
  return id;
}
