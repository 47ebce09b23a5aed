import { EventEmitter } from 'node:events';
import { HangarError } from '../../../../shared/errors/hangar-error';
import { TTY_MARKER_PREFIX, type ShellChannel, type ShellConnection } from '../../ssh/terminal-session';
import type { SsmTiming } from './ssm-data-channel';
import type { SsmSessionApi } from './ssm-session-api';
import { openSsmShell, type SsmShell } from './ssm-shell';

export interface SsmTerminalInput {
  readonly accountId: string;
  readonly region: string;
  readonly instanceId: string;
}

/** A Session Manager shell dressed as the channel and connection a terminal tab's pump reads. */
export interface SsmTerminal {
  readonly stream: ShellChannel;
  readonly connection: ShellConnection;
  /** The instance's name. */
  readonly title: string;
  readonly sessionId: string;
}

export type OpenSsmTerminal = (input: SsmTerminalInput, cols: number, rows: number, signal?: AbortSignal) => Promise<SsmTerminal>;

export interface SsmTerminalDeps {
  readonly api: SsmSessionApi;
  describeInstance(accountId: string, region: string, instanceId: string, signal?: AbortSignal): Promise<{ readonly instance: { readonly name?: string | undefined } }>;
  readonly timing?: Partial<SsmTiming>;
}

// Not a device path, so `busy` and `cwd` (which look at /dev/pts/N over SSH) leave a Session Manager shell alone.
const MARKER = Buffer.from(`${TTY_MARKER_PREFIX}session-manager\x07`, 'latin1');

/**
 * The terminal service's way into a Session Manager shell. Flow control differs from SSH: the data channel
 * acknowledges every frame it receives (or the agent would resend it), so a slow tab cannot hold the agent
 * back; output is batched and counted as for SSH and simply not paused.
 */
export function createSsmTerminalOpener(deps: SsmTerminalDeps): OpenSsmTerminal {
  return async (input, cols, rows, signal) => {
    const details = await deps.describeInstance(input.accountId, input.region, input.instanceId, signal);
    const title = details.instance.name ?? input.instanceId;
    const channel = new SsmShellChannel();
    const shell = await openSsmShell(deps.api, { ...input, title }, {
      cols,
      rows,
      onData: (bytes) => channel.output(bytes),
      onEnd: (end) => (end.kind === 'closed' ? channel.ended() : channel.lost()),
      ...(deps.timing === undefined ? {} : { timing: deps.timing }),
      ...(signal === undefined ? {} : { signal }),
    });
    channel.bind(shell);
    return { stream: channel, connection: channel.connection, title, sessionId: shell.sessionId };
  };
}

class SsmShellChannel extends EventEmitter implements ShellChannel {
  readonly stderr = new EventEmitter();
  private shell: SsmShell | undefined;
  // Held until the pump listens: the marker first, then whatever the shell printed meanwhile.
  private pending: Buffer[] | undefined = [MARKER];
  readonly connection = new SsmShellConnection();

  constructor() {
    super();
    this.on('newListener', (event: string) => {
      if (event === 'data' && this.pending !== undefined) queueMicrotask(() => this.flushPending());
    });
  }

  bind(shell: SsmShell): void {
    this.shell = shell;
  }

  output(bytes: Buffer): void {
    if (this.pending !== undefined) this.pending.push(bytes);
    else this.emit('data', bytes);
  }

  /** The shell ended (channel_closed): an exit, as SSH reports it. */
  ended(): void {
    this.flushPending();
    this.emit('exit', 0);
    this.emit('close');
  }

  /** The WebSocket dropped or stopped being acknowledged: the connection is lost and the tab offers reconnect. */
  lost(): void {
    this.flushPending();
    this.connection.lost();
    this.emit('close');
  }

  write(data: string): void {
    try {
      this.shell?.write(Buffer.from(data, 'utf8'));
    } catch {
      // The channel has ended; its end is being reported.
    }
  }

  setWindow(rows: number, cols: number): void {
    try {
      this.shell?.resize(cols, rows);
    } catch {
      // As write.
    }
  }

  close(): void {
    void this.shell?.close().catch(() => undefined);
    this.emit('close');
  }

  pause(): void {
    // See createSsmTerminalOpener: the agent is not held back.
  }

  resume(): void {
    // Nothing was paused.
  }

  private flushPending(): void {
    const pending = this.pending;
    this.pending = undefined;
    for (const bytes of pending ?? []) this.emit('data', bytes);
  }
}

/** There is no SSH connection under a Session Manager shell: it is "lost" when the data channel is. */
class SsmShellConnection implements ShellConnection {
  closed = false;
  private readonly listeners = new Set<() => void>();

  onClose(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  run(): Promise<{ stdout: string; code: number | undefined }> {
    return Promise.reject(new HangarError({ code: 'NOT_IMPLEMENTED', message: 'Hangar runs no commands beside a Session Manager shell.' }));
  }

  lost(): void {
    this.closed = true;
    for (const listener of [...this.listeners]) listener();
  }
}
