import { randomBytes } from 'node:crypto';
import type { Events } from '../../../shared/ipc/contract';
import type { InstanceRef } from '../../../shared/models/transfers';
import type { TunnelDirection, TunnelInfo, TunnelKind } from '../../../shared/models/tunnels';
import type { EventHub } from '../app/event-hub';
import type { TunnelForward } from './tunnel-forward';

/** An open (or reconnecting) tunnel as the service keeps it. */
export interface TunnelEntry {
  readonly id: string;
  readonly instance: Omit<InstanceRef, 'acceptHostKey'>;
  readonly instanceName: string;
  readonly kind: TunnelKind;
  readonly label: string;
  readonly forward: TunnelForward;
  /** Builds the browser URL from the local port (Jupyter's carries its token). */
  readonly urlFor?: (localPort: number) => string;
  readonly openedAt: string;
}

/**
 * The open tunnels, and the throttled `tunnels.changed` event that carries the whole list: at most one
 * per `throttleMs`, none when nothing changed.
 */
export interface TunnelRegistry {
  get(id: string): TunnelEntry | undefined;
  set(entry: TunnelEntry): void;
  delete(id: string): void;
  values(): IterableIterator<TunnelEntry>;
  info(entry: TunnelEntry): TunnelInfo;
  list(): TunnelInfo[];
  /** A still-usable tunnel to the same place on the same instance, if there is one. */
  findOpen(instanceId: string, direction: TunnelDirection, remoteHost: string, remotePort: number): TunnelEntry | undefined;
  /** Publishes the list soon (throttled). */
  schedule(): void;
  /** Closes every tunnel and stops publishing. */
  dispose(): void;
}

export function newTunnelId(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

export function createTunnelRegistry(events: EventHub<Events>, throttleMs: number): TunnelRegistry {
  const entries = new Map<string, TunnelEntry>();
  let timer: NodeJS.Timeout | undefined;
  let lastPublished = 0;
  let lastSnapshot = '';
  let disposed = false;

  function list(): TunnelInfo[] {
    return [...entries.values()].map(info);
  }

  function flush(): void {
    timer = undefined;
    if (disposed) return;
    const current = list();
    const snapshot = JSON.stringify(current);
    lastPublished = Date.now();
    if (snapshot !== lastSnapshot) {
      lastSnapshot = snapshot;
      events.publish('tunnels.changed', current);
    }
    // Bytes move without events of their own: while connections are open, look again at the same pace.
    if (current.some((t) => t.openConnections > 0)) schedule();
  }

  function schedule(): void {
    if (timer !== undefined || disposed) return;
    timer = setTimeout(flush, Math.max(0, lastPublished + throttleMs - Date.now()));
    timer.unref?.();
  }

  return {
    get: (id) => entries.get(id),
    set: (entry) => void entries.set(entry.id, entry),
    delete: (id) => void entries.delete(id),
    values: () => entries.values(),
    info,
    list,
    schedule,

    findOpen(instanceId, direction, remoteHost, remotePort) {
      for (const entry of entries.values()) {
        const f = entry.forward;
        if (
          entry.instance.instanceId === instanceId &&
          f.spec.direction === direction &&
          f.spec.remoteHost === remoteHost &&
          f.spec.remotePort === remotePort &&
          f.state !== 'closed' &&
          f.state !== 'failed'
        ) {
          return entry;
        }
      }
      return undefined;
    },

    dispose() {
      disposed = true;
      if (timer !== undefined) clearTimeout(timer);
      for (const entry of entries.values()) entry.forward.close();
      entries.clear();
    },
  };
}

function info(entry: TunnelEntry): TunnelInfo {
  const f = entry.forward;
  const url = entry.urlFor?.(f.localPort);
  return {
    id: entry.id,
    instance: entry.instance,
    instanceName: entry.instanceName,
    kind: entry.kind,
    direction: f.spec.direction,
    label: entry.label,
    localAddress: `127.0.0.1:${f.localPort}`,
    localPort: f.localPort,
    remoteAddress: `${f.spec.remoteHost}:${f.remotePort}`,
    remotePort: f.remotePort,
    state: f.state,
    openConnections: f.openConnections,
    bytesIn: f.bytesIn,
    bytesOut: f.bytesOut,
    openedAt: entry.openedAt,
    ...(url === undefined ? {} : { url }),
    ...(f.via === 'session-manager' ? { via: 'session-manager' as const } : {}),
    ...(f.note === undefined ? {} : { note: f.note }),
    ...(f.error === undefined ? {} : { error: { code: f.error.code, message: f.error.message, ...(f.error.hint === undefined ? {} : { hint: f.error.hint }) } }),
  };
}
