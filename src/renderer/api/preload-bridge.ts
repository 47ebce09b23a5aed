import type { Transport } from '../../shared/ipc/rpc-types';

/** What src/preload exposes on `window.hangar`: exactly a Transport, nothing more. */
export const PRELOAD_KEY = 'hangar';

declare global {
  interface Window {
    hangar?: Transport & {
      /** Electron only: where a dropped file lives on disk (webUtils.getPathForFile). */
      pathForFile?(file: File): string;
    };
  }
}
