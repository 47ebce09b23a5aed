import { HangarError } from '../../../shared/errors/hangar-error';
import type { InstanceRef } from '../../../shared/models/transfers';
import type { ConnectionManager } from '../ssh/create-connection-manager';
import type { SshConnection } from '../ssh/ssh-connection';

/** Borrows the instance's shared connection for `fn`, releasing it after; raw ssh2 failures become CONNECTION_LOST. */
export async function withConnection<T>(
  connections: Pick<ConnectionManager, 'acquire'>,
  ref: InstanceRef,
  signal: AbortSignal | undefined,
  fn: (connection: SshConnection) => Promise<T>,
): Promise<T> {
  const { connection } = await connections.acquire(ref, signal);
  try {
    return await fn(connection);
  } catch (error) {
    if (error instanceof HangarError) throw error;
    // Raw ssh2 / channel failures (the link dropped mid-probe, a command timed out) are mapped here, at the edge.
    throw new HangarError({
      code: 'CONNECTION_LOST',
      message: `The instance stopped answering while Hangar was looking for its servers (${error instanceof Error ? error.message : String(error)}).`,
      hint: 'Try again. If it keeps happening, open a terminal on the instance to check that it responds.',
      retryable: true,
      cause: error,
    });
  } finally {
    connection.release();
  }
}
