import { z } from 'zod';
import { accountIdSchema, regionNameSchema } from './accounts';
import { instanceIdSchema } from './instance-actions';

/** One command on many instances (issue 16): where, and what. */
export const runCommandInputSchema = z
  .object({
    targets: z
      .array(z.object({ accountId: accountIdSchema, region: regionNameSchema, instanceId: instanceIdSchema, name: z.string().max(256) }).strict())
      .min(1)
      .max(500),
    command: z.string().trim().min(1, 'Type a command to run.').max(10_000),
  })
  .strict();
export type RunCommandInput = z.infer<typeof runCommandInputSchema>;

export const runIdSchema = z.string().regex(/^run-[a-z0-9-]{1,64}$/);

export type RunHostState = 'queued' | 'running' | 'ok' | 'failed' | 'cancelled';

export interface RunHost {
  readonly instanceId: string;
  readonly name: string;
  readonly state: RunHostState;
  readonly exitCode?: number;
  /** The signal that ended the command (e.g. "KILL"), when one did. */
  readonly signal?: string;
  /** Why it could not run at all (no SSH, no key…), with the fix. */
  readonly error?: { readonly message: string; readonly hint?: string };
  /** The latest output (stdout and stderr as a terminal shows them), at most OUTPUT_LIMIT characters. */
  readonly output: string;
  /** Older output was dropped to keep within the limit. */
  readonly truncated: boolean;
}

export interface RunInfo {
  readonly runId: string;
  readonly command: string;
  readonly hosts: readonly RunHost[];
  readonly finished: boolean;
}

/** A piece of one host's output, as it arrives. */
export interface RunOutputEvent {
  readonly runId: string;
  readonly instanceId: string;
  readonly text: string;
}

/** "7 ok, 1 failed" and the like. */
export function runSummary(hosts: readonly Pick<RunHost, 'state'>[]): string {
  const count = (state: RunHostState): number => hosts.filter((h) => h.state === state).length;
  const parts = [
    [count('ok'), 'ok'],
    [count('failed'), 'failed'],
    [count('cancelled'), 'cancelled'],
    [count('running'), 'running'],
    [count('queued'), 'waiting'],
  ] as const;
  return parts
    .filter(([n]) => n > 0)
    .map(([n, word]) => `${n} ${word}`)
    .join(', ');
}
