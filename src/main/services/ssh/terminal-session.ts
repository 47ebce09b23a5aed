import type { TerminalClosedEvent, TerminalDataEvent } from '../../../shared/models/ssh';
import type { SshConnection } from './ssh-connection';

/** Printed by the launch command before the shell starts, so the session knows its pty (for `busy`). */
export const TTY_MARKER_PREFIX = '\x1b]1337;HangarTty=';
const PREFIX = Buffer.from(TTY_MARKER_PREFIX, 'latin1');
const MARKER_SEARCH_BYTES = 4096;
const MARKER_WAIT_MS = 1000;

export interface FlowControl {
  /** Stop reading from the channel once this many emitted bytes are unacknowledged. */
  readonly highWaterBytes: number;
  /** Read again once acknowledgements bring the unacknowledged bytes down to this. */
  readonly lowWaterBytes: number;
  /** How long output is gathered into one event. */
  readonly batchMs: number;
}

/**
 * What the pump needs of a shell: an ssh2 ClientChannel, or a Session Manager shell behind the same face
 * (keyless/ssm/ssm-terminal-channel.ts).
 */
export interface ShellChannel {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'exit', listener: (code: number | null, signal?: string) => void): unknown;
  on(event: 'error' | 'close', listener: () => void): unknown;
  readonly stderr: { on(event: 'data', listener: (chunk: Buffer) => void): unknown };
  write(data: string): unknown;
  setWindow(rows: number, cols: number, height: number, width: number): unknown;
  close(): unknown;
  pause(): unknown;
  resume(): unknown;
}

/** What the pump and the terminal service need of the connection a shell runs on. */
export type ShellConnection = Pick<SshConnection, 'onClose' | 'closed' | 'run'>;

export interface SessionSinks {
  data(event: TerminalDataEvent): void;
  closed(event: TerminalClosedEvent): void;
}

/**
 * One shell channel's output side: batches bytes into events (~16 ms, at most MAX_BATCH_BYTES) and pauses
 * the channel while the renderer has not acknowledged enough (its SSH window then fills and the server
 * stops sending, so memory stays bounded). Bytes stay bytes: xterm decodes them, once.
 */
/** Output smaller than this, after output as small, is treated as interactive and sent without waiting. */
const INTERACTIVE_BYTES = 1024;
/**
 * A batch is sent once it reaches this, without waiting out the window: about what xterm parses in one
 * frame, and it keeps every event (and every copy of it on the way) small.
 */
const MAX_BATCH_BYTES = 256 * 1024;

export class ChannelPump {
  private chunks: Buffer[] = [];
  private bytes = 0;
  /** Cancels the pending flush (a timeout during a burst, an immediate after idle). */
  private timer: (() => void) | undefined;
  private lastFlushAt = 0;
  private lastFlushBytes = 0;
  private unacked = 0;
  private paused = false;
  private head: Buffer | undefined = Buffer.alloc(0);
  private headTimer: NodeJS.Timeout | undefined;
  private exit: { code?: number; signal?: string } | undefined;
  private finished = false;
  tty: string | undefined;
  userClosed = false;
  /** Closed because Hangar stopped or terminated the instance: the tab offers Start, not Reconnect. */
  private stoppedReason = false;

  constructor(
    private readonly sessionId: string,
    readonly stream: ShellChannel,
    readonly connection: ShellConnection,
    private readonly flow: FlowControl,
    private readonly sinks: SessionSinks,
    private readonly onFinished: (reason: TerminalClosedEvent['reason']) => void,
  ) {
    stream.on('data', (chunk: Buffer) => this.receive(chunk));
    stream.stderr.on('data', (chunk: Buffer) => this.receive(chunk));
    stream.on('exit', (code: number | null, signal?: string) => {
      this.exit = { ...(code === null ? {} : { code }), ...(signal === undefined ? {} : { signal }) };
    });
    stream.on('error', () => undefined);
    stream.on('close', () => this.channelClosed());
    connection.onClose(() => this.finish('lost'));
  }

  get unacknowledged(): number {
    return this.unacked;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  get isFinished(): boolean {
    return this.finished;
  }

  write(data: string): void {
    if (!this.finished) this.stream.write(data);
  }

  resize(cols: number, rows: number): void {
    if (!this.finished) this.stream.setWindow(rows, cols, 0, 0);
  }

  ack(bytes: number): void {
    if (!Number.isFinite(bytes) || bytes <= 0) return;
    this.unacked = Math.max(0, this.unacked - bytes);
    if (this.paused && this.unacked <= this.flow.lowWaterBytes) {
      this.paused = false;
      this.stream.resume();
    }
  }

  /** Ends the channel: on the user's request (reported as 'closed'), or because the instance stopped. */
  close(why: 'user' | 'stopped' = 'user'): void {
    if (why === 'stopped') this.stoppedReason = true;
    else this.userClosed = true;
    if (this.finished) return;
    this.stream.close();
    // A channel that never answers the close must not hold the tab open.
    setTimeout(() => this.finish('closed'), 2000).unref();
  }

  private receive(chunk: Buffer): void {
    if (this.finished) return;
    let data = chunk;
    if (this.head !== undefined) {
      // Keystrokes typed before the shell started are echoed ahead of the marker: look for it anywhere early on.
      const head = Buffer.concat([this.head, chunk]);
      const at = head.indexOf(PREFIX);
      const bell = at === -1 ? -1 : head.indexOf(0x07, at + PREFIX.length);
      if (bell !== -1) {
        this.tty = head.subarray(at + PREFIX.length, bell).toString('utf8').trim();
        this.head = undefined;
        data = Buffer.concat([head.subarray(0, at), head.subarray(bell + 1)]);
      } else if (head.length < MARKER_SEARCH_BYTES) {
        this.head = head;
        this.headTimer ??= setTimeout(() => this.giveUpMarker(), MARKER_WAIT_MS);
        return;
      } else {
        this.head = undefined;
        data = head;
      }
      if (this.headTimer !== undefined) clearTimeout(this.headTimer);
    }
    if (data.length === 0) return;
    this.bytes += data.length;
    this.chunks.push(data);
    this.unacked += data.length;
    if (!this.paused && this.unacked >= this.flow.highWaterBytes) {
      this.paused = true;
      this.stream.pause();
    }
    if (this.bytes >= MAX_BATCH_BYTES) {
      this.flush();
      return;
    }
    if (this.timer !== undefined) return;
    // Interactive output (a keystroke's echo, a prompt) goes out at the end of this I/O turn, so typing is
    // never delayed by the batch window; bulk output (a runaway `cat`) is coalesced into one event per window.
    const wait = this.lastFlushAt + this.flow.batchMs - performance.now();
    const interactive = this.lastFlushBytes < INTERACTIVE_BYTES && this.bytes < INTERACTIVE_BYTES;
    if (wait <= 0 || interactive) {
      const immediate = setImmediate(() => this.flush());
      this.timer = () => clearImmediate(immediate);
    } else {
      const timeout = setTimeout(() => this.flush(), wait);
      this.timer = () => clearTimeout(timeout);
    }
  }

  /** No marker came (a shell that printed nothing?): release what was held back. */
  private giveUpMarker(): void {
    const held = this.head;
    this.head = undefined;
    if (held !== undefined && held.length > 0) this.receive(held);
  }

  private flush(): void {
    this.timer?.();
    this.timer = undefined;
    if (this.bytes === 0) return;
    this.lastFlushAt = performance.now();
    this.lastFlushBytes = this.bytes;
    const data = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.bytes);
    const event = { sessionId: this.sessionId, data, bytes: this.bytes };
    this.chunks = [];
    this.bytes = 0;
    this.sinks.data(event);
  }

  private channelClosed(): void {
    if (this.userClosed || this.stoppedReason) {
      this.finish('closed');
      return;
    }
    // A channel closing with an exit status is normally the shell ending; but when the link is being torn
    // down (sshd killed), the shell may die a moment before the socket does. Let the connection speak first.
    const timer = setTimeout(() => this.finish(this.connection.closed || this.exit === undefined ? 'lost' : 'exit'), 250);
    timer.unref();
  }

  private finish(reason: TerminalClosedEvent['reason']): void {
    if (this.finished) return;
    if (this.headTimer !== undefined) clearTimeout(this.headTimer);
    this.giveUpMarker();
    this.flush();
    this.finished = true;
    const final = this.userClosed ? 'closed' : this.stoppedReason ? 'stopped' : reason;
    const code = this.exit?.code;
    this.sinks.closed({
      sessionId: this.sessionId,
      reason: final,
      ...(final === 'exit' && code !== undefined ? { exitCode: code } : {}),
      ...(final === 'lost' ? { message: 'The connection to the instance was lost.' } : {}),
      ...(final === 'stopped' ? { message: 'The instance was stopped.' } : {}),
      ...(final === 'exit' && this.exit?.signal !== undefined ? { message: `The shell was ended by signal ${this.exit.signal}.` } : {}),
    });
    this.onFinished(final);
  }
}
