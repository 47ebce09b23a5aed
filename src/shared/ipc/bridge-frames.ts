import type { BridgeServerMessage } from './bridge-protocol';

/**
 * How the loopback bridge frames what main sends a page. A message without bytes is a JSON text frame; a
 * message carrying Uint8Arrays (terminal output) is one binary frame, so the bytes cross as they are, are
 * never turned into a string in main, and are decoded once, by xterm:
 *
 *   [u32 big-endian: length of the header] [header: the message as JSON, each Uint8Array replaced by
 *   {"$bytes": [offset, length]} into the tail] [tail: the bytes, back to back]
 *
 * The Electron carrier needs none of this: its structured clone carries Uint8Arrays already.
 */
const BYTES_KEY = '$bytes';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeServerFrame(message: BridgeServerMessage): string | Uint8Array {
  const parts: Uint8Array[] = [];
  let tail = 0;
  const header = JSON.stringify(message, function (this: Record<string, unknown>, key: string, value: unknown) {
    // `this[key]` is the value before toJSON (a Buffer's toJSON would spell every byte out as a number).
    const original = this[key];
    if (!(original instanceof Uint8Array)) return value;
    parts.push(original);
    const placeholder = { [BYTES_KEY]: [tail, original.byteLength] };
    tail += original.byteLength;
    return placeholder;
  });
  if (parts.length === 0) return header;
  const head = encoder.encode(header);
  const frame = new Uint8Array(4 + head.byteLength + tail);
  new DataView(frame.buffer).setUint32(0, head.byteLength);
  frame.set(head, 4);
  let at = 4 + head.byteLength;
  for (const part of parts) {
    frame.set(part, at);
    at += part.byteLength;
  }
  return frame;
}

function isPlaceholder(value: unknown): value is { [BYTES_KEY]: [number, number] } {
  if (typeof value !== 'object' || value === null || Object.keys(value).length !== 1) return false;
  const span = (value as Record<string, unknown>)[BYTES_KEY];
  return Array.isArray(span) && span.length === 2 && span.every((n) => Number.isSafeInteger(n) && (n as number) >= 0);
}

/** The other end: a text frame as JSON, a binary one (ArrayBuffer or a view) with its bytes as Uint8Array views. */
export function decodeServerFrame(data: unknown): BridgeServerMessage | undefined {
  try {
    if (typeof data === 'string') return JSON.parse(data) as BridgeServerMessage;
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : undefined;
    if (bytes === undefined || bytes.byteLength < 4) return undefined;
    const headLength = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);
    const tailStart = 4 + headLength;
    if (tailStart > bytes.byteLength) return undefined;
    const tail = bytes.subarray(tailStart);
    return JSON.parse(decoder.decode(bytes.subarray(4, tailStart)), (_key, value: unknown) => {
      if (!isPlaceholder(value)) return value;
      const [offset, length] = value[BYTES_KEY];
      if (offset + length > tail.byteLength) throw new Error('bytes outside the frame');
      return tail.subarray(offset, offset + length);
    }) as BridgeServerMessage;
  } catch {
    return undefined;
  }
}
