import type { Duplex } from 'node:stream';
import { Client, type ClientChannel, type PseudoTtyOptions, type SFTPWrapper } from 'ssh2';
import { cancelledError } from '../../../shared/errors/hangar-error';
import { CoalescingSocket } from './coalescing-socket';
import { commandLine, type RemoteCommand } from './remote-command';

export interface ConnectOptions {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly privateKey: string;
  readonly passphrase?: string;
  /** Decides on the server's key blob; ssh2 would accept any key without it. */
  readonly verifyHostKey: (blob: Buffer) => Promise<boolean>;
  readonly readyTimeoutMs: number;
  readonly keepaliveIntervalMs: number;
  readonly signal?: AbortSignal;
  /** An already open way to the server (a proxy's socket, a bastion's forwarded channel); else a TCP connection is made. */
  readonly sock?: Duplex;
}

/** One authenticated ssh2 Client, or the raw ssh2 / socket error. */
export function connectClient(opts: ConnectOptions): Promise<Client> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(cancelledError());
      return;
    }
    const client = new Client();
    let settled = false;
    const onAbort = (): void => {
      finish(cancelledError());
      client.end();
    };
    const finish = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      if (error === undefined) resolve(client);
      else {
        client.end();
        reject(error);
      }
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    client.once('ready', () => finish());
    client.on('error', (error) => finish(error));
    client.once('close', () => finish(new Error('Connection closed before it was ready')));
    try {
      // Our own socket, so that the packets written in one loop turn leave in one writev (coalescing-socket.ts).
      let sock = opts.sock;
      if (sock === undefined) {
        const direct = new CoalescingSocket();
        direct.connect({ host: opts.host, port: opts.port });
        // No Nagle: packets already leave one writev per loop turn, and Nagle holding a short request back until
        // the peer's delayed ACK (40 ms on Linux) made every quick command take ~50 ms instead of ~12.
        direct.setNoDelay(true);
        sock = direct;
      }
      client.connect({
        sock,
        host: opts.host,
        port: opts.port,
        username: opts.username,
        privateKey: opts.privateKey,
        ...(opts.passphrase === undefined ? {} : { passphrase: opts.passphrase }),
        tryKeyboard: false,
        readyTimeout: opts.readyTimeoutMs,
        keepaliveInterval: opts.keepaliveIntervalMs,
        keepaliveCountMax: 3,
        hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
          opts.verifyHostKey(key).then(verify, () => verify(false));
        },
      });
    } catch (error) {
      // A key ssh2 cannot parse throws synchronously.
      finish(error);
    }
  });
}

/**
 * One SSH connection per instance, shared by its terminals (and later SFTP and tunnels): reference-counted,
 * ended when the last user lets go. A dead link (keepalive failure, socket closed) notifies every holder.
 */
export class SshConnection {
  private refs = 0;
  private closedFlag = false;
  private endingFlag = false;
  private readonly closeListeners = new Set<() => void>();
  private persistentProbe: Promise<'tmux' | 'screen' | undefined> | undefined;
  private sftpSession: Promise<SFTPWrapper> | undefined;

  constructor(
    readonly instanceId: string,
    readonly client: Client,
    readonly user: string,
    readonly host: string,
    readonly port: number,
    readonly hostKey: { readonly fingerprintSha256: string; readonly verifiedBy: 'console-output' | 'user' | 'pinned'; readonly publicKey?: string },
  ) {
    // Errors after 'ready' (keepalive timeout, ECONNRESET) are followed by 'close'; without a listener they would throw.
    client.on('error', () => undefined);
    client.once('close', () => {
      this.closedFlag = true;
      for (const listener of [...this.closeListeners]) listener();
      this.closeListeners.clear();
    });
  }

  /** True from end() on: a connection being torn down must not be handed out again (its channels would fail "Not connected"). */
  get closed(): boolean {
    return this.closedFlag || this.endingFlag;
  }

  acquire(): void {
    this.refs++;
  }

  /** Ends the connection when nobody holds it any more. */
  release(): void {
    this.refs = Math.max(0, this.refs - 1);
    if (this.refs === 0) this.end();
  }

  get holders(): number {
    return this.refs;
  }

  onClose(listener: () => void): () => void {
    if (this.closedFlag) {
      queueMicrotask(listener);
      return () => undefined;
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  end(): void {
    if (this.closedFlag) return;
    this.endingFlag = true;
    this.client.end();
  }

  /**
   * Runs a command under /bin/sh (remote-command.ts) and collects its stdout; for short probes and hashes.
   * On timeout or abort the channel is closed, so nothing is left running on the connection's account.
   */
  run(command: RemoteCommand, timeoutMs = 10_000, signal?: AbortSignal): Promise<{ stdout: string; code: number | undefined }> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      let channel: ClientChannel | undefined;
      let settled = false;
      const finish = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        outcome();
      };
      const giveUp = (error: unknown): void => {
        finish(() => reject(error));
        if (channel === undefined) return;
        // Closing the channel alone leaves the command running on the instance: end its process group first.
        channel.signal('KILL');
        channel.close();
      };
      const onAbort = (): void => giveUp(signal?.reason);
      const timer = setTimeout(() => giveUp(new Error(`remote command timed out after ${timeoutMs} ms`)), timeoutMs);
      timer.unref();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.client.exec(commandLine(command), (error, stream) => {
        if (error) {
          finish(() => reject(error));
          return;
        }
        channel = stream;
        if (settled) {
          stream.signal('KILL');
          stream.close();
          return;
        }
        let stdout = '';
        let code: number | undefined;
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => {
          if (stdout.length < 1_000_000) stdout += chunk;
        });
        stream.stderr.resume();
        stream.on('exit', (c: number | null) => {
          code = c ?? undefined;
        });
        stream.on('close', () => finish(() => resolve({ stdout, code })));
      });
    });
  }

  /** Which session keeper the instance has (tmux preferred); asked once per connection. */
  persistentTool(): Promise<'tmux' | 'screen' | undefined> {
    this.persistentProbe ??= this.run({
      script: 'if command -v tmux >/dev/null 2>&1; then echo tmux; elif command -v screen >/dev/null 2>&1; then echo screen; fi',
    }).then(
      ({ stdout }) => {
        const tool = stdout.trim();
        return tool === 'tmux' || tool === 'screen' ? tool : undefined;
      },
      () => undefined,
    );
    return this.persistentProbe;
  }

  /**
   * The connection's SFTP session, opened once and shared by transfers and the file browser. A session that
   * ends (server closed the channel) is opened afresh on the next call.
   */
  sftp(): Promise<SFTPWrapper> {
    if (this.sftpSession === undefined) {
      const opening = new Promise<SFTPWrapper>((resolve, reject) => {
        this.client.sftp((error, sftp) => {
          if (error) {
            reject(error);
            return;
          }
          const forget = (): void => {
            if (this.sftpSession === opening) this.sftpSession = undefined;
          };
          sftp.once('close', forget);
          sftp.once('end', forget);
          sftp.on('error', () => undefined);
          // Every borrower's SftpCalls watches the session's end (transfers, each file browser call).
          sftp.setMaxListeners(100);
          resolve(sftp);
        });
      });
      this.sftpSession = opening;
      opening.catch(() => {
        if (this.sftpSession === opening) this.sftpSession = undefined;
      });
    }
    return this.sftpSession;
  }

  /**
   * Runs a command under /bin/sh as a raw channel: for streams such as `tar -x` reading stdin. Read its exit
   * status with `channelExit` once it closes: a quick command's exit-status can arrive in the same read as the
   * exec reply, before the caller (resumed a microtask later) has attached an 'exit' listener.
   */
  exec(command: RemoteCommand): Promise<ClientChannel> {
    return new Promise((resolve, reject) => {
      this.client.exec(commandLine(command), (error, stream) => (error ? reject(error) : resolve(recordExit(stream))));
    });
  }

  /** The same with a terminal: the script decides what runs in it (a terminal's login shell is exec'd from there). */
  execPty(command: RemoteCommand, pty: PseudoTtyOptions): Promise<ClientChannel> {
    return new Promise((resolve, reject) => {
      this.client.exec(commandLine(command), { pty }, (error, stream) => (error ? reject(error) : resolve(recordExit(stream))));
    });
  }
}

/** How a command channel ended: its exit code, or the signal that killed it. */
export interface ChannelExit {
  readonly code?: number;
  readonly signal?: string;
}

const exits = new WeakMap<ClientChannel, ChannelExit>();

/** Listens for the exit status from the moment the channel exists (synchronously, in the exec reply). */
function recordExit(stream: ClientChannel): ClientChannel {
  stream.on('exit', (code: number | null, signal?: string) => {
    exits.set(stream, { ...(typeof code === 'number' ? { code } : {}), ...(signal ? { signal } : {}) });
  });
  return stream;
}

/** The exit status of a channel from `exec` / `execPty`, once it arrived (undefined: the channel closed without one). */
export function channelExit(channel: ClientChannel): ChannelExit | undefined {
  return exits.get(channel);
}
