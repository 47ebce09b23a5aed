import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { HangarError } from '../../../../shared/errors/hangar-error';
import { SsmDataChannel, type SsmTiming } from './ssm-data-channel';
import { SSM_FLAGS } from './ssm-message';
import { SSM_PORT_DOCUMENT, type SsmSessionApi, type SsmTarget } from './ssm-session-api';

export interface SsmPortForwardOptions {
  readonly remotePort: number;
  /** 0: any free port. */
  readonly localPort?: number;
  readonly timing?: Partial<SsmTiming>;
  /** A connection that could not be carried (the session would not start, the channel dropped). */
  onConnectionError?(error: unknown): void;
}

export interface SsmPortForward {
  readonly localPort: number;
  /** Sessions open right now, one per local connection. */
  readonly openSessions: number;
  close(): Promise<void>;
}

// Pause reading a local socket while this many frames wait for the agent's acknowledgement.
const MAX_IN_FLIGHT = 512;

/**
 * AWS-StartPortForwardingSession behind a loopback listener. Hangar speaks the basic (not multiplexed) port
 * protocol, which carries one TCP stream per session, so every local connection gets a session of its own —
 * a browser's parallel requests to Jupyter each get theirs.
 */
export async function startSsmPortForward(api: SsmSessionApi, target: SsmTarget, options: SsmPortForwardOptions): Promise<SsmPortForward> {
  const sessions = new Set<() => Promise<void>>();
  const server: Server = createServer((socket) => void carry(socket));

  async function carry(socket: Socket): Promise<void> {
    socket.pause();
    let sessionId: string | undefined;
    try {
      const started = await api.start(target, { name: SSM_PORT_DOCUMENT, parameters: { portNumber: [String(options.remotePort)], localPortNumber: [String(localPort)] } });
      sessionId = started.sessionId;
      const channel = await SsmDataChannel.open({
        streamUrl: started.streamUrl,
        tokenValue: started.tokenValue,
        ...(options.timing === undefined ? {} : { timing: options.timing }),
        onData: (bytes) => socket.write(bytes),
        onEnd: (end) => {
          socket.end();
          // The agent could not reach the port (nothing listens there): it closes the session saying so.
          if (end.kind === 'closed' && end.output !== '') {
            options.onConnectionError?.(
              new HangarError({
                code: 'SSM_SESSION_FAILED',
                message: `Session Manager could not reach port ${options.remotePort} on ${target.title}: ${end.output}`,
                hint: `Check that something listens on port ${options.remotePort} on the instance (for a notebook: that Jupyter is running).`,
              }),
            );
          } else if (end.kind === 'lost') options.onConnectionError?.(end.error);
        },
      });
      if (channel.handshake.sessionType !== 'Port') {
        channel.close();
        throw new HangarError({ code: 'SSM_SESSION_FAILED', message: `Session Manager opened a ${channel.handshake.sessionType} session instead of port forwarding.`, hint: 'Check the session document your administrator configured.' });
      }
      const id = started.sessionId;
      let done = false;
      const finish = async (): Promise<void> => {
        if (done) return;
        done = true;
        sessions.delete(finish);
        try {
          channel.sendFlag(SSM_FLAGS.terminateSession);
        } catch {
          // The channel had already ended.
        }
        channel.close();
        socket.destroy();
        await api.terminate(target, id).catch(() => undefined);
      };
      sessions.add(finish);
      if (socket.destroyed) {
        await finish();
        return;
      }
      socket.on('data', (data: Buffer) => {
        try {
          channel.write(data);
        } catch {
          void finish();
          return;
        }
        if (channel.unacknowledged > MAX_IN_FLIGHT) {
          socket.pause();
          const wait = setInterval(() => {
            if (channel.unacknowledged > MAX_IN_FLIGHT / 4 && !done) return;
            clearInterval(wait);
            socket.resume();
          }, 10);
        }
      });
      socket.on('close', () => void finish());
      socket.on('error', () => void finish());
      socket.resume();
    } catch (error) {
      socket.destroy();
      if (sessionId !== undefined) await api.terminate(target, sessionId).catch(() => undefined);
      options.onConnectionError?.(error);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.localPort ?? 0, '127.0.0.1', () => resolve());
  });
  const localPort = (server.address() as AddressInfo).port;
  return {
    localPort,
    get openSessions() {
      return sessions.size;
    },
    close: async () => {
      await Promise.all([...sessions].map((finish) => finish()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
