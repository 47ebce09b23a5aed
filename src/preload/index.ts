import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { API_METHODS } from '../shared/ipc/api-schemas';
import type { Transport, WireResult } from '../shared/ipc/rpc-types';
import { createDropGranter } from './dropped-files';
import { createPreloadTransport } from './preload-transport';

const transport = createPreloadTransport(ipcRenderer, API_METHODS);

/**
 * Besides the transport, one thing only a preload can do: tell where a file dropped on the window lives
 * on disk. It is not handed to the page: main answers with grants (opaque ids and names) for the dropped
 * items, which the contract's calls then take (transfers.upload, keys.import).
 */
const bridge: Transport & { grantDropped(files: File[]): Promise<WireResult> } = {
  ...transport,
  grantDropped: createDropGranter(ipcRenderer, (file) => webUtils.getPathForFile(file)),
};

contextBridge.exposeInMainWorld('hangar', bridge);
