import type { RemoteHost } from './remote-host';

/**
 * Runs a fixed script in a login shell, so PATH includes what /etc/profile and ~/.profile add (conda,
 * the Deep Learning AMI's environments, ~/.local/bin). Values go in as positional parameters ($1, $2, …),
 * never spliced into the script. bash when the instance has it, else sh — never the user's own login shell,
 * whose syntax may not be sh's (fish, csh).
 */
export async function runLoginShell(
  connection: Pick<RemoteHost, 'run'>,
  script: string,
  args: readonly string[] = [],
  timeoutMs = 30_000,
): Promise<{ stdout: string; code: number | undefined }> {
  const result = await connection.run({ script: 'exec bash -lc "$@"', args: [script, 'hangar', ...args] }, timeoutMs);
  if (result.code !== 127 || result.stdout !== '') return result;
  return connection.run({ script: 'exec sh -lc "$@"', args: [script, 'hangar', ...args] }, timeoutMs);
}
