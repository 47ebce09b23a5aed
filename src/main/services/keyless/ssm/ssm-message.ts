import { createHash } from 'node:crypto';

/**
 * One Session Manager data-channel frame, as AWS's session-manager-plugin defines it
 * (src/message/clientmessage.go, messageparser.go): a fixed big-endian header, then the payload.
 */
export interface SsmMessage {
  readonly messageType: string;
  readonly schemaVersion: number;
  /** Milliseconds since the epoch. */
  readonly createdDate: number;
  readonly sequenceNumber: number;
  readonly flags: number;
  /** Lower-case hyphenated UUID, in its ordinary byte order (the wire swaps the halves). */
  readonly messageId: string;
  readonly payloadType: number;
  readonly payload: Buffer;
}

export const SSM_MESSAGE_TYPES = {
  input: 'input_stream_data',
  output: 'output_stream_data',
  acknowledge: 'acknowledge',
  channelClosed: 'channel_closed',
  startPublication: 'start_publication',
  pausePublication: 'pause_publication',
} as const;

export const SSM_PAYLOAD_TYPES = {
  output: 1,
  error: 2,
  size: 3,
  parameter: 4,
  handshakeRequest: 5,
  handshakeResponse: 6,
  handshakeComplete: 7,
  encChallengeRequest: 8,
  encChallengeResponse: 9,
  flag: 10,
  stdErr: 11,
  exitCode: 12,
} as const;

/** The payload of a Flag message (a big-endian uint32). */
export const SSM_FLAGS = { disconnectToPort: 1, terminateSession: 2, connectToPortError: 3 } as const;

/** Byte offsets of the header fields; HeaderLength counts the bytes before PayloadLength. */
export const SSM_OFFSETS = {
  headerLength: 0,
  messageType: 4,
  schemaVersion: 36,
  createdDate: 40,
  sequenceNumber: 48,
  flags: 56,
  messageId: 64,
  payloadDigest: 80,
  payloadType: 112,
  payloadLength: 116,
  payload: 120,
} as const;

export const SSM_HEADER_LENGTH = SSM_OFFSETS.payloadLength;
const MESSAGE_TYPE_LENGTH = 32;

/** A frame that cannot be read or whose payload does not match its digest: it is dropped, never acknowledged. */
export class SsmFrameError extends Error {
  override readonly name = 'SsmFrameError';
}

export function encodeSsmMessage(message: SsmMessage): Buffer {
  if (Buffer.byteLength(message.messageType) > MESSAGE_TYPE_LENGTH) throw new SsmFrameError(`message type too long: ${message.messageType}`);
  const out = Buffer.alloc(SSM_OFFSETS.payload + message.payload.length);
  out.writeUInt32BE(SSM_HEADER_LENGTH, SSM_OFFSETS.headerLength);
  // The plugin pads the type with spaces, not NULs.
  out.fill(0x20, SSM_OFFSETS.messageType, SSM_OFFSETS.messageType + MESSAGE_TYPE_LENGTH);
  out.write(message.messageType, SSM_OFFSETS.messageType, 'ascii');
  out.writeUInt32BE(message.schemaVersion, SSM_OFFSETS.schemaVersion);
  out.writeBigUInt64BE(BigInt(message.createdDate), SSM_OFFSETS.createdDate);
  out.writeBigInt64BE(BigInt(message.sequenceNumber), SSM_OFFSETS.sequenceNumber);
  out.writeBigUInt64BE(BigInt(message.flags), SSM_OFFSETS.flags);
  uuidToWire(message.messageId).copy(out, SSM_OFFSETS.messageId);
  sha256(message.payload).copy(out, SSM_OFFSETS.payloadDigest);
  out.writeUInt32BE(message.payloadType, SSM_OFFSETS.payloadType);
  out.writeUInt32BE(message.payload.length, SSM_OFFSETS.payloadLength);
  message.payload.copy(out, SSM_OFFSETS.payload);
  return out;
}

/** Reads a frame and checks its payload digest (the plugin's Validate: publication messages carry none). */
export function decodeSsmMessage(input: Buffer): SsmMessage {
  if (input.length < SSM_OFFSETS.payload) throw new SsmFrameError(`frame of ${input.length} bytes is shorter than the ${SSM_OFFSETS.payload}-byte header`);
  const headerLength = input.readUInt32BE(SSM_OFFSETS.headerLength);
  if (headerLength < SSM_HEADER_LENGTH || headerLength + 4 > input.length) throw new SsmFrameError(`header length ${headerLength} does not fit a ${input.length}-byte frame`);
  const messageType = input
    .subarray(SSM_OFFSETS.messageType, SSM_OFFSETS.messageType + MESSAGE_TYPE_LENGTH)
    .toString('ascii')
    .replace(/\0/g, '')
    .trim();
  const payloadLength = input.readUInt32BE(SSM_OFFSETS.payloadLength);
  // A newer schema may grow the header: the payload starts after it, wherever it ends.
  const payloadStart = headerLength + 4;
  if (payloadStart + payloadLength > input.length) throw new SsmFrameError(`payload of ${payloadLength} bytes runs past the ${input.length}-byte frame`);
  const payload = input.subarray(payloadStart, payloadStart + payloadLength);
  const digest = input.subarray(SSM_OFFSETS.payloadDigest, SSM_OFFSETS.payloadDigest + 32);
  const publication = messageType === SSM_MESSAGE_TYPES.startPublication || messageType === SSM_MESSAGE_TYPES.pausePublication;
  if (!publication && payloadLength > 0 && !sha256(payload).equals(digest)) throw new SsmFrameError(`payload digest mismatch on ${messageType}`);
  if (messageType === '') throw new SsmFrameError('message type is missing');
  return {
    messageType,
    schemaVersion: input.readUInt32BE(SSM_OFFSETS.schemaVersion),
    createdDate: Number(input.readBigUInt64BE(SSM_OFFSETS.createdDate)),
    sequenceNumber: Number(input.readBigInt64BE(SSM_OFFSETS.sequenceNumber)),
    flags: Number(input.readBigUInt64BE(SSM_OFFSETS.flags)),
    messageId: uuidFromWire(input.subarray(SSM_OFFSETS.messageId, SSM_OFFSETS.messageId + 16)),
    payloadType: input.readUInt32BE(SSM_OFFSETS.payloadType),
    payload,
  };
}

/**
 * The plugin writes a UUID as two big-endian longs, least significant half first (putUuid), so the wire holds
 * bytes 8–15 of the UUID and then bytes 0–7.
 */
export function uuidToWire(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new SsmFrameError(`not a UUID: ${uuid}`);
  const bytes = Buffer.from(hex, 'hex');
  return Buffer.concat([bytes.subarray(8, 16), bytes.subarray(0, 8)]);
}

export function uuidFromWire(wire: Buffer): string {
  const hex = Buffer.concat([wire.subarray(8, 16), wire.subarray(0, 8)]).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}
