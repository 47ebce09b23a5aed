import type { Transport, WireResult } from '../../shared/ipc/rpc-types';

/** What src/preload exposes on `window.hangar`: the Transport, and grants for dropped files. */
export const PRELOAD_KEY = 'hangar';

declare global {
  interface Window {
    hangar?: Transport & {
      /** Electron only: grants (LocalGrant[] as the value) for files dropped on the window; main reads their paths. */
      grantDropped?(files: File[]): Promise<WireResult>;
    };
  }
}
