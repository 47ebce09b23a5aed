import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeSsmMessage, encodeSsmMessage, SsmFrameError, uuidFromWire, uuidToWire } from '../../src/main/services/keyless/ssm/ssm-message';

/**
 * The frame layout from session-manager-plugin src/message/clientmessage.go, written out by hand here (not with
 * the codec) so that a codec bug cannot agree with itself: big-endian fields at fixed offsets, HeaderLength 116
 * (the bytes before PayloadLength), the type padded with spaces, the UUID's halves swapped.
 */
function handFrame(f: { type: string; seq: bigint; flags: bigint; uuidWireHex: string; payloadType: number; payload: Buffer; digest?: Buffer; createdMs?: bigint }): Buffer {
  const b = Buffer.alloc(120 + f.payload.length);
  b.writeUInt32BE(116, 0);
  Buffer.from(f.type.padEnd(32, ' '), 'ascii').copy(b, 4);
  b.writeUInt32BE(1, 36);
  b.writeBigUInt64BE(f.createdMs ?? 1_700_000_000_123n, 40);
  b.writeBigInt64BE(f.seq, 48);
  b.writeBigUInt64BE(f.flags, 56);
  Buffer.from(f.uuidWireHex, 'hex').copy(b, 64);
  (f.digest ?? createHash('sha256').update(f.payload).digest()).copy(b, 80);
  b.writeUInt32BE(f.payloadType, 112);
  b.writeUInt32BE(f.payload.length, 116);
  f.payload.copy(b, 120);
  return b;
}

const ID = '00112233-4455-6677-8899-aabbccddeeff';
const ID_ON_WIRE = '8899aabbccddeeff0011223344556677';

describe('SSM message codec', () => {
  it('writes every header field at the plugin offset', () => {
    const payload = Buffer.from('hello');
    const frame = encodeSsmMessage({ messageType: 'input_stream_data', schemaVersion: 1, createdDate: 1_700_000_000_123, sequenceNumber: 7, flags: 0, messageId: ID, payloadType: 1, payload });
    expect(frame.length).toBe(125);
    expect(frame.subarray(0, 4).toString('hex')).toBe('00000074');
    expect(frame.subarray(4, 36).toString('ascii')).toBe('input_stream_data               ');
    expect(frame.subarray(36, 40).toString('hex')).toBe('00000001');
    expect(frame.readBigUInt64BE(40)).toBe(1_700_000_000_123n);
    expect(frame.subarray(48, 56).toString('hex')).toBe('0000000000000007');
    expect(frame.subarray(56, 64).toString('hex')).toBe('0000000000000000');
    expect(frame.subarray(64, 80).toString('hex')).toBe(ID_ON_WIRE);
    expect(frame.subarray(80, 112).toString('hex')).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    expect(frame.subarray(112, 116).toString('hex')).toBe('00000001');
    expect(frame.subarray(116, 120).toString('hex')).toBe('00000005');
    expect(frame.subarray(120).toString()).toBe('hello');
    expect(frame.equals(handFrame({ type: 'input_stream_data', seq: 7n, flags: 0n, uuidWireHex: ID_ON_WIRE, payloadType: 1, payload }))).toBe(true);
  });

  it('reads a hand-built frame', () => {
    const payload = Buffer.from('{"cols":80,"rows":24}');
    const m = decodeSsmMessage(handFrame({ type: 'output_stream_data', seq: 42n, flags: 1n, uuidWireHex: ID_ON_WIRE, payloadType: 3, payload }));
    expect(m).toMatchObject({ messageType: 'output_stream_data', schemaVersion: 1, createdDate: 1_700_000_000_123, sequenceNumber: 42, flags: 1, messageId: ID, payloadType: 3 });
    expect(m.payload.toString()).toBe('{"cols":80,"rows":24}');
  });

  it('refuses a payload that does not match its SHA-256 digest, a truncated frame and a missing type', () => {
    const good = handFrame({ type: 'output_stream_data', seq: 0n, flags: 0n, uuidWireHex: ID_ON_WIRE, payloadType: 1, payload: Buffer.from('abc') });
    const tampered = Buffer.from(good);
    tampered[121] = 0x58;
    expect(() => decodeSsmMessage(tampered)).toThrow(SsmFrameError);
    expect(() => decodeSsmMessage(good.subarray(0, 121))).toThrow(SsmFrameError);
    expect(() => decodeSsmMessage(good.subarray(0, 60))).toThrow(SsmFrameError);
    expect(() => decodeSsmMessage(handFrame({ type: '', seq: 0n, flags: 0n, uuidWireHex: ID_ON_WIRE, payloadType: 1, payload: Buffer.alloc(0) }))).toThrow(SsmFrameError);
  });

  it('does not check the digest of publication messages or of empty payloads (the plugin does not)', () => {
    const zeros = Buffer.alloc(32);
    const pause = decodeSsmMessage(handFrame({ type: 'pause_publication', seq: 0n, flags: 0n, uuidWireHex: ID_ON_WIRE, payloadType: 0, payload: Buffer.from('x'), digest: zeros }));
    expect(pause.messageType).toBe('pause_publication');
    expect(decodeSsmMessage(handFrame({ type: 'acknowledge', seq: 0n, flags: 3n, uuidWireHex: ID_ON_WIRE, payloadType: 0, payload: Buffer.alloc(0), digest: zeros })).payload.length).toBe(0);
  });

  it('swaps the UUID halves both ways', () => {
    expect(uuidToWire(ID).toString('hex')).toBe(ID_ON_WIRE);
    expect(uuidFromWire(Buffer.from(ID_ON_WIRE, 'hex'))).toBe(ID);
    expect(() => uuidToWire('not-a-uuid')).toThrow(SsmFrameError);
  });

  it('keeps 64-bit sequence numbers and dates', () => {
    const m = decodeSsmMessage(handFrame({ type: 'output_stream_data', seq: 2n ** 40n, flags: 0n, uuidWireHex: ID_ON_WIRE, payloadType: 1, payload: Buffer.from('z'), createdMs: 4_102_444_800_000n }));
    expect(m.sequenceNumber).toBe(2 ** 40);
    expect(m.createdDate).toBe(4_102_444_800_000);
  });
});
