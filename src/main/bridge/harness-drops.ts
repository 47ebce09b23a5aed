import type { Events } from '../../shared/ipc/contract';
import type { HarnessApi } from '../../shared/ipc/harness-api';
import type { Handlers } from '../../shared/ipc/rpc-types';
import type { LocalGrants } from '../services/grants/local-grants';

/**
 * The web harness's stand-in for Electron's dropped-file channel: a drop in the browser harness names its
 * paths (the test wrote them into the drag data), and they become grants. Mounted by web-harness.ts only,
 * beside the contract's handlers; the Electron shell never has it, so in the desktop app the only way a
 * path becomes a grant is a native dialog or a real drop read by the preload.
 */
export function createHarnessDropHandlers(grants: Pick<LocalGrants, 'grantDropped'>): Handlers<HarnessApi, Events> {
  return {
    harness: {
      grantDroppedPaths: async (_ctx, paths) => grants.grantDropped(paths),
    },
  };
}
