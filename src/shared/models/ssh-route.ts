/**
 * How an instance is reached when not directly (issue 19): through a jump host (ssh's ProxyJump) and/or an
 * HTTP CONNECT or SOCKS5 proxy. Parsed the same way in the renderer (refused at the field) and in main.
 */

export interface JumpHostSpec {
  readonly user: string;
  readonly host: string;
  readonly port: number;
}

export interface ProxySpec {
  readonly kind: 'socks5' | 'http';
  readonly host: string;
  readonly port: number;
  /** SOCKS5 user name (RFC 1929) or HTTP Basic user; the password lives in the keychain, never in settings. */
  readonly username?: string;
}

const USER = /^[a-z_][a-z0-9_.-]{0,63}$/i;
// A DNS name, an IPv4 address, or an IPv6 address in brackets.
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])$/i;

function port(text: string | undefined, fallback: number): number | undefined {
  if (text === undefined) return fallback;
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : undefined;
}

function unbracket(host: string): string {
  return host.startsWith('[') ? host.slice(1, -1) : host;
}

/** "user@host", "user@host:2222" or "user@[2001:db8::1]:22"; undefined when malformed. */
export function parseJumpHost(text: string): JumpHostSpec | undefined {
  const m = /^([^@\s]+)@(\[[^\]]+\]|[^:\s]+)(?::(\d+))?$/.exec(text.trim());
  if (!m?.[1] || !m[2] || !USER.test(m[1]) || !HOST.test(m[2])) return undefined;
  const p = port(m[3], 22);
  return p === undefined ? undefined : { user: m[1], host: unbracket(m[2]), port: p };
}

/** "socks5://host:1080", "socks5://ana@host:1080", "http://proxy.campus.edu:3128"; undefined when malformed. */
export function parseProxyUrl(text: string): ProxySpec | undefined {
  const m = /^(socks5h?|socks5|http):\/\/(?:([^@:/\s]+)@)?(\[[^\]]+\]|[^:/\s]+)(?::(\d+))?\/?$/i.exec(text.trim());
  if (!m?.[1] || !m[3] || !HOST.test(m[3])) return undefined;
  const kind = m[1].toLowerCase() === 'http' ? 'http' : 'socks5';
  const p = port(m[4], kind === 'http' ? 8080 : 1080);
  if (p === undefined) return undefined;
  if (m[2] !== undefined && !USER.test(m[2])) return undefined;
  return { kind, host: unbracket(m[3]), port: p, ...(m[2] === undefined ? {} : { username: m[2] }) };
}

/** The proxy setting that means "whatever this computer's proxy settings say" (PAC, WPAD, environment). */
export const SYSTEM_PROXY = 'system';

/** 'SHA256:' and 43 base64 characters, as `ssh-keygen -l -E sha256` prints a host key's fingerprint. */
export const FINGERPRINT_PATTERN = /^SHA256:[A-Za-z0-9+/]{43}$/;
