import { argvCommand } from '../ssh/remote-command';
import type { SshConnection } from '../ssh/ssh-connection';

/** `sha256sum -- <path>` on the instance; undefined when it is not installed or failed. */
export async function remoteSha256(connection: SshConnection, path: string): Promise<string | undefined> {
  const { stdout, code } = await connection.run(argvCommand(['sha256sum', '--', path]), 120_000);
  if (code !== 0) return undefined;
  // Names with a backslash or newline make sha256sum prefix its line with '\'.
  const match = /^\\?([0-9a-f]{64})/.exec(stdout);
  return match?.[1];
}
