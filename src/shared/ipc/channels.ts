/**
 * The Electron IPC channel names, defined once: the preload sends on them and the shell's ipcMain adapter
 * listens on them. The WebSocket bridge carries the first four as frames (bridge-protocol.ts); drops
 * reach the web harness its own way (src/main/bridge/harness-drops.ts).
 */
export const IPC_CHANNELS = {
  /** renderer → main, invoke: one call of the contract. */
  call: 'hangar:call',
  /** renderer → main: abort a call by its request id. */
  cancel: 'hangar:cancel',
  /** renderer → main: the full set of event names this window listens to (replaces the previous set). */
  subscribe: 'hangar:subscribe',
  /** main → renderer: progress of the window's own calls, and the events it subscribed to. */
  push: 'hangar:push',
  /**
   * renderer → main, invoke: the paths of files dropped on the window, read by the preload from the
   * dropped File objects; answered with grants. A page cannot make a File stand for a path the user did
   * not drop, so these paths are the user's choice just like a picker's.
   */
  grantDropped: 'hangar:grant-dropped',
} as const;
