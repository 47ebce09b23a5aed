import type { SshConnection } from '../ssh/ssh-connection';
import { shellQuote } from '../ssh/shell-quote';

/**
 * Runs a fixed script in a login shell, so PATH includes what /etc/profile and ~/.profile add (conda,
 * the Deep Learning AMI's environments, ~/.local/bin). Values go in as positional parameters ($1, $2, …),
 * never spliced into the script. bash when the instance has it, else sh.
 */
export async function runLoginShell(
  connection: SshConnection,
  script: string,
  args: readonly string[] = [],
  timeoutMs = 30_000,
): Promise<{ stdout: string; code: number | undefined }> {
  const result = await connection.run(shellQuote(['bash', '-lc', script, 'hangar', ...args]), timeoutMs);
  if (result.code !== 127 || result.stdout !== '') return result;
  return connection.run(shellQuote(['sh', '-lc', script, 'hangar', ...args]), timeoutMs);
}
