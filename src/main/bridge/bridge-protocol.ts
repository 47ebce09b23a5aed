import type { BridgeClientMessage } from '../../shared/ipc/bridge-protocol';

/** Shape-checks one frame from the socket; anything else closes it (dispatch validates the arguments). */
export function parseClientMessage(text: string): BridgeClientMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  if (m.t === 'subscribe' && Array.isArray(m.names) && m.names.every((n) => typeof n === 'string')) {
    return { t: 'subscribe', names: m.names as string[] };
  }
  if (typeof m.id !== 'string') return undefined;
  if (m.t === 'cancel') return { t: 'cancel', id: m.id };
  if (m.t === 'call' && typeof m.method === 'string' && Array.isArray(m.args)) {
    return { t: 'call', id: m.id, method: m.method, args: m.args };
  }
  return undefined;
}
