import type { RemoteCommand } from '../ssh/remote-command';
import type { SshConnection } from '../ssh/ssh-connection';
import { remotePortAnswers } from './remote-port';

/**
 * What the Jupyter and TensorBoard launchers need of an instance: run a short command and see whether a
 * port answers there. Over SSH (the shared connection) or, with port 22 closed, over Session Manager.
 */
export interface RemoteHost {
  readonly via: 'ssh' | 'session-manager';
  run(command: RemoteCommand, timeoutMs?: number, signal?: AbortSignal): Promise<{ stdout: string; code: number | undefined }>;
  /** Whether something accepts TCP connections at host:port as seen from the instance. */
  portAnswers(host: string, port: number): Promise<boolean>;
}

export function sshRemoteHost(connection: SshConnection): RemoteHost {
  return {
    via: 'ssh',
    run: (command, timeoutMs, signal) => connection.run(command, timeoutMs, signal),
    portAnswers: (host, port) => remotePortAnswers(connection, host, port),
  };
}
