import { z } from 'zod';

/**
 * A transfer job as kept across restarts (issue 5) in the queue's own file (queue-store.ts): enough to
 * walk the sources again and continue. Files already at the destination with the same size and mtime are
 * skipped on resume; a partly sent file continues from its temporary name's length (never past
 * `partial.ackedBytes`, the contiguous prefix the far side confirmed).
 */
export const transferRecordSchema = z.object({
  jobId: z.string().min(1).max(64),
  direction: z.enum(['upload', 'download']),
  instance: z.object({ accountId: z.string().max(64), region: z.string().max(32), instanceId: z.string().max(32) }),
  instanceName: z.string().max(256),
  sources: z.array(z.string().max(4096)).max(10_000),
  destination: z.string().max(4096),
  conflict: z.enum(['ask', 'overwrite', 'skip', 'rename', 'newer']),
  verifyChecksums: z.boolean(),
  state: z.enum(['queued', 'running', 'waiting', 'paused', 'completed', 'failed', 'cancelled']),
  strategy: z.enum(['sftp', 'tar']).optional(),
  totalFiles: z.number().int().min(0),
  totalBytes: z.number().min(0),
  doneFiles: z.number().int().min(0),
  doneBytes: z.number().min(0),
  skippedFiles: z.number().int().min(0),
  /** Files kept without a checksum comparison because the instance has no sha256sum. */
  unverifiedFiles: z.number().int().min(0).optional(),
  failures: z
    .array(z.object({ path: z.string().max(4096), code: z.string().max(64), message: z.string().max(2000) }))
    .max(1000),
  error: z.object({ code: z.string().max(64), message: z.string().max(2000), hint: z.string().max(2000).optional() }).optional(),
  partial: z.object({ path: z.string().max(4096), ackedBytes: z.number().min(0) }).optional(),
  /** Retry only these (relative paths) — set by "retry failed". */
  only: z.array(z.string().max(4096)).max(1000).optional(),
  createdAt: z.string(),
  finishedAt: z.string().optional(),
});
export type TransferRecord = z.infer<typeof transferRecordSchema>;
