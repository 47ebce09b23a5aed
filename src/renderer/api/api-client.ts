import { apiSchemas, eventTable } from '../../shared/ipc/api-schemas';
import type { Api, Events } from '../../shared/ipc/contract';
import { createClient } from '../../shared/ipc/create-client';
import { harnessSchemas, type HarnessApi } from '../../shared/ipc/harness-api';
import type { Client, Transport } from '../../shared/ipc/rpc-types';
import { BRIDGE_SOCKET_PATH } from '../../shared/ipc/bridge-path';
import { connection, watchConnection } from './connection';
import './preload-bridge';
import { createWebSocketTransport } from './websocket-transport';

const TOKEN_KEY = 'hangar.bridgeToken';

/**
 * Picks the carrier: the preload's when running inside Electron, else the loopback WebSocket bridge,
 * whose token arrives once in the page URL and is then kept in sessionStorage (and taken out of the
 * address bar, so it is not in screenshots or history).
 */
function pickTransport(): Transport {
  if (window.hangar) return window.hangar;
  const params = new URLSearchParams(window.location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    params.delete('token');
    const query = params.toString();
    window.history.replaceState(null, '', `${window.location.pathname}${query ? `?${query}` : ''}${window.location.hash}`);
  }
  const token = fromUrl ?? sessionStorage.getItem(TOKEN_KEY) ?? '';
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return createWebSocketTransport(`${scheme}://${window.location.host}${BRIDGE_SOCKET_PATH}?token=${encodeURIComponent(token)}`);
}

/** Which carrier the page talks through: 'preload' (Electron) or 'bridge' (browser harness). */
export const carrier: 'preload' | 'bridge' = window.hangar ? 'preload' : 'bridge';

const transport = watchConnection(pickTransport(), (error) => connection.report(error));

/** Every call of the app, typed from the contract; `api.on(name, handler)` for its events. */
export const api: Client<Api, Events> = createClient<Api, Events>(transport, apiSchemas, eventTable);

/** The web harness's own calls (harness-api.ts); absent in Electron, whose main does not answer them. */
export const harnessApi: Client<HarnessApi> | undefined = carrier === 'bridge' ? createClient<HarnessApi>(transport, harnessSchemas) : undefined;
connection.setProbe(() => api.app.info());

export { connection, useConnection } from './connection';
