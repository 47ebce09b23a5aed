import { createHash, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { HangarError } from '../../src/shared/errors/hangar-error';
import { SsmDataChannel, type SsmChannelEnd } from '../../src/main/services/keyless/ssm/ssm-data-channel';
import { caught } from '../support/caught';

/**
 * The data-channel client against a scripted agent on a loopback WebSocket. The agent's frames are built and
 * read by hand from the plugin's layout (offsets, SHA-256 digest, swapped UUID halves), not with the codec.
 */
interface Frame {
  type: string;
  seq: number;
  flags: number;
  id: string;
  payloadType: number;
  payload: Buffer;
}

function build(type: string, seq: number, payloadType: number, payload: Buffer | string, opts: { id?: string; badDigest?: boolean } = {}): Buffer {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const b = Buffer.alloc(120 + body.length);
  b.writeUInt32BE(116, 0);
  Buffer.from(type.padEnd(32, ' ')).copy(b, 4);
  b.writeUInt32BE(1, 36);
  b.writeBigUInt64BE(BigInt(Date.now()), 40);
  b.writeBigInt64BE(BigInt(seq), 48);
  const hex = (opts.id ?? randomUUID()).replace(/-/g, '');
  Buffer.from(hex.slice(16) + hex.slice(0, 16), 'hex').copy(b, 64);
  const digest = createHash('sha256').update(opts.badDigest ? Buffer.from('other') : body).digest();
  digest.copy(b, 80);
  b.writeUInt32BE(payloadType, 112);
  b.writeUInt32BE(body.length, 116);
  body.copy(b, 120);
  return b;
}

function read(b: Buffer): Frame {
  const wire = b.subarray(64, 80).toString('hex');
  const hex = wire.slice(16) + wire.slice(0, 16);
  expect(b.readUInt32BE(0)).toBe(116);
  const payload = b.subarray(120, 120 + b.readUInt32BE(116));
  expect(createHash('sha256').update(payload).digest().equals(b.subarray(80, 112))).toBe(true);
  return {
    type: b.subarray(4, 36).toString().trim(),
    seq: Number(b.readBigInt64BE(48)),
    flags: Number(b.readBigUInt64BE(56)),
    id: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
    payloadType: b.readUInt32BE(112),
    payload,
  };
}

class ScriptedAgent {
  readonly frames: Frame[] = [];
  token: Record<string, unknown> | undefined;
  socket: WebSocket | undefined;
  private waiters: (() => void)[] = [];

  constructor(readonly server: WebSocketServer) {
    server.on('connection', (ws) => {
      this.socket = ws;
      ws.on('message', (data: Buffer, isBinary) => {
        if (!isBinary) this.token = JSON.parse(data.toString()) as Record<string, unknown>;
        else this.frames.push(read(data));
        for (const w of this.waiters.splice(0)) w();
      });
    });
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1/data-channel/s-1?role=publish_subscribe`;
  }

  send(frame: Buffer): void {
    this.socket?.send(frame, { binary: true });
  }

  acks(): number[] {
    return this.frames.filter((f) => f.type === 'acknowledge').map((f) => (JSON.parse(f.payload.toString()) as { AcknowledgedMessageSequenceNumber: number }).AcknowledgedMessageSequenceNumber);
  }

  inputs(): Frame[] {
    return this.frames.filter((f) => f.type === 'input_stream_data');
  }

  async until(check: () => boolean, ms = 3000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('timed out waiting for the client');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  /** Handshake as the agent does it: request at 0, the client's response acknowledged, complete at 1. */
  async handshake(actions: unknown[] = [{ ActionType: 'SessionType', ActionParameters: { SessionType: 'Standard_Stream', Properties: null } }]): Promise<void> {
    await this.until(() => this.token !== undefined);
    this.send(build('output_stream_data', 0, 5, JSON.stringify({ AgentVersion: '3.3.1000.0', RequestedClientActions: actions })));
    await this.until(() => this.inputs().some((f) => f.payloadType === 6));
    const response = this.inputs().find((f) => f.payloadType === 6);
    if (response) this.ack(response);
    this.send(build('output_stream_data', 1, 7, JSON.stringify({ HandshakeTimeToComplete: 1_000_000, CustomerMessage: '' })));
  }

  ack(f: Frame): void {
    const content = { AcknowledgedMessageType: f.type, AcknowledgedMessageId: f.id, AcknowledgedMessageSequenceNumber: f.seq, IsSequentialMessage: true };
    this.send(build('acknowledge', 0, 0, JSON.stringify(content)));
  }
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function agent(): Promise<ScriptedAgent> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  cleanups.push(() => new Promise<void>((resolve) => {
    for (const c of server.clients) c.terminate();
    server.close(() => resolve());
  }));
  return new ScriptedAgent(server);
}

interface Opened {
  channel: SsmDataChannel;
  output: () => string;
  ends: SsmChannelEnd[];
}

async function openAgainst(a: ScriptedAgent, actions?: unknown[], timing = { initialRetransmitMs: 150, resendCheckMs: 20 }): Promise<Opened> {
  const chunks: Buffer[] = [];
  const ends: SsmChannelEnd[] = [];
  const opening = SsmDataChannel.open({ streamUrl: a.url, tokenValue: 'token-abc', clientId: 'client-1', timing, onData: (b) => chunks.push(b), onEnd: (e) => ends.push(e) });
  await a.handshake(actions);
  const channel = await opening;
  cleanups.push(() => channel.close());
  return { channel, output: () => Buffer.concat(chunks).toString(), ends };
}

describe('SSM data channel', () => {
  it('sends the token first as text, answers the handshake and acknowledges both handshake messages', async () => {
    const a = await agent();
    const { channel } = await openAgainst(a, [{ ActionType: 'SessionType', ActionParameters: { SessionType: 'Port', Properties: { portNumber: '8888', type: 'LocalPortForwarding' } } }]);
    expect(a.token).toMatchObject({ MessageSchemaVersion: '1.0', TokenValue: 'token-abc', ClientId: 'client-1' });
    expect(typeof a.token?.RequestId).toBe('string');
    expect(channel.handshake).toMatchObject({ agentVersion: '3.3.1000.0', sessionType: 'Port', properties: { portNumber: '8888' } });
    await a.until(() => a.acks().length === 2);
    expect(a.acks()).toEqual([0, 1]);
    const response = a.inputs()[0];
    expect(response).toMatchObject({ seq: 0, payloadType: 6, flags: 0 });
    expect(JSON.parse(response?.payload.toString() ?? '')).toMatchObject({ ProcessedClientActions: [{ ActionType: 'SessionType', ActionStatus: 1 }], Errors: [] });
    const ackFrame = a.frames.find((f) => f.type === 'acknowledge');
    expect(ackFrame?.flags).toBe(3);
    expect(JSON.parse(ackFrame?.payload.toString() ?? '')).toMatchObject({ AcknowledgedMessageType: 'output_stream_data', IsSequentialMessage: true });
  });

  it('delivers output in sequence order, buffering early messages, dropping duplicates and corrupt frames', async () => {
    const a = await agent();
    const { output } = await openAgainst(a);
    const idOf2 = randomUUID();
    a.send(build('output_stream_data', 3, 1, 'C'));
    a.send(build('output_stream_data', 2, 1, 'B', { id: idOf2 }));
    a.send(build('output_stream_data', 2, 1, 'B', { id: idOf2 }));
    a.send(build('output_stream_data', 4, 1, 'D', { badDigest: true }));
    a.send(build('output_stream_data', 5, 11, 'E'));
    await a.until(() => a.acks().length === 6);
    expect(output()).toBe('BC');
    a.send(build('output_stream_data', 4, 1, 'D'));
    await a.until(() => output() === 'BCDE');
    await a.until(() => a.acks().length === 7);
    // Acked: handshake 0 and 1, then 3, 2, the duplicate 2 (its first ack may be lost), 5 and the good 4; never the corrupt one.
    expect(a.acks()).toEqual([0, 1, 3, 2, 2, 5, 4]);
    const acked2 = a.frames.filter((f) => f.type === 'acknowledge').map((f) => JSON.parse(f.payload.toString()) as { AcknowledgedMessageId: string; AcknowledgedMessageSequenceNumber: number });
    expect(acked2.find((c) => c.AcknowledgedMessageSequenceNumber === 2)?.AcknowledgedMessageId).toBe(idOf2);
  });

  it('numbers input from after the handshake response, in 1024-byte frames, and sends the terminal size as JSON', async () => {
    const a = await agent();
    const { channel } = await openAgainst(a);
    channel.write(Buffer.alloc(2500, 0x61));
    channel.resize(132, 43);
    await a.until(() => a.inputs().length === 5);
    const [, ...rest] = a.inputs();
    expect(rest.map((f) => [f.seq, f.payloadType, f.payload.length])).toEqual([
      [1, 1, 1024],
      [2, 1, 1024],
      [3, 1, 452],
      [4, 3, 22],
    ]);
    expect(JSON.parse(rest[3]?.payload.toString() ?? '')).toEqual({ cols: 132, rows: 43 });
  });

  it('resends an unacknowledged message with the same sequence number and id until it is acknowledged', async () => {
    const a = await agent();
    const { channel } = await openAgainst(a);
    channel.write(Buffer.from('ls\r'));
    await a.until(() => a.inputs().filter((f) => f.seq === 1).length >= 3);
    const copies = a.inputs().filter((f) => f.seq === 1);
    expect(new Set(copies.map((f) => f.id)).size).toBe(1);
    expect(copies.every((f) => f.payload.toString() === 'ls\r')).toBe(true);
    expect(channel.unacknowledged).toBe(1);
    a.ack(copies[0] as Frame);
    await a.until(() => channel.unacknowledged === 0);
    const settled = a.inputs().length;
    await new Promise((r) => setTimeout(r, 400));
    expect(a.inputs().length).toBe(settled);
  });

  it('reports channel_closed with the agent output, and a dropped socket as SSM_CHANNEL_LOST', async () => {
    const a = await agent();
    const { ends } = await openAgainst(a);
    a.send(build('channel_closed', 0, 0, JSON.stringify({ MessageType: 'channel_closed', SessionId: 's-1', Output: 'Session terminated by user', SchemaVersion: 1 })));
    await a.until(() => ends.length === 1);
    expect(ends[0]).toEqual({ kind: 'closed', output: 'Session terminated by user' });

    const b = await agent();
    const second = await openAgainst(b);
    b.socket?.terminate();
    await b.until(() => second.ends.length === 1);
    expect(second.ends[0]?.kind).toBe('lost');
    expect(second.ends[0]?.kind === 'lost' && second.ends[0].error.code).toBe('SSM_CHANNEL_LOST');
  });

  it('refuses a KMS-encrypted session in the handshake and says so', async () => {
    const a = await agent();
    const opening = SsmDataChannel.open({ streamUrl: a.url, tokenValue: 't', onData: () => undefined });
    await a.until(() => a.token !== undefined);
    a.send(build('output_stream_data', 0, 5, JSON.stringify({ AgentVersion: '3.3.1000.0', RequestedClientActions: [{ ActionType: 'KMSEncryption', ActionParameters: { KMSKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/k' } }] })));
    await a.until(() => a.inputs().some((f) => f.payloadType === 6));
    const response = JSON.parse(a.inputs()[0]?.payload.toString() ?? '') as { ProcessedClientActions: { ActionStatus: number }[]; Errors: string[] };
    expect(response.ProcessedClientActions[0]?.ActionStatus).toBe(2);
    expect(response.Errors[0]).toMatch(/KMS/);
    a.socket?.close(1000);
    const error = (await caught(opening)) as HangarError;
    expect(error.code).toBe('SSM_CHANNEL_LOST');
    expect(error.message).toMatch(/KMS encryption/);
    expect(error.hint).toMatch(/Session Manager preferences/);
  });
});
