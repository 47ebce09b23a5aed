import { createServer, type Server, type Socket } from 'node:net';

export interface LocalListener {
  readonly server: Server;
  readonly port: number;
  /** Set when the preferred port could not be used. */
  readonly note?: string;
}

function tryListen(server: Server, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.removeListener('listening', onListening);
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(false);
      else reject(error);
    };
    const onListening = (): void => {
      server.removeListener('error', onError);
      resolve(true);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    // Loopback only: a forwarded notebook must never be reachable from the network this computer is on.
    server.listen({ port, host: '127.0.0.1', exclusive: true });
  });
}

/**
 * Listens on 127.0.0.1:<preferred>, or the next free port after it, or any free port; says which when it
 * is not the one asked for (another Jupyter on this computer commonly holds 8888).
 */
export async function listenLocal(preferred: number, onConnection: (socket: Socket) => void): Promise<LocalListener> {
  const server = createServer({ noDelay: true }, onConnection);
  const candidates = [preferred];
  for (let p = preferred + 1; p <= Math.min(65535, preferred + 10); p++) candidates.push(p);
  candidates.push(0);
  for (const port of candidates) {
    if (await tryListen(server, port)) {
      const address = server.address();
      const actual = typeof address === 'object' && address !== null ? address.port : port;
      if (actual === preferred) return { server, port: actual };
      return {
        server,
        port: actual,
        note: `Port ${preferred} on this computer is already in use, so the tunnel listens on ${actual} instead.`,
      };
    }
  }
  throw new Error('no local port available');
}
