import { HangarError } from '../../../shared/errors/hangar-error';
import type { TunnelState } from '../../../shared/models/tunnels';
import { startSsmPortForward, type SsmPortForward } from '../keyless/ssm/ssm-port-forward';
import type { SsmSessionApi, SsmTarget } from '../keyless/ssm/ssm-session-api';
import type { Logger } from '../logging/logger';
import type { ForwardSpec } from './port-forward';
import type { TunnelForward } from './tunnel-forward';

/**
 * A local forward through Session Manager (AWS-StartPortForwardingSession), for instances SSH cannot reach.
 * Every local connection gets a session of its own, so there is no link to lose and nothing to reconnect: a
 * connection that fails is said on the tunnel and the next one tries again.
 */
export class SsmForward implements TunnelForward {
  readonly via = 'session-manager' as const;
  state: TunnelState = 'opening';
  localPort: number;
  readonly remotePort: number;
  note: string | undefined;
  error: HangarError | undefined;
  private forward: SsmPortForward | undefined;

  constructor(
    readonly spec: ForwardSpec,
    private readonly deps: { api: SsmSessionApi; target: SsmTarget; onChange(): void; logger: Logger },
  ) {
    this.localPort = spec.localPort;
    this.remotePort = spec.remotePort;
  }

  get openConnections(): number {
    return this.forward?.openSessions ?? 0;
  }

  get bytesIn(): number {
    return this.forward?.bytesIn ?? 0;
  }

  get bytesOut(): number {
    return this.forward?.bytesOut ?? 0;
  }

  async open(): Promise<void> {
    if (this.spec.direction !== 'local' || (this.spec.remoteHost !== '127.0.0.1' && this.spec.remoteHost !== 'localhost')) {
      this.state = 'failed';
      throw new HangarError({
        code: 'TUNNEL_FAILED',
        message:
          this.spec.direction === 'local'
            ? `Through Session Manager Hangar forwards ports of the instance itself, not of ${this.spec.remoteHost}.`
            : 'A reverse tunnel (a port of the instance to this computer) needs SSH, and SSH cannot reach this instance.',
        hint: 'Open port 22 to your IP in its security group (Console and network → Firewall), or import its key, then try again.',
      });
    }
    try {
      this.forward = await startSsmPortForward(this.deps.api, this.deps.target, {
        remotePort: this.spec.remotePort,
        localPort: this.spec.localPort,
        onSessionsChanged: () => this.deps.onChange(),
        onConnectionError: (error) => {
          this.error =
            error instanceof HangarError
              ? error
              : new HangarError({ code: 'TUNNEL_FAILED', message: `A connection through Session Manager failed (${error instanceof Error ? error.message : String(error)}).`, hint: 'Try again.' });
          this.deps.logger.debug(`Session Manager forward to port ${this.spec.remotePort} on ${this.deps.target.instanceId}: a connection failed`, error);
          this.deps.onChange();
        },
      });
    } catch (error) {
      this.state = 'failed';
      throw error;
    }
    this.localPort = this.forward.localPort;
    this.note = this.forward.note;
    this.state = 'open';
    this.deps.onChange();
  }

  close(): void {
    if (this.state === 'closed' || this.state === 'failed') return;
    this.state = 'closed';
    // Kept (closed) so the tunnel's byte counts stay as they ended.
    void this.forward?.close();
    this.deps.onChange();
  }
}
