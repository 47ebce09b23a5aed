import { z } from 'zod';
import { accountIdSchema, regionNameSchema } from './accounts';
import { clusterNameSchema } from './cluster';

const ref = { accountId: accountIdSchema, region: regionNameSchema, clusterName: clusterNameSchema };

export const slurmClusterSchema = z.object(ref).strict();
export type SlurmCluster = z.infer<typeof slurmClusterSchema>;

/** 90, 1:30:00, 2-00:00:00: what sbatch --time takes (minutes, h:mm:ss, d-hh:mm:ss). */
export const TIME_LIMIT = /^(\d{1,5}|\d{1,3}:\d{2}:\d{2}|\d{1,3}-\d{1,2}:\d{2}:\d{2})$/;

export const slurmSubmitSchema = z
  .object({
    ...ref,
    /** The script's text (read from the file the user picked) and its file name. */
    script: z.string().min(1, 'The script is empty.').max(64 * 1024, 'A job script is at most 64 KiB; put data in files next to it.'),
    fileName: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'Use letters, digits, dots, dashes and underscores in the file name.'),
    jobName: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'Use letters, digits, dots, dashes and underscores (up to 64).').optional(),
    nodes: z.number().int().min(1).max(64),
    gpusPerNode: z.number().int().min(0).max(16),
    timeLimit: z.string().regex(TIME_LIMIT, 'Give minutes (90), h:mm:ss (1:30:00) or d-hh:mm:ss.').optional(),
  })
  .strict();
export type SlurmSubmit = z.infer<typeof slurmSubmitSchema>;

export const slurmJobRefSchema = z.object({ ...ref, jobId: z.string().regex(/^\d{1,10}$/) }).strict();
export type SlurmJobRef = z.infer<typeof slurmJobRefSchema>;

/** A job as squeue / scontrol show it. */
export interface SlurmJob {
  readonly id: string;
  readonly name: string;
  /** PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, … (Slurm's words). */
  readonly state: string;
  readonly user: string;
  readonly elapsed: string;
  readonly timeLimit: string;
  readonly nodes: string;
  /** Where it runs, or why it waits. */
  readonly where: string;
  readonly exitCode: string | undefined;
  /** Its output file on the cluster. */
  readonly stdout: string | undefined;
}

export interface SlurmJobs {
  readonly queue: readonly SlurmJob[];
  /** Jobs that ended (what the controller still remembers, or sacct when accounting is on). */
  readonly finished: readonly SlurmJob[];
}

/** Validates a time limit as typed; undefined when fine or empty. */
export function timeLimitProblem(raw: string): string | undefined {
  const t = raw.trim();
  if (t === '') return undefined;
  return TIME_LIMIT.test(t) ? undefined : 'Give minutes (90), h:mm:ss (1:30:00) or d-hh:mm:ss.';
}
