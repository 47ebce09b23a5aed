import type { ProfileType } from '../../../shared/models/accounts';

/** How each kind of AWS CLI profile is named on screen, and what it means for the user. */
export const PROFILE_TYPE_LABELS: Record<ProfileType, { label: string; description: string }> = {
  static: { label: 'Access key', description: 'A stored access key ID and secret access key.' },
  'assume-role': { label: 'Assume role', description: 'Assumes an IAM role through another profile (role_arn + source_profile).' },
  sso: { label: 'SSO', description: 'IAM Identity Center: signs in through the browser.' },
  process: { label: 'Credential process', description: 'Runs a helper program that prints credentials.' },
  other: { label: 'Other', description: 'Resolved by the AWS SDK’s own providers.' },
};
