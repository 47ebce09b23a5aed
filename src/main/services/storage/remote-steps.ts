import { HangarError } from '../../../shared/errors/hangar-error';
import type { SshConnection } from '../ssh/ssh-connection';
import { parseProbe, PROBE_SCRIPT, type OsSnapshot } from './block-devices';
import { stepText, type PlanStep } from './grow-plan';

/** How long one storage command may run (mkfs and resize2fs of a big volume take a while). */
const STEP_TIMEOUT_MS = 5 * 60_000;

/** lsblk, df and who we are on the instance. */
export async function probeOs(connection: SshConnection, signal?: AbortSignal): Promise<OsSnapshot> {
  const { stdout } = await connection.run({ script: PROBE_SCRIPT }, 30_000, signal);
  return parseProbe(stdout);
}

/** Refuses before anything runs when the user is neither root nor allowed `sudo -n`, with the commands to copy. */
export function requireSudo(os: OsSnapshot, steps: readonly PlanStep[], what: string): void {
  if (os.hasSudo) return;
  throw new HangarError({
    code: 'STORAGE_NO_SUDO',
    message: `${what} needs root, and this user may not use sudo without a password; nothing was changed.`,
    hint: `Run these in a terminal on the instance:\n${steps.map((s) => stepText(s, true)).join('\n')}`,
    details: { commands: steps.map((s) => stepText(s, true)).join('\n') },
  });
}

/** Runs one step (as root, or with sudo -n), stderr folded into its output; a failure names the command and what it said. */
export async function runStep(connection: SshConnection, os: OsSnapshot, step: PlanStep, signal?: AbortSignal): Promise<string> {
  const argv = os.isRoot ? step.argv : ['sudo', '-n', ...step.argv];
  const { stdout, code } = await connection.run({ script: 'exec 2>&1; "$@"', args: argv }, STEP_TIMEOUT_MS, signal);
  if (!(step.okCodes ?? [0]).includes(code ?? -1)) {
    const said = stdout.trim().split('\n').slice(-4).join(' ').slice(0, 400);
    throw new HangarError({
      code: 'STORAGE_COMMAND_FAILED',
      message: `${step.label} failed${code === undefined ? '' : ` (exit ${code})`}: ${said || 'no output'}`,
      hint: `The command was: ${stepText(step, !os.isRoot)}`,
      details: { command: stepText(step, !os.isRoot) },
    });
  }
  return stdout;
}
