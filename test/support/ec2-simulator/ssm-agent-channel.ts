import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { decodeSsmMessage, encodeSsmMessage, SSM_MESSAGE_TYPES, SSM_PAYLOAD_TYPES, SsmFrameError, type SsmMessage } from '../../../src/main/services/keyless/ssm/ssm-message';
import { acknowledgeMessage, parseJsonPayload, type AcknowledgeContent, type HandshakeResponsePayload } from '../../../src/main/services/keyless/ssm/ssm-payloads';

/** What the agent runs for a session: a shell in a pty or a TCP connection to a port. */
export interface AgentBackend {
  input(data: Buffer): void;
  resize(cols: number, rows: number): void;
  /** A Flag payload (DisconnectToPort, TerminateSession). */
  flag(flag: number): void;
  close(): void;
}

/** How a backend talks back: output bytes, flow control, and the end of the session. */
export interface AgentOutput {
  write(data: Buffer): void;
  /** Ends the session with a channel_closed message carrying `output` (after the output sent so far is acknowledged). */
  end(output: string): void;
  readonly backlog: number;
}

export interface AgentSession {
  readonly sessionId: string;
  readonly tokenValue: string;
  /** Standard_Stream or Port. */
  readonly sessionType: string;
  readonly properties: unknown;
}

export interface AgentChannelOptions {
  readonly agentVersion: string;
  /** Drop every Nth stream frame in each direction on first sight (0: none), to exercise resending. */
  readonly dropEvery: number;
  readonly retransmitMs: number;
  /** Where the stream sequence numbers taken from the client are recorded, in delivery order. */
  readonly inputLog: number[];
}

const CHUNK = 1024;

/**
 * The SSM agent's end of one data channel, speaking the session-manager-plugin's protocol: it checks the
 * token, asks for the session type in the handshake, then numbers, acknowledges and resends stream messages
 * like the client does. The backend starts only once the handshake is complete.
 */
export class SsmAgentChannel {
  private expected = 0;
  private nextSequence = 0;
  private readonly incoming = new Map<number, SsmMessage>();
  private readonly outgoing = new Map<number, { frame: Buffer; lastSent: number }>();
  private backend: AgentBackend | undefined;
  private readonly timer: NodeJS.Timeout;
  private tokenSeen = false;
  private closed = false;
  private framesSeen = 0;
  private framesSent = 0;
  private drainWaiters: (() => void)[] = [];

  constructor(
    private readonly ws: WebSocket,
    private readonly session: AgentSession,
    private readonly options: AgentChannelOptions,
    private readonly startBackend: (output: AgentOutput) => AgentBackend,
    private readonly onClose: () => void,
  ) {
    this.timer = setInterval(() => this.resend(), Math.max(10, Math.floor(options.retransmitMs / 4)));
    ws.on('message', (data: Buffer, isBinary: boolean) => (isBinary ? this.receive(data) : this.receiveToken(data)));
    ws.on('close', () => this.shutdown());
    ws.on('error', () => this.shutdown());
  }

  /** TerminateSession: the agent closes the channel with an empty output. */
  terminate(): void {
    this.sendClosed('');
  }

  private receiveToken(data: Buffer): void {
    let token: { TokenValue?: unknown } | undefined;
    try {
      token = JSON.parse(data.toString('utf8')) as { TokenValue?: unknown };
    } catch {
      token = undefined;
    }
    if (this.tokenSeen || token?.TokenValue !== this.session.tokenValue) {
      this.ws.close(1008, 'invalid token');
      return;
    }
    this.tokenSeen = true;
    this.sendStream(
      SSM_PAYLOAD_TYPES.handshakeRequest,
      Buffer.from(
        JSON.stringify({
          AgentVersion: this.options.agentVersion,
          RequestedClientActions: [{ ActionType: 'SessionType', ActionParameters: { SessionType: this.session.sessionType, Properties: this.session.properties } }],
        }),
      ),
    );
  }

  private receive(raw: Buffer): void {
    if (!this.tokenSeen) {
      this.ws.close(1008, 'token expected first');
      return;
    }
    let message: SsmMessage;
    try {
      message = decodeSsmMessage(raw);
    } catch (error) {
      if (error instanceof SsmFrameError) return;
      throw error;
    }
    if (message.messageType === SSM_MESSAGE_TYPES.acknowledge) {
      const ack = parseJsonPayload<AcknowledgeContent>(message);
      if (typeof ack?.AcknowledgedMessageSequenceNumber === 'number') this.outgoing.delete(ack.AcknowledgedMessageSequenceNumber);
      if (this.outgoing.size === 0) for (const w of this.drainWaiters.splice(0)) w();
      return;
    }
    if (message.messageType !== SSM_MESSAGE_TYPES.input) return;
    this.framesSeen += 1;
    if (this.options.dropEvery > 0 && this.framesSeen % this.options.dropEvery === 0) return;
    this.sendRaw(encodeSsmMessage(acknowledgeMessage(message)));
    if (message.sequenceNumber < this.expected) return;
    this.incoming.set(message.sequenceNumber, message);
    for (let next = this.incoming.get(this.expected); next !== undefined; next = this.incoming.get(this.expected)) {
      this.incoming.delete(this.expected);
      this.expected += 1;
      this.options.inputLog.push(next.sequenceNumber);
      this.process(next);
    }
  }

  private process(message: SsmMessage): void {
    switch (message.payloadType) {
      case SSM_PAYLOAD_TYPES.handshakeResponse: {
        const response = parseJsonPayload<HandshakeResponsePayload>(message);
        const accepted = response?.ProcessedClientActions.some((a) => a.ActionType === 'SessionType' && a.ActionStatus === 1) === true;
        if (!accepted) {
          this.sendClosed(`Handshake failed: ${response?.Errors.join('; ') ?? 'no response'}`);
          return;
        }
        this.sendStream(SSM_PAYLOAD_TYPES.handshakeComplete, Buffer.from(JSON.stringify({ HandshakeTimeToComplete: 2_000_000, CustomerMessage: '' })));
        const outgoing = this.outgoing;
        this.backend = this.startBackend({
          write: (data) => {
            for (let at = 0; at < data.length; at += CHUNK) this.sendStream(SSM_PAYLOAD_TYPES.output, data.subarray(at, at + CHUNK));
          },
          end: (output) => void this.drained().then(() => this.sendClosed(output)),
          get backlog() {
            return outgoing.size;
          },
        });
        return;
      }
      case SSM_PAYLOAD_TYPES.output:
        this.backend?.input(message.payload);
        return;
      case SSM_PAYLOAD_TYPES.size: {
        const size = parseJsonPayload<{ cols?: unknown; rows?: unknown }>(message);
        if (typeof size?.cols === 'number' && typeof size.rows === 'number') this.backend?.resize(size.cols, size.rows);
        return;
      }
      case SSM_PAYLOAD_TYPES.flag:
        if (message.payload.length >= 4) this.backend?.flag(message.payload.readUInt32BE(0));
        return;
      default:
        return;
    }
  }

  private drained(): Promise<void> {
    if (this.outgoing.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.drainWaiters.push(resolve);
      setTimeout(resolve, 3000).unref();
    });
  }

  private sendStream(payloadType: number, payload: Buffer): void {
    if (this.closed) return;
    const frame = encodeSsmMessage({
      messageType: SSM_MESSAGE_TYPES.output,
      schemaVersion: 1,
      createdDate: Date.now(),
      sequenceNumber: this.nextSequence,
      flags: 0,
      messageId: randomUUID(),
      payloadType,
      payload,
    });
    this.outgoing.set(this.nextSequence, { frame, lastSent: Date.now() });
    this.nextSequence += 1;
    this.framesSent += 1;
    // A dropped first copy is sent again by the resend timer, as if the network had lost it.
    if (this.options.dropEvery > 0 && this.framesSent % this.options.dropEvery === 0) return;
    this.sendRaw(frame);
  }

  private resend(): void {
    const now = Date.now();
    for (const entry of this.outgoing.values()) {
      if (now - entry.lastSent < this.options.retransmitMs) continue;
      entry.lastSent = now;
      this.sendRaw(entry.frame);
    }
  }

  private sendClosed(output: string): void {
    if (this.closed) return;
    const payload = { MessageType: 'channel_closed', MessageId: randomUUID(), CreatedDate: new Date().toISOString(), SessionId: this.session.sessionId, SchemaVersion: 1, Output: output };
    this.sendRaw(
      encodeSsmMessage({
        messageType: SSM_MESSAGE_TYPES.channelClosed,
        schemaVersion: 1,
        createdDate: Date.now(),
        sequenceNumber: 0,
        flags: 0,
        messageId: randomUUID(),
        payloadType: 0,
        payload: Buffer.from(JSON.stringify(payload)),
      }),
    );
    this.shutdown();
    this.ws.close(1000);
  }

  private sendRaw(frame: Buffer): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(frame, { binary: true });
  }

  private shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.backend?.close();
    this.onClose();
  }
}
