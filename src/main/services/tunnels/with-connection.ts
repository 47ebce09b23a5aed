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
    // Raw ssh2 / channel failures (the link dropped mid-probe, a command timed out) are mapped here, at the edge.
    throw lostWhileLooking(error, 'ssh');
  } finally {
    connection.release();
  }
}

/** A raw failure while probing the instance for its servers, said as CONNECTION_LOST; HangarErrors pass as they are. */
export function lostWhileLooking(error: unknown, via: 'ssh' | 'session-manager'): unknown {
  if (error instanceof HangarError) return error;
  const who = via === 'ssh' ? 'The instance' : 'Session Manager';
  return new HangarError({
    code: 'CONNECTION_LOST',
    message: `${who} stopped answering while Hangar was looking for its servers (${error instanceof Error ? error.message : String(error)}).`,
    hint: `Try again. If it keeps happening, open a ${via === 'ssh' ? '' : 'Session Manager '}terminal on the instance to check that it responds.`,
    retryable: true,
    cause: error,
  });
}
