/** Where the loopback bridge accepts its WebSocket (same origin as the page it serves). */
export const BRIDGE_SOCKET_PATH = '/ipc';
