import { z } from 'zod';
import { accountIdSchema, regionNameSchema } from './accounts';
import { instanceIdSchema } from './instance-actions';
import { grantIdSchema } from './local-grants';

/** Which instance a file operation, transfer or tunnel is about. */
export const instanceRefSchema = z
  .object({
    accountId: accountIdSchema,
    region: regionNameSchema,
    instanceId: instanceIdSchema,
    /** Set after the user accepted an unverified host key (same meaning as for terminals). */
    acceptHostKey: z.string().max(100).optional(),
    /** 'instance-connect': sign in with a one-minute key pushed by EC2 Instance Connect, even if a key is held. */
    access: z.enum(['instance-connect']).optional(),
  })
  .strict();
export type InstanceRef = z.infer<typeof instanceRefSchema>;

/** A local or remote path. Remote paths are POSIX; newlines and quotes are allowed (never interpolated). */
export const pathSchema = z.string().min(1).max(4096).refine((p) => !p.includes('\0'), 'A path cannot contain NUL.');

/** What to do when the destination already has a different file of the same name. */
export const conflictDecisionSchema = z.enum(['overwrite', 'skip', 'rename', 'newer']);
export type ConflictDecision = z.infer<typeof conflictDecisionSchema>;
export const conflictPolicySchema = z.enum(['ask', 'overwrite', 'skip', 'rename', 'newer']);
export type ConflictPolicy = z.infer<typeof conflictPolicySchema>;

export const startUploadInputSchema = z
  .object({
    instance: instanceRefSchema,
    /** Files and folders on this computer, as grants from the picker or a drop; folders are sent recursively. */
    grants: z.array(grantIdSchema).min(1).max(10_000),
    /** Remote folder that receives them (absolute, or relative to the login user's home). */
    remoteDir: pathSchema,
    conflict: conflictPolicySchema.optional(),
    /** Also compare SHA-256 with `sha256sum` on the instance after each file. */
    verifyChecksums: z.boolean().optional(),
  })
  .strict();
export type StartUploadInput = z.infer<typeof startUploadInputSchema>;

export const startDownloadInputSchema = z
  .object({
    instance: instanceRefSchema,
    /** Remote files and folders; folders are fetched recursively. */
    remotePaths: z.array(pathSchema).min(1).max(10_000),
    /** The local folder that receives them: a folder grant (pickDownloadFolder). */
    localDirGrant: grantIdSchema,
    conflict: conflictPolicySchema.optional(),
    verifyChecksums: z.boolean().optional(),
  })
  .strict();
export type StartDownloadInput = z.infer<typeof startDownloadInputSchema>;

export type TransferDirection = 'upload' | 'download';

/**
 * queued → running ⇄ paused; running → waiting (connection lost: reconnecting; or a conflict to answer) → running;
 * running → completed | failed | cancelled. A job with failed files completes with `failures` listed.
 */
export type TransferState = 'queued' | 'running' | 'waiting' | 'paused' | 'completed' | 'failed' | 'cancelled';

export interface TransferFailure {
  /** Path relative to the job's source (what the user recognises). */
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

/** A question for the user: the destination already holds another version of this file. */
export interface TransferConflict {
  readonly path: string;
  readonly destination: string;
  readonly sourceSize: number;
  readonly sourceMtimeMs: number;
  readonly destinationSize: number;
  readonly destinationMtimeMs: number;
}

export interface TransferJob {
  readonly jobId: string;
  readonly direction: TransferDirection;
  readonly instance: Omit<InstanceRef, 'acceptHostKey'>;
  /** "instance name" as known when the job started. */
  readonly instanceName: string;
  /** What the user picked (local paths for uploads, remote ones for downloads). */
  readonly sources: readonly string[];
  /** Folder the items go into. */
  readonly destination: string;
  readonly state: TransferState;
  /** How the bytes travel, chosen per job by size profile: pipelined SFTP, or a tar stream into `tar -x`. */
  readonly strategy?: 'sftp' | 'tar';
  /** Totals grow while the folder walk is still going (`counting` true). */
  readonly counting: boolean;
  readonly totalFiles: number;
  readonly totalBytes: number;
  readonly doneFiles: number;
  readonly doneBytes: number;
  /** Files left alone: identical already, or skipped by a conflict decision. */
  readonly skippedFiles: number;
  /**
   * Checksums were asked for but the instance has no `sha256sum`: these files arrived (sizes checked) and
   * were not compared. Not a failure, and not a match either.
   */
  readonly unverifiedFiles?: number;
  readonly currentFile?: string;
  readonly bytesPerSecond: number;
  readonly etaSeconds?: number;
  readonly failures: readonly TransferFailure[];
  readonly conflict?: TransferConflict;
  /** Why the job stopped or waits (connection lost, disk full, …). */
  readonly error?: { readonly code: string; readonly message: string; readonly hint?: string };
  readonly verifyChecksums: boolean;
  readonly createdAt: string;
  readonly finishedAt?: string;
}

export const conflictAnswerSchema = z.object({ decision: conflictDecisionSchema, applyToAll: z.boolean() }).strict();
export type ConflictAnswer = z.infer<typeof conflictAnswerSchema>;

/** One entry of a remote folder. */
export interface RemoteEntry {
  readonly name: string;
  readonly kind: 'file' | 'directory' | 'symlink' | 'other';
  /** For symlinks: what the target is, when it could be read. */
  readonly targetKind?: 'file' | 'directory' | 'other';
  readonly size: number;
  readonly mtimeMs: number;
  /** Permission bits (e.g. 0o755). */
  readonly mode: number;
  /** "drwxr-xr-x" */
  readonly permissions: string;
}

export interface RemoteListing {
  /** Absolute, normalised. */
  readonly path: string;
  readonly entries: readonly RemoteEntry[];
}
