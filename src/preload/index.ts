import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { HangarError } from '../shared/errors/hangar-error';
import { API_METHODS } from '../shared/ipc/api-schemas';
import type { Transport, WirePush, WireResult } from '../shared/ipc/rpc-types';

const allowed = new Set(API_METHODS);

const transport: Transport = {
  call(id: string, method: string, args: unknown[]): Promise<WireResult> {
    if (typeof method !== 'string' || !allowed.has(method)) {
      const name = typeof method === 'string' ? method.slice(0, 100) : typeof method;
      return Promise.resolve({
        ok: false,
        error: new HangarError({ code: 'UNKNOWN_METHOD', message: `Unknown method "${name}".` }).toJSON(),
      });
    }
    return ipcRenderer.invoke('hangar:call', id, method, args) as Promise<WireResult>;
  },
  cancel(id: string): void {
    ipcRenderer.send('hangar:cancel', id);
  },
  on(listener: (push: WirePush) => void): () => void {
    const forward = (_event: IpcRendererEvent, push: WirePush): void => listener(push);
    ipcRenderer.on('hangar:push', forward);
    return () => {
      ipcRenderer.removeListener('hangar:push', forward);
    };
  },
};

/**
 * Besides the transport, one thing only a preload can do: tell where a file dropped on the window lives
 * on disk (Electron removed File.path). The path goes back to main through the typed contract as input
 * like any other (e.g. keys.import), where it is validated and read.
 */
const bridge: Transport & { pathForFile(file: File): string } = {
  ...transport,
  pathForFile: (file) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('hangar', bridge);
