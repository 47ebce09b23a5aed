import type { Socket } from 'node:net';
import { HangarError } from '../../../../shared/errors/hangar-error';
import { listenLocal } from '../../tunnels/listen-local';
import { SsmDataChannel, type SsmTiming } from './ssm-data-channel';
import { SSM_FLAGS } from './ssm-message';
import { SSM_PORT_DOCUMENT, type SsmSessionApi, type SsmTarget } from './ssm-session-api';

export interface SsmPortForwardOptions {
  readonly remotePort: number;
  /** The port asked for (the next free one when taken); 0 or none: any free port. */
  readonly localPort?: number;
  readonly timing?: Partial<SsmTiming>;
  /** A connection that could not be carried (the session would not start, the channel dropped). */
  onConnectionError?(error: unknown): void;
  /** A local connection got its session, or one ended (the counts changed). */
  onSessionsChanged?(): void;
}

export interface SsmPortForward {
  readonly localPort: number;
  /** Set when the port asked for was taken and another is used. */
  readonly note: string | undefined;
  /** Sessions open right now, one per local connection. */
  readonly openSessions: number;
  /** Bytes from the instance's port to this computer, and back. */
  readonly bytesIn: number;
  readonly bytesOut: number;
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
  let bytesIn = 0;
  let bytesOut = 0;

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
        onData: (bytes) => {
          bytesIn += bytes.length;
          socket.write(bytes);
        },
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
        options.onSessionsChanged?.();
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
      options.onSessionsChanged?.();
      if (socket.destroyed) {
        await finish();
        return;
      }
      socket.on('data', (data: Buffer) => {
        bytesOut += data.length;
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

  const listener = await listenLocal(options.localPort ?? 0, (socket) => void carry(socket));
  const { server } = listener;
  const localPort = listener.port;
  return {
    localPort,
    note: options.localPort ? listener.note : undefined,
    get openSessions() {
      return sessions.size;
    },
    get bytesIn() {
      return bytesIn;
    },
    get bytesOut() {
      return bytesOut;
    },
    close: async () => {
      await Promise.all([...sessions].map((finish) => finish()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
