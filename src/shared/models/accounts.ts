import { z } from 'zod';

/** How Hangar gets credentials for an account. Secrets are never part of these shapes. */
export type AccountSource =
  | {
      readonly kind: 'keys';
      /** e.g. "AKIA…WXYZ": enough to recognise the key, not to use it. The full id lives in the keychain. */
      readonly accessKeyIdHint: string;
      readonly hasSessionToken: boolean;
    }
  | {
      readonly kind: 'profile';
      /** A profile from ~/.aws/config or ~/.aws/credentials, resolved by the SDK's own providers. */
      readonly profile: string;
      readonly profileType: ProfileType;
    };

export type ProfileType = 'static' | 'assume-role' | 'sso' | 'process' | 'other';

export interface AccountSummary {
  /** Hangar's own id for this entry (not the AWS account id: one AWS account may be added twice). */
  readonly id: string;
  readonly label: string;
  readonly source: AccountSource;
  /** From STS GetCallerIdentity when the account was added or last verified. */
  readonly awsAccountId?: string;
  readonly arn?: string;
  readonly defaultRegion: string;
  readonly active: boolean;
  /** ISO 8601. */
  readonly addedAt: string;
}

export interface ProfileCandidate {
  readonly name: string;
  readonly type: ProfileType;
  readonly region?: string;
  /** For SSO profiles: where the browser login happens. */
  readonly ssoStartUrl?: string;
  /** An account entry already uses this profile. */
  readonly alreadyAdded: boolean;
}

export const accessKeyIdSchema = z.string().trim().regex(/^(AKIA|ASIA)[A-Z0-9]{12,124}$/, 'an access key ID starts with AKIA or ASIA followed by capital letters and digits');
export const regionNameSchema = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'an AWS region name such as us-east-1');
export const accountIdSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);

export const addAccountInputSchema = z
  .object({
    label: z.string().trim().max(80).optional(),
    accessKeyId: accessKeyIdSchema,
    secretAccessKey: z.string().trim().min(16, 'a secret access key is 40 characters long').max(256),
    sessionToken: z.string().trim().max(4096).optional(),
    defaultRegion: regionNameSchema.optional(),
  })
  .strict();
export type AddAccountInput = z.infer<typeof addAccountInputSchema>;

export const importProfileInputSchema = z
  .object({
    profile: z.string().min(1).max(128),
    label: z.string().trim().max(80).optional(),
  })
  .strict();
export type ImportProfileInput = z.infer<typeof importProfileInputSchema>;
