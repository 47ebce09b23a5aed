/** The SSH wire encoding (RFC 4251 §5) used inside key blobs: uint32, string, mpint. */

export class WireReader {
  private offset = 0;

  constructor(private readonly buffer: Buffer) {}

  get done(): boolean {
    return this.offset >= this.buffer.length;
  }

  get remaining(): Buffer {
    return this.buffer.subarray(this.offset);
  }

  uint32(): number {
    if (this.offset + 4 > this.buffer.length) throw new RangeError('truncated key data');
    const value = this.buffer.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  bytes(length: number): Buffer {
    if (length < 0 || this.offset + length > this.buffer.length) throw new RangeError('truncated key data');
    const value = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  string(): Buffer {
    return this.bytes(this.uint32());
  }

  text(): string {
    return this.string().toString('utf8');
  }

  /** An mpint as unsigned big-endian bytes without leading zeros. */
  mpint(): Buffer {
    const raw = this.string();
    let start = 0;
    while (start < raw.length && raw[start] === 0) start += 1;
    return raw.subarray(start);
  }
}

export class WireWriter {
  private readonly parts: Buffer[] = [];

  uint32(value: number): this {
    const part = Buffer.alloc(4);
    part.writeUInt32BE(value >>> 0);
    this.parts.push(part);
    return this;
  }

  raw(bytes: Buffer): this {
    this.parts.push(bytes);
    return this;
  }

  string(value: Buffer | string): this {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    return this.uint32(bytes.length).raw(bytes);
  }

  /** Unsigned big-endian magnitude in, canonical mpint out (leading zero when the top bit is set). */
  mpint(magnitude: Buffer): this {
    let start = 0;
    while (start < magnitude.length && magnitude[start] === 0) start += 1;
    const trimmed = magnitude.subarray(start);
    const first = trimmed[0];
    const value = first !== undefined && first & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
    return this.string(value);
  }

  get length(): number {
    return this.parts.reduce((sum, part) => sum + part.length, 0);
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

export function bigintFrom(bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString('hex')}`);
}

export function bytesFrom(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, 'hex');
}
