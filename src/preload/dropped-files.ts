import { IPC_CHANNELS } from '../shared/ipc/channels';
import type { WireResult } from '../shared/ipc/rpc-types';
import type { IpcRendererLike } from './preload-transport';

/**
 * What the preload offers for files dropped on the window: it reads where each lives on disk
 * (webUtils.getPathForFile — Electron removed File.path) and asks main for grants on the shell's own
 * channel. The page gets grants (ids and names), never a way to name another path. Items with no path on
 * disk (text dragged out of another app) are left out.
 */
export function createDropGranter(
  ipc: Pick<IpcRendererLike, 'invoke'>,
  pathForFile: (file: File) => string,
): (files: readonly File[]) => Promise<WireResult> {
  return async (files) => {
    const paths: string[] = [];
    for (const file of files) {
      try {
        const path = pathForFile(file);
        if (path !== '') paths.push(path);
      } catch {
        // Not a File the shell knows (the page made it): it names nothing on disk.
      }
    }
    if (paths.length === 0) return { ok: true, value: [] };
    return (await ipc.invoke(IPC_CHANNELS.grantDropped, paths)) as WireResult;
  };
}
