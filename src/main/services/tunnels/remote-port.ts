import type { SshConnection } from '../ssh/ssh-connection';
import type { RemoteHost } from './remote-host';

/** Whether something accepts TCP connections at host:port as seen from the instance (a forwardOut that opens). */
export function remotePortAnswers(connection: SshConnection, host: string, port: number, timeoutMs = 5000): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    try {
      connection.client.forwardOut('127.0.0.1', 0, host, port, (error, channel) => {
        clearTimeout(timer);
        if (error) {
          resolve(false);
          return;
        }
        channel.on('error', () => undefined);
        channel.close();
        resolve(true);
      });
    } catch {
      clearTimeout(timer);
      resolve(false);
    }
  });
}

/** The first port from `preferred` on (20 tries) that nothing on the instance's loopback answers on. */
export async function freeRemotePort(host: Pick<RemoteHost, 'portAnswers'>, preferred: number): Promise<number> {
  for (let port = preferred; port < preferred + 20; port++) if (!(await host.portAnswers('127.0.0.1', port))) return port;
  return preferred + 20;
}

/**
 * Asks `probe` every 750 ms until it returns something, the time is up or `signal` aborts; a server
 * started on the instance takes a few seconds to listen.
 */
export async function pollUntil<T>(timeoutMs: number, signal: AbortSignal | undefined, probe: () => Promise<T | undefined>): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !signal?.aborted) {
    await sleep(750, signal);
    const found = await probe();
    if (found !== undefined) return found;
  }
  return undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
