import { isIP } from 'node:net';

/**
 * The bytes of the two proxy protocols Hangar speaks before SSH starts: SOCKS5 (RFC 1928, with the
 * user name / password method of RFC 1929) and HTTP CONNECT (RFC 9110 §9.3.6). Pure functions, so the
 * wire format is unit-tested against byte fixtures; route-socket.ts does the I/O.
 */

export const SOCKS_VERSION = 5;
export const SOCKS_NO_AUTH = 0x00;
export const SOCKS_USER_PASS = 0x02;
export const SOCKS_NO_ACCEPTABLE = 0xff;

/** Version, method count, methods: no authentication, plus user/password when we have a user name. */
export function socksGreeting(withPassword: boolean): Buffer {
  return Buffer.from(withPassword ? [SOCKS_VERSION, 2, SOCKS_NO_AUTH, SOCKS_USER_PASS] : [SOCKS_VERSION, 1, SOCKS_NO_AUTH]);
}

/** RFC 1929: version 1, user name, password (each at most 255 bytes). */
export function socksPasswordRequest(username: string, password: string): Buffer {
  const user = Buffer.from(username, 'utf8');
  const pass = Buffer.from(password, 'utf8');
  if (user.length > 255 || pass.length > 255) throw new RangeError('SOCKS5 user names and passwords are at most 255 bytes');
  return Buffer.concat([Buffer.from([1, user.length]), user, Buffer.from([pass.length]), pass]);
}

/** CONNECT to host:port: an IPv4 / IPv6 address as such, a name as a domain (resolved by the proxy). */
export function socksConnectRequest(host: string, port: number): Buffer {
  const head = Buffer.from([SOCKS_VERSION, 1, 0]);
  const portBytes = Buffer.from([port >> 8, port & 0xff]);
  const family = isIP(host);
  if (family === 4) return Buffer.concat([head, Buffer.from([1, ...host.split('.').map(Number)]), portBytes]);
  if (family === 6) return Buffer.concat([head, Buffer.from([4]), ipv6Bytes(host), portBytes]);
  const name = Buffer.from(host, 'ascii');
  if (name.length > 255) throw new RangeError('a host name for SOCKS5 is at most 255 bytes');
  return Buffer.concat([head, Buffer.from([3, name.length]), name, portBytes]);
}

function ipv6Bytes(address: string): Buffer {
  const [left = '', right = ''] = address.split('::');
  const groups = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const l = groups(left);
  const r = address.includes('::') ? groups(right) : [];
  const all = [...l, ...Array<string>(8 - l.length - r.length).fill('0'), ...r];
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

/** The length of a SOCKS5 reply starting at `buf` (it has a variable address), or undefined until enough arrived. */
export function socksReplyLength(buf: Buffer): number | undefined {
  if (buf.length < 5) return undefined;
  const atyp = buf[3];
  const addr = atyp === 1 ? 4 : atyp === 4 ? 16 : atyp === 3 ? 1 + (buf[4] ?? 0) : 0;
  return 4 + addr + 2;
}

/** RFC 1928 §6's reply codes, said for the person at the keyboard. */
export function socksReplyMessage(code: number): string {
  switch (code) {
    case 0x01:
      return 'the proxy failed (general SOCKS server failure)';
    case 0x02:
      return "the proxy's rules do not allow this connection";
    case 0x03:
      return 'the proxy cannot reach that network';
    case 0x04:
      return 'the proxy cannot reach that host';
    case 0x05:
      return 'the host refused the connection the proxy made';
    case 0x06:
      return "the proxy's connection timed out (TTL expired)";
    case 0x07:
      return 'the proxy does not support this kind of request';
    case 0x08:
      return 'the proxy does not support this kind of address';
    default:
      return `the proxy answered with the unknown code ${code}`;
  }
}

export function httpConnectRequest(host: string, port: number, basic?: { username: string; password: string }): Buffer {
  const authority = `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  const lines = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`];
  if (basic) lines.push(`Proxy-Authorization: Basic ${Buffer.from(`${basic.username}:${basic.password}`, 'utf8').toString('base64')}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

/** The end of an HTTP response head (after the blank line), or -1 until it arrived. */
export function httpHeadEnd(buf: Buffer): number {
  const at = buf.indexOf('\r\n\r\n');
  return at < 0 ? -1 : at + 4;
}

/** The status code and reason phrase of a response head; undefined when it is not HTTP. */
export function httpStatus(head: Buffer): { code: number; reason: string } | undefined {
  const line = head.subarray(0, Math.max(0, head.indexOf('\r\n'))).toString('latin1');
  const m = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(line);
  return m?.[1] === undefined ? undefined : { code: Number(m[1]), reason: m[2] ?? '' };
}
