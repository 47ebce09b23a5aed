import { connect } from 'node:net';

/**
 * Whether something at host:port speaks SSH: a TCP connect plus the server's identification line
 * ("SSH-2.0-…"), which OpenSSH sends before anything else. Nothing is authenticated.
 */
export function answersSsh(host: string, port: number, timeoutMs = 3_000, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    let seen = '';
    let settled = false;
    const socket = connect({ host, port });
    const finish = (ok: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(ok);
    };
    const onAbort = (): void => finish(false);
    const timer = setTimeout(() => finish(false), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      seen += chunk;
      // Servers may send other lines before the identification line (RFC 4253 §4.2).
      if (/(^|\n)SSH-/.test(seen)) finish(true);
      else if (seen.length > 1024) finish(false);
    });
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(false));
  });
}
