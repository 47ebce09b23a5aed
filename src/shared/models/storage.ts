import { z } from 'zod';
import type { SerializedError } from '../errors/hangar-error';
import { accountIdSchema, regionNameSchema } from './accounts';
import { instanceIdSchema } from './instance-actions';

/** Where an EBS change stands (DescribeVolumesModifications). */
export interface VolumeModificationInfo {
  /** modifying → optimizing (the new size is usable) → completed; or failed. */
  readonly state: 'modifying' | 'optimizing' | 'completed' | 'failed';
  readonly progress: number;
  readonly originalSize: number;
  readonly targetSize: number;
  readonly targetType: string;
  readonly targetIops: number | undefined;
  readonly targetThroughput: number | undefined;
  readonly startTime: string | undefined;
  readonly endTime: string | undefined;
}

/** A filesystem (or a partition without one) of a volume, as the OS sees it. */
export interface OsFilesystem {
  /** /dev/nvme1n1p1, /dev/xvdf, … */
  readonly device: string;
  /** Partition number on its disk; undefined for a filesystem on the whole disk. */
  readonly partition: number | undefined;
  readonly fsType: string | undefined;
  readonly mountPoint: string | undefined;
  /** From df, for mounted filesystems. */
  readonly sizeBytes: number | undefined;
  readonly usedBytes: number | undefined;
  readonly availBytes: number | undefined;
  /** The partition (or whole-disk filesystem) itself, from lsblk. */
  readonly blockBytes: number;
}

/** How Hangar told which OS disk a volume is. */
export type DiskMatch = 'serial' | 'name' | 'size';

/** One EBS volume of an instance, with what the OS says about it when SSH works. */
export interface StorageVolume {
  readonly id: string;
  /** The device name AWS uses (/dev/sda1, /dev/xvda, /dev/sdf). */
  readonly awsDevice: string;
  readonly isRoot: boolean;
  readonly sizeGiB: number;
  readonly type: string;
  readonly iops: number | undefined;
  readonly throughput: number | undefined;
  readonly encrypted: boolean;
  readonly deleteOnTermination: boolean;
  readonly availabilityZone: string;
  readonly snapshotId: string | undefined;
  readonly name: string | undefined;
  /** The OS disk (/dev/nvme1n1), and how it was matched: NVMe serial = volume id, Xen name, or by size alone. */
  readonly osDisk: { readonly path: string; readonly matchedBy: DiskMatch; readonly sizeBytes: number } | undefined;
  readonly filesystems: readonly OsFilesystem[];
  /** The latest change, while it runs or once done. */
  readonly modification: VolumeModificationInfo | undefined;
  /** Changes started in the last 24 hours (EBS allows four). */
  readonly changesToday: number;
  /** When the next change is allowed, if not now. */
  readonly nextChangeAt: string | undefined;
}

/** The OS side of the storage view: reached over SSH or why not. */
export interface OsStorage {
  /** ID from /etc/os-release (ubuntu, amzn, debian, rhel, …). */
  readonly distro: string | undefined;
  readonly isRoot: boolean;
  readonly hasSudo: boolean;
  readonly hasGrowpart: boolean;
}

export interface StorageView {
  readonly instanceId: string;
  readonly availabilityZone: string;
  readonly instanceState: string;
  readonly volumes: readonly StorageVolume[];
  readonly os: OsStorage | undefined;
  /** Why the OS side is missing (not running, SSH failed). */
  readonly osError: SerializedError | undefined;
}

/** Past this share of a filesystem in use, the view warns "nearly full: grow it". */
export const NEARLY_FULL = 0.9;

export function usedShare(fs: OsFilesystem): number | undefined {
  if (fs.sizeBytes === undefined || fs.usedBytes === undefined || fs.sizeBytes === 0) return undefined;
  return fs.usedBytes / fs.sizeBytes;
}

/** EBS limits the grow form checks before AWS does. */
export const VOLUME_LIMITS: Readonly<Record<string, { minGiB: number; maxGiB: number }>> = {
  gp3: { minGiB: 1, maxGiB: 16384 },
  gp2: { minGiB: 1, maxGiB: 16384 },
  io1: { minGiB: 4, maxGiB: 16384 },
  io2: { minGiB: 4, maxGiB: 65536 },
  st1: { minGiB: 125, maxGiB: 16384 },
  sc1: { minGiB: 125, maxGiB: 16384 },
};

/** What is wrong with a new size for a volume, or undefined. Volumes only grow. */
export function growSizeProblem(currentGiB: number, raw: string, type: string): string | undefined {
  const trimmed = raw.trim();
  if (!/^\d+$/.test(trimmed)) return 'Enter a whole number of GiB.';
  const size = Number(trimmed);
  const limits = VOLUME_LIMITS[type] ?? { minGiB: 1, maxGiB: 16384 };
  if (size < currentGiB) return `A volume can only grow: enter more than ${currentGiB} GiB.`;
  if (size > limits.maxGiB) return `A ${type} volume can be at most ${limits.maxGiB} GiB.`;
  if (size < limits.minGiB) return `A ${type} volume is at least ${limits.minGiB} GiB.`;
  return undefined;
}

/** gp3's IOPS and throughput ranges (what the form offers). */
export const GP3 = { minIops: 3000, maxIops: 16000, minThroughput: 125, maxThroughput: 1000 } as const;

/** A mount point: an absolute path, no spaces or odd characters (it goes into /etc/fstab). */
export function mountPointProblem(raw: string): string | undefined {
  if (!raw.startsWith('/')) return 'A mount point is an absolute path, such as /data.';
  if (raw === '/' || /^\/(boot|etc|usr|bin|sbin|lib|lib64|proc|sys|dev|run|var)(\/|$)/.test(raw)) return `${raw} belongs to the system; choose a folder such as /data.`;
  if (!/^(\/[A-Za-z0-9._-]+)+$/.test(raw)) return 'Use letters, digits, dots, dashes and underscores only, such as /data or /mnt/work.';
  return undefined;
}

const scope = { accountId: accountIdSchema, region: regionNameSchema };
const volumeIdSchema = z.string().regex(/^vol-[0-9a-f]{8,17}$/);
const volumeTypeSchema = z.enum(['gp3', 'gp2', 'io1', 'io2', 'st1', 'sc1']);

export const storageInstanceSchema = z.object({ ...scope, instanceId: instanceIdSchema }).strict();
export type StorageInstance = z.infer<typeof storageInstanceSchema>;

/** Grow (and/or retype) a volume, then grow its partition and filesystem over SSH when it grew. */
export const growVolumeInputSchema = z
  .object({
    ...scope,
    instanceId: instanceIdSchema,
    volumeId: volumeIdSchema,
    sizeGiB: z.number().int().min(1).max(65536),
    type: volumeTypeSchema.optional(),
    iops: z.number().int().min(100).max(256000).optional(),
    throughput: z.number().int().min(125).max(2000).optional(),
    /** Grow the partition and filesystem too (default true). */
    growFilesystem: z.boolean().optional(),
    /** Install growpart with the distribution's package manager when it is missing. */
    installGrowpart: z.boolean().optional(),
  })
  .strict();
export type GrowVolumeInput = z.infer<typeof growVolumeInputSchema>;

/** Grow the partition and filesystem of a volume that already grew (e.g. after a failed first try). */
export const growFilesystemInputSchema = z
  .object({ ...scope, instanceId: instanceIdSchema, volumeId: volumeIdSchema, installGrowpart: z.boolean().optional() })
  .strict();
export type GrowFilesystemInput = z.infer<typeof growFilesystemInputSchema>;

export const addVolumeInputSchema = z
  .object({
    ...scope,
    instanceId: instanceIdSchema,
    sizeGiB: z.number().int().min(1).max(65536),
    type: volumeTypeSchema,
    snapshotId: z.string().regex(/^snap-[0-9a-f]{8,17}$/).optional(),
    name: z.string().trim().max(255).optional(),
    /** Format (erases it) and mount: only for an empty volume. */
    format: z
      .object({ fsType: z.enum(['ext4', 'xfs']), mountPoint: z.string().max(200).refine((m) => mountPointProblem(m) === undefined, 'Not a usable mount point') })
      .strict()
      .optional(),
  })
  .strict();
export type AddVolumeInput = z.infer<typeof addVolumeInputSchema>;

export const volumeInputSchema = z.object({ ...scope, instanceId: instanceIdSchema, volumeId: volumeIdSchema }).strict();
export type VolumeInput = z.infer<typeof volumeInputSchema>;

export const deleteOnTerminationInputSchema = z.object({ ...scope, instanceId: instanceIdSchema, volumeId: volumeIdSchema, deleteOnTermination: z.boolean() }).strict();
export type DeleteOnTerminationInput = z.infer<typeof deleteOnTerminationInputSchema>;

/** Progress of a storage job (grow, add, detach), step by step. */
export interface StorageProgress {
  readonly instanceId: string;
  readonly volumeId: string;
  readonly step: string;
  readonly modification?: VolumeModificationInfo | undefined;
}

/** What growing the filesystem did, command by command (shown; kept so a failure can be copied and run by hand). */
export interface GrowResult {
  readonly volume: StorageVolume | undefined;
  readonly commands: readonly string[];
  /** df's size of the filesystem before and after. */
  readonly beforeBytes: number | undefined;
  readonly afterBytes: number | undefined;
}

/** One type an instance could change to, with why not when it cannot. */
export interface TypeChoice {
  readonly instanceType: string;
  readonly vcpus: number;
  readonly memoryMiB: number;
  readonly gpus: number;
  readonly gpuModel: string | undefined;
  readonly pricePerHour: number | undefined;
  readonly family: string;
  /** Undefined when it fits; else why not (architecture, ENA/NVMe drivers, not offered in the zone). */
  readonly unavailable: string | undefined;
}

/** What Change type… shows: the type now, its price, and every type of the architecture offered in the region. */
export interface TypeChangeChoices {
  readonly instanceId: string;
  readonly state: string;
  readonly availabilityZone: string;
  readonly architecture: string;
  readonly current: TypeChoice | undefined;
  readonly currentType: string;
  /** The instance (its AMI) has the ENA driver: Nitro types need it, and NVMe for their disks. */
  readonly enaSupport: boolean;
  readonly choices: readonly TypeChoice[];
}

export const changeTypeInputSchema = z
  .object({
    ...scope,
    instanceId: instanceIdSchema,
    instanceType: z.string().regex(/^[a-z0-9-]+\.[a-z0-9-]+$/, 'Not an instance type'),
    /** A running instance is stopped, changed and started again (asked first in the UI). */
    restart: z.boolean(),
  })
  .strict();
export type ChangeTypeInput = z.infer<typeof changeTypeInputSchema>;

export interface TypeChangeResult {
  readonly instanceId: string;
  readonly from: string;
  readonly to: string;
  /** running when it was started again, else stopped. */
  readonly state: string;
}
