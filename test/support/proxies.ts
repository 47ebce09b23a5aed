import { connect, createServer, type Server, type Socket } from 'node:net';

/** A connection a test proxy relayed: where to, and as whom (SOCKS5 user / HTTP Basic user). */
export interface Relayed {
  readonly host: string;
  readonly port: number;
  readonly user?: string;
}

export interface TestProxy {
  readonly host: string;
  readonly port: number;
  readonly url: string;
  /** Every CONNECT it carried out, in order. */
  readonly relayed: readonly Relayed[];
  close(): Promise<void>;
}

export interface ProxyOptions {
  /** When set, the proxy insists on this user and password (RFC 1929 / Proxy-Authorization Basic). */
  credentials?: { username: string; password: string };
  /** Refuse every CONNECT (SOCKS5 reply 0x02 "not allowed by ruleset", HTTP 403). */
  refuse?: boolean;
}

function pipeBoth(a: Socket, b: Socket): void {
  a.pipe(b);
  b.pipe(a);
  a.on('error', () => b.destroy());
  b.on('error', () => a.destroy());
  a.on('close', () => b.destroy());
  b.on('close', () => a.destroy());
}

/** Reads exactly n bytes from a socket in paused mode. */
function readBytes(socket: Socket, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      const chunk = socket.read(n) as Buffer | null;
      if (chunk !== null) {
        socket.off('readable', attempt);
        socket.off('end', ended);
        resolve(chunk);
      }
    };
    const ended = (): void => reject(new Error('client went away'));
    socket.on('readable', attempt);
    socket.once('end', ended);
    attempt();
  });
}

/** Listens on 127.0.0.1; close() also ends the connections it is still relaying (server.close alone waits for them). */
function listen(server: Server, relayed: Relayed[], scheme: string): Promise<TestProxy> {
  const open = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      resolve({
        host: '127.0.0.1',
        port,
        url: `${scheme}://127.0.0.1:${port}`,
        relayed,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const socket of open) socket.destroy();
          }),
      });
    });
  });
}

/** A real SOCKS5 server (RFC 1928 CONNECT, RFC 1929 user/password) on 127.0.0.1 that relays to loopback hosts. */
export function startSocks5Proxy(options: ProxyOptions = {}): Promise<TestProxy> {
  const relayed: Relayed[] = [];
  const server = createServer((client) => {
    client.on('error', () => undefined);
    void (async () => {
      const [version, count = 0] = await readBytes(client, 2);
      if (version !== 5) return client.destroy();
      const methods = [...(await readBytes(client, count))];
      const wanted = options.credentials ? 2 : 0;
      if (!methods.includes(wanted)) {
        client.end(Buffer.from([5, 0xff]));
        return;
      }
      client.write(Buffer.from([5, wanted]));
      let user: string | undefined;
      if (options.credentials) {
        const [, ulen = 0] = await readBytes(client, 2);
        user = (await readBytes(client, ulen)).toString();
        const [plen = 0] = await readBytes(client, 1);
        const pass = plen === 0 ? '' : (await readBytes(client, plen)).toString();
        const ok = user === options.credentials.username && pass === options.credentials.password;
        client.write(Buffer.from([1, ok ? 0 : 1]));
        if (!ok) return client.end();
      }
      const [, cmd, , atyp] = await readBytes(client, 4);
      let host: string;
      if (atyp === 1) host = [...(await readBytes(client, 4))].join('.');
      else if (atyp === 3) {
        const [len = 0] = await readBytes(client, 1);
        host = (await readBytes(client, len)).toString('ascii');
      } else {
        const raw = await readBytes(client, 16);
        host = Array.from({ length: 8 }, (_, i) => raw.readUInt16BE(i * 2).toString(16)).join(':');
      }
      const port = (await readBytes(client, 2)).readUInt16BE(0);
      const reply = (code: number): Buffer => Buffer.from([5, code, 0, 1, 0, 0, 0, 0, 0, 0]);
      if (cmd !== 1) return client.end(reply(7));
      if (options.refuse) return client.end(reply(2));
      const upstream = connect({ host, port });
      upstream.once('connect', () => {
        relayed.push({ host, port, ...(user === undefined ? {} : { user }) });
        client.write(reply(0));
        pipeBoth(client, upstream);
        client.resume();
      });
      upstream.once('error', () => client.end(reply(5)));
    })().catch(() => client.destroy());
  });
  return listen(server, relayed, 'socks5');
}

/** A real HTTP CONNECT proxy on 127.0.0.1 (Basic proxy authentication when asked to). */
export function startHttpConnectProxy(options: ProxyOptions = {}): Promise<TestProxy> {
  const relayed: Relayed[] = [];
  const server = createServer((client) => {
    client.on('error', () => undefined);
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      client.off('data', onData);
      client.pause();
      const rest = head.subarray(end + 4);
      const lines = head.subarray(0, end).toString('latin1').split('\r\n');
      const m = /^CONNECT (\[[^\]]+\]|[^:\s]+):(\d+) HTTP\/1\.[01]$/.exec(lines[0] ?? '');
      if (!m?.[1] || !m[2]) return void client.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      const auth = lines.find((l) => /^proxy-authorization:/i.test(l));
      let user: string | undefined;
      if (options.credentials) {
        const decoded = auth === undefined ? '' : Buffer.from(auth.replace(/^[^:]+:\s*Basic\s+/i, ''), 'base64').toString();
        if (decoded !== `${options.credentials.username}:${options.credentials.password}`) {
          return void client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n');
        }
        user = options.credentials.username;
      }
      if (options.refuse) return void client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      const host = m[1].replace(/^\[|\]$/g, '');
      const port = Number(m[2]);
      const upstream = connect({ host, port });
      upstream.once('connect', () => {
        relayed.push({ host, port, ...(user === undefined ? {} : { user }) });
        client.write('HTTP/1.1 200 Connection established\r\n\r\n');
        if (rest.length > 0) upstream.write(rest);
        pipeBoth(client, upstream);
        client.resume();
      });
      upstream.once('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
    };
    client.on('data', onData);
  });
  return listen(server, relayed, 'http');
}
