import type { ProxySpec } from '../../../shared/models/ssh-route';
import { parseProxyUrl } from '../../../shared/models/ssh-route';

/**
 * The system's proxy for a connection (issue 19). In Electron the shell asks Chromium, which knows the
 * OS settings, PAC files and WPAD (`session.resolveProxy`, answering in PAC form: "PROXY h:p; SOCKS5 h:p;
 * DIRECT"). Without it (plain Node, the web harness) the usual environment variables are read.
 */
export type ResolveProxy = (url: string) => Promise<string>;

/** The first entry of a PAC answer that SSH can go through; undefined for DIRECT (or nothing usable). */
export function proxyFromPac(answer: string): ProxySpec | undefined {
  for (const entry of answer.split(';')) {
    const m = /^\s*(PROXY|HTTP|SOCKS5|SOCKS)\s+(\[[^\]]+\]|[^:\s]+):(\d+)\s*$/i.exec(entry);
    if (m?.[1] && m[2] && m[3]) {
      const kind = /^SOCKS/i.test(m[1]) ? 'socks5' : 'http';
      return parseProxyUrl(`${kind}://${m[2]}:${m[3]}`);
    }
    if (/^\s*DIRECT\s*$/i.test(entry)) return undefined;
  }
  return undefined;
}

/** ALL_PROXY (socks5:// or http://), else HTTPS_PROXY, as curl and git read them; NO_PROXY is honoured. */
export function proxyFromEnv(env: NodeJS.ProcessEnv, host: string): ProxySpec | undefined {
  const noProxy = (env.NO_PROXY ?? env.no_proxy ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (noProxy.some((rule) => rule === '*' || host === rule || host.endsWith(rule.startsWith('.') ? rule : `.${rule}`))) return undefined;
  for (const value of [env.ALL_PROXY, env.all_proxy, env.HTTPS_PROXY, env.https_proxy]) {
    if (value === undefined || value === '') continue;
    // Credentials in the variable are not used: proxy passwords live in the keychain.
    const parsed = parseProxyUrl(value.replace(/^socks5h:/i, 'socks5:').replace(/\/\/[^@/]*@/, '//'));
    if (parsed) return parsed;
  }
  return undefined;
}

/** The system proxy to reach host:port through, or undefined to connect directly. */
export async function systemProxyFor(host: string, port: number, resolve: ResolveProxy | undefined, env: NodeJS.ProcessEnv = process.env): Promise<ProxySpec | undefined> {
  if (resolve !== undefined) {
    // Chromium resolves by URL; an https URL to the host is what PAC scripts are written for.
    const target = host.includes(':') ? `[${host}]` : host;
    return proxyFromPac(await resolve(`https://${target}:${port}/`).catch(() => 'DIRECT'));
  }
  return proxyFromEnv(env, host);
}
