import { connect as tcpConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import { HangarError, type ErrorCode } from '../../../shared/errors/hangar-error';
import type { JumpHostSpec, ProxySpec } from '../../../shared/models/ssh-route';
import { hostKeyFacts } from './host-key-verifier';
import { isAuthFailure, isRefused } from './map-ssh-error';
import {
  httpConnectRequest,
  httpHeadEnd,
  httpStatus,
  SOCKS_NO_ACCEPTABLE,
  SOCKS_USER_PASS,
  socksConnectRequest,
  socksGreeting,
  socksPasswordRequest,
  socksReplyLength,
  socksReplyMessage,
} from './proxy-handshake';
import { connectClient } from './ssh-connection';

/** A proxy to go through, with its password from the keychain when it has a user name. */
export interface ProxyRoute extends ProxySpec {
  readonly password?: string;
}

/** A bastion to hop through, its key, and the fingerprint its host key must have. */
export interface JumpRoute {
  readonly spec: JumpHostSpec;
  readonly privateKey: string;
  readonly passphrase?: string;
  readonly fingerprintSha256: string;
}

export interface Route {
  readonly proxy?: ProxyRoute;
  readonly jump?: JumpRoute;
}

export interface OpenedRoute {
  /** The byte stream to the instance's SSH port, ready for ssh2's `sock`. */
  readonly sock: Duplex;
  /** Ends what the route holds open (the bastion's connection, the proxy's socket). */
  close(): void;
}

export interface RouteTiming {
  readonly readyTimeoutMs: number;
  readonly keepaliveIntervalMs: number;
  readonly signal?: AbortSignal;
}

/** True when the instance is reached through something: a direct connection is made by connectClient itself. */
export function hasRoute(route: Route): boolean {
  return route.proxy !== undefined || route.jump !== undefined;
}

/** Opens the way to host:port: through the proxy, then the bastion, whichever are set. */
export async function openRoute(route: Route, host: string, port: number, timing: RouteTiming): Promise<OpenedRoute> {
  if (route.jump === undefined) {
    const proxy = route.proxy as ProxyRoute;
    const sock = await throughProxy(proxy, host, port, timing);
    return { sock, close: () => sock.destroy() };
  }
  const jump = route.jump;
  const bastionSock = route.proxy === undefined ? undefined : await throughProxy(route.proxy, jump.spec.host, jump.spec.port, timing);
  const bastion = await connectBastion(jump, bastionSock, timing);
  try {
    const stream = await forwardOut(bastion, host, port);
    // The bastion's connection lives exactly as long as the hop through it.
    stream.once('close', () => bastion.end());
    return { sock: stream, close: () => bastion.end() };
  } catch (error) {
    bastion.end();
    throw new HangarError({
      code: 'SSH_JUMP_FORWARD_FAILED',
      message: `The jump host ${label(jump.spec)} could not open a connection to ${host}:${port} (${(error as Error).message}).`,
      hint: "Check the instance's address in the connection settings (from a bastion it is usually the private IP), that the instance's security group lets the bastion in on port 22, and that the bastion's sshd allows TCP forwarding.",
      retryable: true,
    });
  }
}

function label(spec: JumpHostSpec): string {
  return `${spec.user}@${spec.host}${spec.port === 22 ? '' : `:${spec.port}`}`;
}

async function connectBastion(jump: JumpRoute, sock: Duplex | undefined, timing: RouteTiming): Promise<Client> {
  let seen: string | undefined;
  try {
    return await connectClient({
      host: jump.spec.host,
      port: jump.spec.port,
      username: jump.spec.user,
      privateKey: jump.privateKey,
      ...(jump.passphrase === undefined ? {} : { passphrase: jump.passphrase }),
      ...(sock === undefined ? {} : { sock }),
      verifyHostKey: async (blob) => {
        seen = hostKeyFacts(blob).fingerprintSha256;
        return seen === jump.fingerprintSha256;
      },
      readyTimeoutMs: timing.readyTimeoutMs,
      keepaliveIntervalMs: timing.keepaliveIntervalMs,
      ...(timing.signal === undefined ? {} : { signal: timing.signal }),
    });
  } catch (error) {
    if (timing.signal?.aborted) throw error;
    if (seen !== undefined && seen !== jump.fingerprintSha256) {
      throw new HangarError({
        code: 'SSH_JUMP_HOST_KEY_MISMATCH',
        message: `The jump host ${label(jump.spec)} presented the host key ${seen}, not the ${jump.fingerprintSha256} saved for it. Nothing was sent to it.`,
        hint: "If the bastion was re-created, fetch its key again in the connection settings and compare it with what its administrator gives you; otherwise someone may be intercepting the connection.",
      });
    }
    if (isAuthFailure(error)) {
      throw new HangarError({
        code: 'SSH_JUMP_AUTH_FAILED',
        message: `The jump host ${label(jump.spec)} did not accept the key for ${jump.spec.user}.`,
        hint: 'Choose the key that is authorised on the bastion ("Jump host key" in the connection settings), and check the user name.',
      });
    }
    if (error instanceof HangarError) throw error;
    throw new HangarError({
      code: 'SSH_JUMP_UNREACHABLE',
      message: `The jump host ${label(jump.spec)} could not be reached (${(error as { code?: string }).code ?? (error as Error).message}).`,
      hint: isRefused(error)
        ? 'Nothing answers SSH there: check the jump host address and port, and that the bastion is running.'
        : "Check the jump host address, your network, and that the bastion's security group lets your IP in on its SSH port.",
      retryable: true,
    });
  }
}

function forwardOut(client: Client, host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, host, port, (error, stream) => (error ? reject(error) : resolve(stream)));
  });
}

/** A TCP connection through the proxy to host:port, the handshake done; bytes that came early are kept. */
async function throughProxy(proxy: ProxyRoute, host: string, port: number, timing: RouteTiming): Promise<Socket> {
  const where = `${proxy.kind === 'http' ? 'HTTP' : 'SOCKS5'} proxy ${proxy.host}:${proxy.port}`;
  const socket = await openTcp(proxy.host, proxy.port, timing).catch((error: unknown) => {
    throw new HangarError({
      code: 'SSH_PROXY_UNREACHABLE',
      message: `The ${where} could not be reached (${(error as { code?: string }).code ?? (error as Error).message}).`,
      hint: 'Check the proxy address and port in the connection settings, and that the proxy is running and reachable from this network.',
      retryable: true,
    });
  });
  const reader = new HandshakeReader(socket, timing.readyTimeoutMs);
  try {
    if (proxy.kind === 'http') await httpHandshake(socket, reader, proxy, host, port, where);
    else await socksHandshake(socket, reader, proxy, host, port, where);
    reader.finish();
    return socket;
  } catch (error) {
    socket.destroy();
    if (error instanceof HangarError) throw error;
    throw new HangarError({
      code: 'SSH_PROXY_FAILED',
      message: `The ${where} broke off the connection (${(error as Error).message}).`,
      hint: 'Check that this really is a SOCKS5 or HTTP proxy (the URL scheme in the connection settings says which).',
      retryable: true,
    });
  }
}

function refused(where: string, why: string, hint: string, code: ErrorCode = 'SSH_PROXY_REFUSED'): HangarError {
  return new HangarError({ code, message: `The ${where} refused: ${why}.`, hint });
}

async function socksHandshake(socket: Socket, reader: HandshakeReader, proxy: ProxyRoute, host: string, port: number, where: string): Promise<void> {
  const canPassword = proxy.username !== undefined && proxy.password !== undefined;
  socket.write(socksGreeting(canPassword));
  const [version, method] = await reader.read(2);
  if (version !== 5) throw new Error(`not a SOCKS5 answer (version ${version})`);
  if (method === SOCKS_NO_ACCEPTABLE) {
    throw refused(where, 'it wants a user name and password', 'Give the proxy as socks5://user@host:port and its password in the connection settings.', 'SSH_PROXY_AUTH_REQUIRED');
  }
  if (method === SOCKS_USER_PASS) {
    if (!canPassword) throw refused(where, 'it wants a user name and password', 'Give the proxy as socks5://user@host:port and its password in the connection settings.', 'SSH_PROXY_AUTH_REQUIRED');
    socket.write(socksPasswordRequest(proxy.username as string, proxy.password as string));
    const [, status] = await reader.read(2);
    if (status !== 0) throw refused(where, `the user name or password for ${proxy.username} is wrong`, 'Check the proxy user and password in the connection settings.', 'SSH_PROXY_AUTH_FAILED');
  }
  socket.write(socksConnectRequest(host, port));
  const head = await reader.read(5);
  const total = socksReplyLength(head) ?? 0;
  await reader.read(total - 5);
  if (head[1] !== 0) throw refused(where, `${socksReplyMessage(head[1] ?? 1)} (to ${host}:${port})`, "Check the instance's address, and that the proxy may connect to it.");
}

async function httpHandshake(socket: Socket, reader: HandshakeReader, proxy: ProxyRoute, host: string, port: number, where: string): Promise<void> {
  const basic = proxy.username !== undefined && proxy.password !== undefined ? { username: proxy.username, password: proxy.password } : undefined;
  socket.write(httpConnectRequest(host, port, basic));
  const head = await reader.readHttpHead();
  const status = httpStatus(head);
  if (status === undefined) throw new Error('not an HTTP answer');
  if (status.code === 407) {
    throw refused(where, basic ? 'the user name or password is wrong' : 'it wants a user name and password', 'Give the proxy as http://user@host:port and its password in the connection settings.', basic ? 'SSH_PROXY_AUTH_FAILED' : 'SSH_PROXY_AUTH_REQUIRED');
  }
  if (status.code < 200 || status.code > 299) {
    throw refused(where, `${status.code} ${status.reason}`.trim(), 'Many proxies only allow ports 80 and 443: ask for port 22 to be allowed, or use a SOCKS5 proxy or a jump host.');
  }
}

function openTcp(host: string, port: number, timing: RouteTiming): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host, port });
    socket.setNoDelay(true);
    const timer = setTimeout(() => socket.destroy(new Error('timed out')), timing.readyTimeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Reads the handshake's answers; what arrives after them (the SSH banner, maybe) is put back for ssh2. */
class HandshakeReader {
  private buffered = Buffer.alloc(0);
  private waiting: (() => void) | undefined;
  private failure: Error | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly onData = (chunk: Buffer): void => {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    this.waiting?.();
  };
  private readonly onEnd = (error?: Error): void => {
    this.failure ??= error ?? new Error('the proxy closed the connection');
    this.waiting?.();
  };

  constructor(private readonly socket: Socket, timeoutMs: number) {
    socket.on('data', this.onData);
    socket.on('error', this.onEnd);
    socket.on('close', () => this.onEnd());
    this.timer = setTimeout(() => this.onEnd(new Error('the proxy did not answer in time')), timeoutMs);
  }

  async read(n: number): Promise<Buffer> {
    await this.until(() => this.buffered.length >= n);
    const out = this.buffered.subarray(0, n);
    this.buffered = this.buffered.subarray(n);
    return out;
  }

  async readHttpHead(): Promise<Buffer> {
    await this.until(() => httpHeadEnd(this.buffered) >= 0 || this.buffered.length > 16_384);
    const end = httpHeadEnd(this.buffered);
    if (end < 0) throw new Error('the HTTP answer is too long');
    return this.read(end);
  }

  finish(): void {
    clearTimeout(this.timer);
    this.socket.off('data', this.onData);
    this.socket.removeAllListeners('error');
    this.socket.removeAllListeners('close');
    this.socket.pause();
    if (this.buffered.length > 0) this.socket.unshift(this.buffered);
  }

  private async until(ready: () => boolean): Promise<void> {
    while (!ready()) {
      if (this.failure) {
        clearTimeout(this.timer);
        throw this.failure;
      }
      await new Promise<void>((resolve) => (this.waiting = resolve));
      this.waiting = undefined;
    }
  }
}
