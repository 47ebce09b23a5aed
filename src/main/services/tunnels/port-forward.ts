import { connect as netConnect, type Server, type Socket } from 'node:net';
import type { Channel, TcpConnectionDetails, AcceptConnection, RejectConnection } from 'ssh2';
import { HangarError, isHangarError } from '../../../shared/errors/hangar-error';
import type { TunnelDirection, TunnelState } from '../../../shared/models/tunnels';
import type { Logger } from '../logging/logger';
import type { SshConnection } from '../ssh/ssh-connection';
import { listenLocal } from './listen-local';
import type { TunnelForward } from './tunnel-forward';

export interface ForwardSpec {
  readonly direction: TunnelDirection;
  /** local: preferred port to listen on; remote: the port on this computer that connections go to. */
  readonly localPort: number;
  /** local: what the instance connects to; remote: the address the instance listens on. */
  readonly remoteHost: string;
  readonly remotePort: number;
}

export interface PortForwardDeps {
  /** A referenced connection (the forward releases it when it closes or the link drops). */
  acquire(signal: AbortSignal): Promise<SshConnection>;
  /** Asked before each reconnect attempt: true when the instance stopped, so the tunnel closes instead of retrying. */
  instanceGone?(signal: AbortSignal): Promise<boolean>;
  onChange(): void;
  logger: Logger;
  /** Backoff between reconnect attempts, doubling from `initialMs`; gives up after `giveUpMs`. */
  reconnect?: { initialMs?: number; maxMs?: number; giveUpMs?: number };
  /** How long a local connection arriving while reconnecting waits for the link (default 15 s). */
  holdMs?: number;
}

/** Errors that another attempt cannot fix: the tunnel fails with them instead of retrying. */
const PERMANENT = new Set(['SSH_HOST_KEY_CHANGED', 'SSH_HOST_KEY_UNKNOWN', 'SSH_AUTH_FAILED', 'SSH_KEY_MISSING', 'SSH_KEY_PASSPHRASE_NEEDED', 'SSH_KEY_INVALID']);

type Waiter = (ready: boolean) => void;

/**
 * One forwarded port over the instance's shared SSH connection (ssh -L / ssh -R). Holds one reference
 * to the connection while open. When the link drops it keeps its local listener, re-acquires with backoff
 * and carries on; connections arriving meanwhile wait briefly for it.
 */
export class PortForward implements TunnelForward {
  readonly via = 'ssh' as const;
  state: TunnelState = 'opening';
  localPort: number;
  remotePort: number;
  note: string | undefined;
  error: HangarError | undefined;
  private connection: SshConnection | undefined;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private closedBytesIn = 0;
  private closedBytesOut = 0;
  private waiters: Waiter[] = [];
  private readonly abort = new AbortController();
  private stopWatching: (() => void) | undefined;
  private tcpHandler: ((details: TcpConnectionDetails, accept: AcceptConnection, reject: RejectConnection) => void) | undefined;

  constructor(
    readonly spec: ForwardSpec,
    private readonly deps: PortForwardDeps,
  ) {
    this.localPort = spec.localPort;
    this.remotePort = spec.remotePort;
  }

  get openConnections(): number {
    return this.sockets.size;
  }

  /** Bytes from the instance's side to this computer (what local sockets were written). */
  get bytesIn(): number {
    let sum = this.closedBytesIn;
    for (const socket of this.sockets) sum += socket.bytesWritten;
    return sum;
  }

  get bytesOut(): number {
    let sum = this.closedBytesOut;
    for (const socket of this.sockets) sum += socket.bytesRead;
    return sum;
  }

  /** Connects and starts forwarding; rejects (and cleans up) when the first attempt fails. */
  async open(): Promise<void> {
    try {
      const connection = await this.deps.acquire(this.abort.signal);
      if (this.spec.direction === 'local') {
        const listener = await listenLocal(this.spec.localPort, (socket) => this.onLocalSocket(socket));
        this.server = listener.server;
        this.localPort = listener.port;
        this.note = listener.note;
      }
      await this.attach(connection);
      this.setState('open');
    } catch (error) {
      this.shutdown();
      this.state = 'failed';
      throw error;
    }
  }

  /** Stops listening, ends every forwarded connection and lets go of the SSH connection. */
  close(): void {
    if (this.state === 'closed' || this.state === 'failed') return;
    this.shutdown();
    this.setState('closed');
  }

  private shutdown(): void {
    this.abort.abort();
    this.server?.close();
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.releaseWaiters(false);
    this.detach(true);
  }

  private setState(state: TunnelState): void {
    this.state = state;
    if (state === 'open') this.releaseWaiters(true);
    if (state === 'closed' || state === 'failed') this.releaseWaiters(false);
    this.deps.onChange();
  }

  private releaseWaiters(ready: boolean): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) waiter(ready);
  }

  private async attach(connection: SshConnection): Promise<void> {
    this.connection = connection;
    // Each forwarded request is a few small packets (channel open, request, window adjust): with Nagle on,
    // one of them waits for the server's delayed ACK (40 ms on Linux). OpenSSH's forwards do not wait either.
    connection.client.setNoDelay(true);
    if (this.spec.direction === 'remote') {
      try {
        await this.bindRemote(connection);
      } catch (error) {
        this.detach(true);
        throw error;
      }
    }
    this.stopWatching = connection.onClose(() => this.onConnectionLost(connection));
  }

  /** Forgets the connection; `release` false when it is already dead (its reference count no longer matters). */
  private detach(release: boolean): void {
    const connection = this.connection;
    this.connection = undefined;
    this.stopWatching?.();
    this.stopWatching = undefined;
    if (connection === undefined) return;
    if (this.tcpHandler !== undefined) {
      connection.client.removeListener('tcp connection', this.tcpHandler);
      this.tcpHandler = undefined;
      if (!connection.closed) connection.client.unforwardIn(this.spec.remoteHost, this.remotePort, () => undefined);
    }
    if (release) connection.release();
  }

  private onConnectionLost(connection: SshConnection): void {
    if (this.connection !== connection || this.state === 'closed' || this.state === 'failed') return;
    this.detach(true);
    this.setState('reconnecting');
    void this.reconnectLoop();
  }

  private async reconnectLoop(): Promise<void> {
    const initialMs = this.deps.reconnect?.initialMs ?? 500;
    const maxMs = this.deps.reconnect?.maxMs ?? 10_000;
    const giveUpMs = this.deps.reconnect?.giveUpMs ?? 10 * 60_000;
    const started = Date.now();
    let delay = initialMs;
    const signal = this.abort.signal;
    while (!signal.aborted && this.state === 'reconnecting') {
      try {
        if (this.deps.instanceGone !== undefined && (await this.deps.instanceGone(signal))) {
          this.error = new HangarError({ code: 'INSTANCE_STOPPED', message: 'The instance is no longer running, so the tunnel was closed.' });
          this.close();
          return;
        }
        const connection = await this.deps.acquire(signal);
        if (signal.aborted) {
          connection.release();
          return;
        }
        await this.attach(connection);
        this.error = undefined;
        this.setState('open');
        return;
      } catch (error) {
        if (signal.aborted) return;
        const wrapped = isHangarError(error)
          ? error
          : new HangarError({ code: 'CONNECTION_LOST', message: 'The SSH connection to the instance was lost.', hint: 'Hangar keeps trying to reconnect.', cause: error });
        this.error = wrapped;
        this.deps.logger.debug(`tunnel reconnect to ${this.spec.remoteHost}:${this.spec.remotePort} failed`, wrapped);
        if (PERMANENT.has(wrapped.code) || Date.now() - started > giveUpMs) {
          this.shutdown();
          this.setState('failed');
          return;
        }
        this.deps.onChange();
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      delay = Math.min(delay * 2, maxMs);
    }
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => {
      this.sockets.delete(socket);
      this.closedBytesIn += socket.bytesWritten;
      this.closedBytesOut += socket.bytesRead;
      this.deps.onChange();
    });
    this.deps.onChange();
  }

  private onLocalSocket(socket: Socket): void {
    socket.on('error', () => undefined);
    this.track(socket);
    if (this.state === 'open' && this.connection !== undefined) {
      this.forwardOut(socket, this.connection);
      return;
    }
    if (this.state !== 'reconnecting' && this.state !== 'opening') {
      socket.destroy();
      return;
    }
    // The link is coming back: hold the connection (its bytes stay buffered in the socket) rather than refuse it.
    const timer = setTimeout(() => settle(false), this.deps.holdMs ?? 15_000);
    const settle: Waiter = (ready) => {
      clearTimeout(timer);
      this.waiters = this.waiters.filter((w) => w !== settle);
      if (ready && this.connection !== undefined && !socket.destroyed) this.forwardOut(socket, this.connection);
      else socket.destroy();
    };
    this.waiters.push(settle);
    socket.once('close', () => settle(false));
  }

  private forwardOut(socket: Socket, connection: SshConnection): void {
    const srcPort = socket.remotePort ?? 0;
    try {
      connection.client.forwardOut('127.0.0.1', srcPort, this.spec.remoteHost, this.spec.remotePort, (error, channel) => {
        if (error) {
          socket.destroy();
          this.noteChannelFailure(error);
          return;
        }
        if (socket.destroyed) {
          channel.close();
          return;
        }
        if (this.error?.code === 'TUNNEL_FAILED') {
          this.error = undefined;
          this.deps.onChange();
        }
        splice(socket, channel);
      });
    } catch (error) {
      // ssh2 throws synchronously when the client is no longer connected.
      socket.destroy();
      this.deps.logger.debug('forwardOut on a closed connection', error);
    }
  }

  /** The far end refused (nothing listens there): kept on the tunnel so the panel can say so. */
  private noteChannelFailure(error: Error): void {
    this.error = new HangarError({
      code: 'TUNNEL_FAILED',
      message: `Nothing answered on ${this.spec.remoteHost}:${this.spec.remotePort} on the instance (${error.message}).`,
      hint: 'Check that the program you are forwarding to is running on the instance and listens on that port.',
    });
    this.deps.onChange();
  }

  private bindRemote(connection: SshConnection): Promise<void> {
    return new Promise((resolve, reject) => {
      connection.client.forwardIn(this.spec.remoteHost, this.spec.remotePort, (error, port) => {
        if (error) {
          reject(
            new HangarError({
              code: 'TUNNEL_FAILED',
              message: `The instance would not listen on ${this.spec.remoteHost}:${this.spec.remotePort} for this computer (${error.message}).`,
              hint: 'The port may be in use on the instance, or its sshd may forbid remote forwarding (AllowTcpForwarding / GatewayPorts).',
              cause: error,
            }),
          );
          return;
        }
        if (this.spec.remotePort === 0 && port > 0) this.remotePort = port;
        const handler = (details: TcpConnectionDetails, accept: AcceptConnection, reject: RejectConnection): void => {
          if (details.destPort !== this.remotePort) return;
          if (this.state === 'closed' || this.state === 'failed') {
            reject();
            return;
          }
          const socket = netConnect({ host: '127.0.0.1', port: this.spec.localPort, noDelay: true });
          socket.on('error', () => undefined);
          this.track(socket);
          const channel = accept();
          splice(socket, channel);
        };
        this.tcpHandler = handler;
        connection.client.on('tcp connection', handler);
        resolve();
      });
    });
  }
}

/** Both directions piped with backpressure; either side ending or failing ends the other. */
function splice(socket: Socket, channel: Channel): void {
  socket.pipe(channel);
  channel.pipe(socket);
  channel.on('error', () => socket.destroy());
  socket.once('close', () => channel.close());
  channel.once('close', () => {
    // Let what is already buffered reach the local side before closing it.
    if (!socket.destroyed) socket.end();
  });
}
