/**
 * The Electron IPC channel names, defined once: the preload sends on them and the shell's ipcMain adapter
 * listens on them. The WebSocket bridge carries the same four messages as frames (bridge-protocol.ts).
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
} as const;
