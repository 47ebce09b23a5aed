import type { InstanceRef } from '../../../shared/models/transfers';
import type { ConnectionManager } from '../ssh/create-connection-manager';
import type { SshConnection } from '../ssh/ssh-connection';

interface Lease {
  readonly connection: SshConnection;
  timer: NodeJS.Timeout | undefined;
}

export interface ConnectionLeases {
  /** A connection for one call; the caller calls `release()` when the call is over (the idle clock starts then). */
  borrow(ref: InstanceRef, signal?: AbortSignal): Promise<{ connection: SshConnection; release: () => void }>;
  /** Lets go of the instance's connection now (it was stopped): nothing holds it open any more. */
  forget(instanceId: string): void;
  dispose(): void;
}

/**
 * Keeps an instance's connection for a while after the file browser's last call. A user clicking through
 * folders makes a call every few seconds; without the lease the shared connection would close after each
 * one (when no terminal holds it) and every click would pay a new SSH handshake.
 */
export function createConnectionLeases(connections: ConnectionManager, idleMs: number): ConnectionLeases {
  const leases = new Map<string, Lease>();
  const pending = new Map<string, Promise<SshConnection>>();

  function drop(instanceId: string, lease: Lease): void {
    if (leases.get(instanceId) !== lease) return;
    leases.delete(instanceId);
    if (lease.timer !== undefined) clearTimeout(lease.timer);
    lease.connection.release();
  }

  function touch(instanceId: string, lease: Lease): void {
    if (lease.timer !== undefined) clearTimeout(lease.timer);
    lease.timer = setTimeout(() => drop(instanceId, lease), idleMs);
    // An idle lease must not keep a test process or a quitting app alive.
    lease.timer.unref();
  }

  async function open(ref: InstanceRef, signal?: AbortSignal): Promise<SshConnection> {
    const { connection } = await connections.acquire(ref, signal);
    // That reference belongs to the lease; each call takes its own on top.
    const lease: Lease = { connection, timer: undefined };
    leases.set(ref.instanceId, lease);
    connection.onClose(() => drop(ref.instanceId, lease));
    return connection;
  }

  return {
    async borrow(ref, signal) {
      const id = ref.instanceId;
      const held = leases.get(id);
      let connection: SshConnection;
      if (held !== undefined && !held.connection.closed) {
        connection = held.connection;
      } else {
        if (held !== undefined) drop(id, held);
        let opening = pending.get(id);
        if (opening === undefined) {
          opening = open(ref, signal);
          pending.set(id, opening);
          void opening.finally(() => pending.delete(id)).catch(() => undefined);
        }
        connection = await opening;
      }
      connection.acquire();
      let released = false;
      return {
        connection,
        release: () => {
          if (released) return;
          released = true;
          connection.release();
          const lease = leases.get(id);
          if (lease !== undefined && lease.connection === connection) touch(id, lease);
        },
      };
    },
    forget(instanceId) {
      const lease = leases.get(instanceId);
      if (lease !== undefined) drop(instanceId, lease);
    },
    dispose() {
      for (const [id, lease] of [...leases]) drop(id, lease);
    },
  };
}
