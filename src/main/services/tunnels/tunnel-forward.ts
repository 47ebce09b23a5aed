import type { HangarError } from '../../../shared/errors/hangar-error';
import type { TunnelState } from '../../../shared/models/tunnels';
import type { ForwardSpec } from './port-forward';

/** An open forward as the registry shows it: over the SSH connection (PortForward) or Session Manager (SsmForward). */
export interface TunnelForward {
  readonly spec: ForwardSpec;
  readonly via: 'ssh' | 'session-manager';
  readonly state: TunnelState;
  readonly localPort: number;
  readonly remotePort: number;
  readonly note: string | undefined;
  error: HangarError | undefined;
  readonly openConnections: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** Rejects (and cleans up) when the forward cannot be set up. */
  open(): Promise<void>;
  close(): void;
}
