import { HangarError } from '../shared/errors/hangar-error';
import { IPC_CHANNELS } from '../shared/ipc/channels';
import type { Transport, WirePush, WireResult } from '../shared/ipc/rpc-types';

/** The part of Electron's ipcRenderer the transport uses (so the contract tests can carry it in-process). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/**
 * The preload's transport: call / cancel / subscribe / on over Electron IPC. Methods outside the
 * allowlist never leave the page; main checks again.
 */
export function createPreloadTransport(ipc: IpcRendererLike, allowedMethods: readonly string[]): Transport {
  const allowed = new Set(allowedMethods);
  return {
    call(id: string, method: string, args: unknown[]): Promise<WireResult> {
      if (typeof method !== 'string' || !allowed.has(method)) {
        const name = typeof method === 'string' ? method.slice(0, 100) : typeof method;
        return Promise.resolve({
          ok: false,
          error: new HangarError({ code: 'UNKNOWN_METHOD', message: `Unknown method "${name}".` }).toJSON(),
        });
      }
      return ipc.invoke(IPC_CHANNELS.call, id, method, args) as Promise<WireResult>;
    },
    cancel(id: string): void {
      ipc.send(IPC_CHANNELS.cancel, id);
    },
    subscribe(names: readonly string[]): void {
      ipc.send(IPC_CHANNELS.subscribe, [...names]);
    },
    on(listener: (push: WirePush) => void): () => void {
      const forward = (_event: unknown, push: unknown): void => listener(push as WirePush);
      ipc.on(IPC_CHANNELS.push, forward);
      return () => {
        ipc.removeListener(IPC_CHANNELS.push, forward);
      };
    },
  };
}
