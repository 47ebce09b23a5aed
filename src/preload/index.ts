import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { API_METHODS } from '../shared/ipc/api-schemas';
import type { Transport } from '../shared/ipc/rpc-types';
import { createPreloadTransport } from './preload-transport';

const transport = createPreloadTransport(ipcRenderer, API_METHODS);

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
