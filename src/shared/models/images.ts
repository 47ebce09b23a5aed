import { z } from 'zod';
import type { SerializedError } from '../errors/hangar-error';
import { accountIdSchema, regionNameSchema } from './accounts';
import { instanceIdSchema } from './instance-actions';

/** One EBS snapshot the account owns, as the Images & snapshots screen shows it. */
export interface SnapshotInfo {
  readonly id: string;
  /** The volume it was taken from (often deleted since; copies say vol-ffffffff). */
  readonly volumeId: string;
  readonly volumeSize: number;
  /** pending, completed, error (AWS's words). */
  readonly state: string;
  /** 0–100: how far a pending snapshot has got. */
  readonly progress: number;
  readonly startTime: string | undefined;
  readonly description: string;
  /** Its Name tag. */
  readonly name: string | undefined;
  readonly encrypted: boolean;
  /** Tagged hangar:created-by. */
  readonly createdByHangar: boolean;
  /** The AMI whose block device mapping holds it: it cannot be deleted while that AMI is registered. */
  readonly imageId: string | undefined;
}

/** One AMI the account owns. */
export interface ImageInfo {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** pending, available, failed, … (AWS's words). */
  readonly state: string;
  readonly creationDate: string | undefined;
  readonly architecture: string;
  /** Launchable by any AWS account. */
  readonly isPublic: boolean;
  readonly snapshots: readonly { readonly id: string; readonly size: number }[];
  readonly createdByHangar: boolean;
}

/** A volume a snapshot can be taken of. */
export interface VolumeChoice {
  readonly id: string;
  readonly name: string | undefined;
  readonly size: number;
  readonly type: string;
  readonly state: string;
  readonly availabilityZone: string;
  readonly attachedTo: string | undefined;
}

/** The region's own AMIs, snapshots and volumes; a kind the credentials may not list is left out with its error. */
export interface ImagesOverview {
  readonly images: readonly ImageInfo[];
  readonly snapshots: readonly SnapshotInfo[];
  readonly volumes: readonly VolumeChoice[];
  readonly denied: readonly SerializedError[];
}

/** Who may launch an AMI and create volumes from each of its snapshots. */
export interface ImageSharing {
  readonly imageId: string;
  readonly accountIds: readonly string[];
  readonly isPublic: boolean;
  readonly snapshots: readonly { readonly snapshotId: string; readonly accountIds: readonly string[] }[];
}

/** A volume that terminating its instance deletes (DeleteOnTermination). */
export interface DoomedVolume {
  readonly instanceId: string;
  readonly volumeId: string;
  readonly device: string;
  readonly size: number;
}

export interface DeregisterResult {
  readonly imageId: string;
  readonly deletedSnapshots: readonly string[];
  /** Snapshots left in place, each with why (another AMI uses it, not allowed, …). */
  readonly keptSnapshots: readonly { readonly snapshotId: string; readonly reason: string }[];
}

/** Where a copy went. */
export interface CopyResult {
  readonly id: string;
  readonly region: string;
}

const ACCOUNT_DIGITS = /^\d{12}$/;

/** An AWS account id: 12 digits (parseAccountIds turns the console's 1234-5678-9012 into this). */
export const awsAccountIdSchema = z.string().regex(ACCOUNT_DIGITS, 'An AWS account ID is 12 digits, such as 123456789012.');

/**
 * The account ids typed in a field (separated by commas, spaces or new lines), or what is wrong with them. Every
 * id must be 12 digits; the dashes the console shows (1234-5678-9012) are dropped.
 */
export function parseAccountIds(text: string): { ids: string[]; problem: string | undefined } {
  const parts = text
    .split(/[\s,;]+/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const ids: string[] = [];
  for (const part of parts) {
    const digits = part.replace(/-/g, '');
    if (!ACCOUNT_DIGITS.test(digits)) return { ids: [], problem: `“${part}” is not an AWS account ID: an account ID is 12 digits, such as 123456789012.` };
    if (!ids.includes(digits)) ids.push(digits);
  }
  if (ids.length === 0) return { ids, problem: 'Type the 12-digit AWS account ID of each account to share with.' };
  return { ids, problem: undefined };
}

// EC2's rule for AMI names: 3–128 of letters, digits and ( ) [ ] space . / - ' @ _.
export const amiNameSchema = z
  .string()
  .trim()
  .min(3, 'An AMI name is at least 3 characters.')
  .max(128, 'An AMI name is at most 128 characters.')
  .regex(/^[A-Za-z0-9()[\] ./'@_-]+$/, "An AMI name may contain letters, digits, spaces and ( ) [ ] . / - ' @ _ only.");

const snapshotIdSchema = z.string().regex(/^snap-[0-9a-f]{8,17}$/);
const imageIdSchema = z.string().regex(/^ami-[0-9a-f]{8,17}$/);
const descriptionSchema = z.string().max(255);
const scope = { accountId: accountIdSchema, region: regionNameSchema };

export const createSnapshotInputSchema = z
  .object({ ...scope, volumeId: z.string().regex(/^vol-[0-9a-f]{8,17}$/), description: descriptionSchema, name: z.string().trim().max(255).optional() })
  .strict();
export type CreateSnapshotInput = z.infer<typeof createSnapshotInputSchema>;

export const snapshotInputSchema = z.object({ ...scope, snapshotId: snapshotIdSchema }).strict();
export type SnapshotInput = z.infer<typeof snapshotInputSchema>;

export const copySnapshotInputSchema = z.object({ ...scope, snapshotId: snapshotIdSchema, destinationRegion: regionNameSchema, description: descriptionSchema.optional() }).strict();
export type CopySnapshotInput = z.infer<typeof copySnapshotInputSchema>;

export const RESTORE_VOLUME_TYPES = ['gp3', 'gp2', 'io1', 'io2', 'st1', 'sc1', 'standard'] as const;
export const restoreSnapshotInputSchema = z
  .object({
    ...scope,
    snapshotId: snapshotIdSchema,
    availabilityZone: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/),
    volumeType: z.enum(RESTORE_VOLUME_TYPES),
    /** GiB; default the snapshot's size. */
    sizeGiB: z.number().int().min(1).max(65536).optional(),
  })
  .strict();
export type RestoreSnapshotInput = z.infer<typeof restoreSnapshotInputSchema>;

export const createImageInputSchema = z
  .object({ ...scope, instanceId: instanceIdSchema, name: amiNameSchema, description: descriptionSchema, noReboot: z.boolean() })
  .strict();
export type CreateImageInput = z.infer<typeof createImageInputSchema>;

export const imageInputSchema = z.object({ ...scope, imageId: imageIdSchema }).strict();
export type ImageInput = z.infer<typeof imageInputSchema>;

export const shareImageInputSchema = z.object({ ...scope, imageId: imageIdSchema, accountIds: z.array(awsAccountIdSchema).min(1).max(100) }).strict();
export type ShareImageInput = z.infer<typeof shareImageInputSchema>;

export const copyImageInputSchema = z.object({ ...scope, imageId: imageIdSchema, destinationRegion: regionNameSchema, name: amiNameSchema }).strict();
export type CopyImageInput = z.infer<typeof copyImageInputSchema>;

export const deregisterImageInputSchema = z.object({ ...scope, imageId: imageIdSchema, deleteSnapshots: z.boolean() }).strict();
export type DeregisterImageInput = z.infer<typeof deregisterImageInputSchema>;

export const instancesInputSchema = z.object({ ...scope, instanceIds: z.array(instanceIdSchema).min(1).max(100) }).strict();
export type InstancesInput = z.infer<typeof instancesInputSchema>;

/** "Reboot" vs "No reboot" for Create image, in plain words (shown before anything runs). */
export const REBOOT_CHOICES = {
  reboot:
    'Reboot (recommended): a consistent filesystem. AWS restarts the instance while it takes the snapshots, so every file is written to disk and the image starts cleanly; the instance is down for a minute or two.',
  noReboot:
    'No reboot: no downtime, but files being written at that moment may be caught half-written (as if the power were cut), so the image may need a disk check when it starts.',
} as const;
