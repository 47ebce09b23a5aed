import type { InstanceStateChange } from '../../../shared/models/instance-actions';
import type { InstanceRef } from '../../../shared/models/transfers';
import type {
  ForwardPortInput,
  JupyterServerInfo,
  OpenJupyterInput,
  OpenTensorBoardInput,
  TunnelInfo,
} from '../../../shared/models/tunnels';

/**
 * Ports forwarded over the instances' shared SSH connections: Jupyter and TensorBoard in one step, any
 * port either way. Every change is pushed (throttled) as the `tunnels.changed` event with the whole list.
 */
export interface TunnelService {
  list(): TunnelInfo[];
  /** Running Jupyter servers on the instance (tokens stay in main). */
  discoverJupyter(instance: InstanceRef, signal?: AbortSignal): Promise<{ installed: boolean; servers: JupyterServerInfo[] }>;
  /**
   * Forwards the running Jupyter server (starting one in `folder` when `start`), then opens its URL with the
   * token in the browser. None running and not `start`: JUPYTER_NOT_RUNNING (details.home: the default folder).
   * Not installed: JUPYTER_NOT_INSTALLED with the install command as hint.
   */
  openJupyter(input: OpenJupyterInput, signal?: AbortSignal): Promise<TunnelInfo>;
  openTensorBoard(input: OpenTensorBoardInput, signal?: AbortSignal): Promise<TunnelInfo>;
  forward(input: ForwardPortInput, signal?: AbortSignal): Promise<TunnelInfo>;
  close(tunnelId: string): Promise<void>;
  /** Reopens a tunnel remembered for the instance (settings.tunnels[instanceId]). */
  reopen(instanceId: string, savedId: string, acceptHostKey?: string, signal?: AbortSignal): Promise<TunnelInfo>;
  forget(instanceId: string, savedId: string): Promise<void>;
  /** Instances that stopped or went away: their tunnels close. */
  instancesChanged(changes: readonly InstanceStateChange[]): void;
  dispose(): void;
}
