import type { WirePush, WireResult } from './rpc-types';

/** Frames on the loopback WebSocket bridge: the preload's call / cancel / subscribe / on, as JSON. */
export type BridgeClientMessage =
  | { t: 'call'; id: string; method: string; args: unknown[] }
  | { t: 'cancel'; id: string }
  | { t: 'subscribe'; names: string[] };

export type BridgeServerMessage = { t: 'result'; id: string; result: WireResult } | { t: 'push'; push: WirePush };
