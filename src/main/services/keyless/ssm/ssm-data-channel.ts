import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { HangarError } from '../../../../shared/errors/hangar-error';
import { decodeSsmMessage, encodeSsmMessage, SSM_MESSAGE_TYPES, SSM_PAYLOAD_TYPES, SsmFrameError, type SsmMessage } from './ssm-message';
import {
  acknowledgeMessage,
  openDataChannelInput,
  parseJsonPayload,
  type AcknowledgeContent,
  type ChannelClosedPayload,
  type HandshakeCompletePayload,
  type HandshakeRequestPayload,
  type HandshakeResponsePayload,
  type ProcessedClientAction,
} from './ssm-payloads';

/**
 * The version Hangar reports in OpenDataChannel and the handshake. Agents choose TCP multiplexing (smux) for
 * port sessions only for plugin versions from 1.1.70 on; Hangar speaks the basic one-stream-per-session
 * forwarding, so it presents itself as an older client.
 */
export const SSM_CLIENT_VERSION = '1.0.0.0';
/** The plugin's StreamDataPayloadSize: input is sent in frames of at most this many bytes. */
export const SSM_INPUT_CHUNK = 1024;

/** The plugin's retransmission constants (src/config/config.go); tests shorten them. */
export interface SsmTiming {
  readonly initialRetransmitMs: number;
  readonly maxRetransmitMs: number;
  readonly resendCheckMs: number;
  readonly maxResendAttempts: number;
  readonly handshakeTimeoutMs: number;
  readonly pingMs: number;
}

export const SSM_TIMING: SsmTiming = {
  initialRetransmitMs: 200,
  maxRetransmitMs: 1000,
  resendCheckMs: 100,
  maxResendAttempts: 3000,
  handshakeTimeoutMs: 30_000,
  pingMs: 5 * 60_000,
};

const INCOMING_CAPACITY = 10_000;
const OUTGOING_CAPACITY = 10_000;

export interface SsmHandshake {
  readonly agentVersion: string;
  /** Standard_Stream (shells and commands) or Port. */
  readonly sessionType: string;
  readonly properties: unknown;
  readonly customerMessage: string;
}

/** How a channel ended: the agent closed it (the shell exited, TerminateSession) or the connection was lost. */
export type SsmChannelEnd = { readonly kind: 'closed'; readonly output: string } | { readonly kind: 'lost'; readonly error: HangarError };

export interface SsmDataChannelOptions {
  /** StartSession's StreamUrl and TokenValue. */
  readonly streamUrl: string;
  readonly tokenValue: string;
  readonly clientId?: string;
  readonly timing?: Partial<SsmTiming>;
  readonly signal?: AbortSignal;
  /** Output bytes (stdout and stderr of a shell, or the remote port's bytes), in sequence order. */
  onData(bytes: Buffer): void;
  onEnd?(end: SsmChannelEnd): void;
  onExitCode?(code: number): void;
}

interface Outgoing {
  readonly content: Buffer;
  readonly sequenceNumber: number;
  lastSent: number;
  attempts: number;
}

/**
 * A client of the Session Manager data channel (the WebSocket behind StartSession's StreamUrl), as the
 * session-manager-plugin speaks it: token first, the agent's handshake, then stream messages that each side
 * numbers, acknowledges and resends until acknowledged. KMS-encrypted sessions are refused in the handshake.
 */
export class SsmDataChannel {
  private readonly timing: SsmTiming;
  private expected = 0;
  private nextSequence = 0;
  private readonly incoming = new Map<number, SsmMessage>();
  private readonly outgoing: Outgoing[] = [];
  private rtt: number;
  private rttVariation = 0;
  private retransmitMs: number;
  private resendTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private ended = false;
  private handshakeDone = false;
  private handshakeResult: SsmHandshake | undefined;
  private agentVersion = '';
  private refusal: string | undefined;
  private settleOpen: ((error?: HangarError) => void) | undefined;

  private constructor(
    private readonly ws: WebSocket,
    private readonly options: SsmDataChannelOptions,
  ) {
    this.timing = { ...SSM_TIMING, ...options.timing };
    this.rtt = 100;
    this.retransmitMs = this.timing.initialRetransmitMs;
  }

  /** Connects, sends the token and completes the agent's handshake. */
  static async open(options: SsmDataChannelOptions): Promise<SsmDataChannel> {
    const ws = new WebSocket(options.streamUrl, { perMessageDeflate: false });
    const channel = new SsmDataChannel(ws, options);
    await channel.start();
    return channel;
  }

  get handshake(): SsmHandshake {
    if (!this.handshakeResult) throw new Error('the handshake has not completed');
    return this.handshakeResult;
  }

  /** Messages sent and not yet acknowledged. */
  get unacknowledged(): number {
    return this.outgoing.length;
  }

  /** Keystrokes or port bytes, in frames of at most SSM_INPUT_CHUNK bytes. */
  write(data: Buffer): void {
    for (let at = 0; at < data.length; at += SSM_INPUT_CHUNK) this.sendStream(SSM_PAYLOAD_TYPES.output, data.subarray(at, at + SSM_INPUT_CHUNK));
  }

  resize(cols: number, rows: number): void {
    this.sendStream(SSM_PAYLOAD_TYPES.size, Buffer.from(JSON.stringify({ cols, rows })));
  }

  /** DisconnectToPort or TerminateSession (SSM_FLAGS). */
  sendFlag(flag: number): void {
    const payload = Buffer.alloc(4);
    payload.writeUInt32BE(flag);
    this.sendStream(SSM_PAYLOAD_TYPES.flag, payload);
  }

  /** Closes the WebSocket; the session itself ends with TerminateSession (or a TerminateSession flag). */
  close(): void {
    this.finish(undefined);
    this.ws.close(1000);
  }

  private start(): Promise<void> {
    const { ws, options } = this;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => this.settleOpen?.(channelError('SSM_SESSION_FAILED', 'The Session Manager agent did not complete its handshake.', 'Check that the SSM agent on the instance is running and up to date, then connect again.', true)),
        this.timing.handshakeTimeoutMs,
      );
      const onAbort = (): void => this.settleOpen?.(new HangarError({ code: 'CANCELLED', message: 'Opening the Session Manager session was cancelled.' }));
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.settleOpen = (error) => {
        this.settleOpen = undefined;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        if (error === undefined) {
          resolve();
          return;
        }
        this.ended = true;
        this.stopTimers();
        ws.terminate();
        reject(error);
      };
      ws.on('open', () => {
        ws.send(openDataChannelInput(options.tokenValue, options.clientId ?? randomUUID(), SSM_CLIENT_VERSION));
        this.resendTimer = setInterval(() => this.resendOverdue(), this.timing.resendCheckMs);
        this.pingTimer = setInterval(() => ws.ping(), this.timing.pingMs);
        this.pingTimer.unref();
      });
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (isBinary) this.receive(data);
      });
      ws.on('error', (error) => {
        const lost = channelError('SSM_CHANNEL_LOST', `The Session Manager connection failed: ${error.message}.`, 'Check your network connection and connect again.', true, error);
        if (this.settleOpen) this.settleOpen(lost);
        else this.finish({ kind: 'lost', error: lost });
      });
      ws.on('close', (code) => {
        const lost = channelError(
          'SSM_CHANNEL_LOST',
          this.refusal ?? `The Session Manager connection closed (WebSocket code ${code}).`,
          this.refusal === undefined ? 'Connect again; if it keeps closing, check that the SSM agent on the instance is online.' : 'Turn off KMS encryption for Session Manager sessions in the account\'s Session Manager preferences, or connect with SSH.',
          this.refusal === undefined,
        );
        if (this.settleOpen) this.settleOpen(lost);
        else this.finish({ kind: 'lost', error: lost });
      });
    });
  }

  private receive(raw: Buffer): void {
    let message: SsmMessage;
    try {
      message = decodeSsmMessage(raw);
    } catch (error) {
      // A corrupt frame is not acknowledged, so the agent sends it again.
      if (error instanceof SsmFrameError) return;
      throw error;
    }
    switch (message.messageType) {
      case SSM_MESSAGE_TYPES.output:
        this.receiveStream(message);
        return;
      case SSM_MESSAGE_TYPES.acknowledge:
        this.receiveAck(message);
        return;
      case SSM_MESSAGE_TYPES.channelClosed: {
        const closed = parseJsonPayload<ChannelClosedPayload>(message);
        this.finish({ kind: 'closed', output: closed?.Output ?? '' });
        this.ws.close(1000);
        return;
      }
      default:
        // start_publication / pause_publication: the plugin ignores them too.
        return;
    }
  }

  private receiveStream(message: SsmMessage): void {
    // Every stream message is acknowledged, a duplicate too: its first acknowledgement may have been lost.
    this.sendRaw(encodeSsmMessage(acknowledgeMessage(message)));
    if (message.sequenceNumber < this.expected) return;
    if (message.sequenceNumber > this.expected) {
      if (this.incoming.size < INCOMING_CAPACITY) this.incoming.set(message.sequenceNumber, message);
      return;
    }
    this.process(message);
    this.expected += 1;
    for (let next = this.incoming.get(this.expected); next !== undefined; next = this.incoming.get(this.expected)) {
      this.incoming.delete(this.expected);
      this.process(next);
      this.expected += 1;
    }
  }

  private process(message: SsmMessage): void {
    switch (message.payloadType) {
      case SSM_PAYLOAD_TYPES.handshakeRequest:
        this.answerHandshake(message);
        return;
      case SSM_PAYLOAD_TYPES.handshakeComplete: {
        const complete = parseJsonPayload<HandshakeCompletePayload>(message);
        this.completeHandshake(complete?.CustomerMessage ?? '');
        return;
      }
      case SSM_PAYLOAD_TYPES.output:
      case SSM_PAYLOAD_TYPES.stdErr:
        // Agents older than the handshake start streaming straight away: that is a shell.
        if (!this.handshakeDone) this.completeHandshake('');
        if (message.payload.length > 0) this.options.onData(Buffer.from(message.payload));
        return;
      case SSM_PAYLOAD_TYPES.exitCode: {
        const code = Number.parseInt(message.payload.toString('utf8'), 10);
        if (Number.isFinite(code)) this.options.onExitCode?.(code);
        return;
      }
      default:
        return;
    }
  }

  private requested: { sessionType: string; properties: unknown } = { sessionType: 'Standard_Stream', properties: undefined };

  private answerHandshake(message: SsmMessage): void {
    const request = parseJsonPayload<HandshakeRequestPayload>(message);
    this.agentVersion = request?.AgentVersion ?? '';
    const processed: ProcessedClientAction[] = [];
    const errors: string[] = [];
    for (const action of request?.RequestedClientActions ?? []) {
      if (action.ActionType === 'SessionType') {
        const params = (action.ActionParameters ?? {}) as { SessionType?: unknown; Properties?: unknown };
        const sessionType = typeof params.SessionType === 'string' ? params.SessionType : '';
        if (['Standard_Stream', 'InteractiveCommands', 'NonInteractiveCommands', 'Port'].includes(sessionType)) {
          this.requested = { sessionType: sessionType === 'Port' ? 'Port' : 'Standard_Stream', properties: params.Properties };
          processed.push({ ActionType: action.ActionType, ActionStatus: 1, Error: '' });
        } else {
          const error = `Failed to process action SessionType: Unknown session type ${sessionType}`;
          processed.push({ ActionType: action.ActionType, ActionStatus: 2, Error: error });
          errors.push(error);
        }
      } else if (action.ActionType === 'KMSEncryption') {
        const error = 'Failed to process action KMSEncryption: Hangar does not support KMS-encrypted sessions';
        this.refusal = 'This Session Manager session requires KMS encryption, which Hangar does not support yet.';
        processed.push({ ActionType: action.ActionType, ActionStatus: 2, Error: error });
        errors.push(error);
      } else {
        const error = `Unsupported action ${action.ActionType}`;
        processed.push({ ActionType: action.ActionType, ActionStatus: 3, Error: error });
        errors.push(error);
      }
    }
    const response: HandshakeResponsePayload = { ClientVersion: SSM_CLIENT_VERSION, ProcessedClientActions: processed, Errors: errors };
    this.sendStream(SSM_PAYLOAD_TYPES.handshakeResponse, Buffer.from(JSON.stringify(response)));
  }

  private completeHandshake(customerMessage: string): void {
    if (this.handshakeDone) return;
    this.handshakeDone = true;
    this.handshakeResult = { agentVersion: this.agentVersion, ...this.requested, customerMessage };
    this.settleOpen?.();
  }

  private receiveAck(message: SsmMessage): void {
    const ack = parseJsonPayload<AcknowledgeContent>(message);
    if (typeof ack?.AcknowledgedMessageSequenceNumber !== 'number') return;
    const index = this.outgoing.findIndex((o) => o.sequenceNumber === ack.AcknowledgedMessageSequenceNumber);
    if (index < 0) return;
    const [acked] = this.outgoing.splice(index, 1);
    if (acked) this.updateRetransmitTimeout(Date.now() - acked.lastSent);
  }

  /** The plugin's (TCP's) smoothed round-trip estimate: RTO = SRTT + max(10 ms, 4 × RTTVAR), at most 1 s. */
  private updateRetransmitTimeout(sample: number): void {
    this.rttVariation = 0.75 * this.rttVariation + 0.25 * Math.abs(this.rtt - sample);
    this.rtt = 0.875 * this.rtt + 0.125 * sample;
    this.retransmitMs = Math.min(this.timing.maxRetransmitMs, this.rtt + Math.max(10, 4 * this.rttVariation));
  }

  private sendStream(payloadType: number, payload: Buffer): void {
    if (this.ended) throw channelError('SSM_CHANNEL_LOST', 'The Session Manager session has ended.', 'Connect again.', true);
    const content = encodeSsmMessage({
      messageType: SSM_MESSAGE_TYPES.input,
      schemaVersion: 1,
      createdDate: Date.now(),
      sequenceNumber: this.nextSequence,
      flags: 0,
      messageId: randomUUID(),
      payloadType,
      payload,
    });
    if (this.outgoing.length >= OUTGOING_CAPACITY) this.outgoing.shift();
    this.outgoing.push({ content, sequenceNumber: this.nextSequence, lastSent: Date.now(), attempts: 0 });
    this.nextSequence += 1;
    this.sendRaw(content);
  }

  private resendOverdue(): void {
    const now = Date.now();
    for (const message of this.outgoing) {
      if (now - message.lastSent <= this.retransmitMs) continue;
      if (message.attempts >= this.timing.maxResendAttempts) {
        this.finish({
          kind: 'lost',
          error: channelError('SSM_CHANNEL_LOST', 'The Session Manager agent stopped acknowledging what Hangar sent.', 'The instance may be overloaded or its agent stopped; connect again.', true),
        });
        this.ws.terminate();
        return;
      }
      message.attempts += 1;
      message.lastSent = now;
      this.sendRaw(message.content);
    }
  }

  private sendRaw(frame: Buffer): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(frame, { binary: true });
  }

  private finish(end: SsmChannelEnd | undefined): void {
    if (this.ended) return;
    this.ended = true;
    this.stopTimers();
    if (end) this.options.onEnd?.(end);
  }

  private stopTimers(): void {
    if (this.resendTimer) clearInterval(this.resendTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
  }
}

function channelError(code: HangarError['code'], message: string, hint: string, retryable = false, cause?: unknown): HangarError {
  return new HangarError({ code, message, hint, retryable, ...(cause === undefined ? {} : { cause }) });
}
