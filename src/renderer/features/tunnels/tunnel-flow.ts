import type { HangarError } from '../../../shared/errors/hangar-error';
import type { InstanceRef } from '../../../shared/models/transfers';
import type { ForwardPortInput, TunnelInfo } from '../../../shared/models/tunnels';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { createStore, useStore } from '../../state/create-store';
import { tunnelsStore } from './tunnels-store';

/** The instance a tunnel is for, as the user knows it. */
export interface TunnelTarget {
  readonly instance: Omit<InstanceRef, 'acceptHostKey'>;
  readonly name: string;
}

type Attempt = (acceptHostKey: string | undefined) => Promise<TunnelInfo>;

/**
 * One tunnel being opened, step by step. The dialogs (tunnel-flow-dialogs.tsx) show whatever step this is in:
 * host key to trust → (Jupyter not running: start it in a folder? / not installed: the install command) → done.
 */
export type TunnelFlowState =
  | { readonly step: 'idle' }
  | { readonly step: 'working'; readonly target: TunnelTarget; readonly what: string }
  | { readonly step: 'host-key'; readonly target: TunnelTarget; readonly fingerprint: string; readonly keyType: string }
  | { readonly step: 'start-jupyter'; readonly target: TunnelTarget; readonly folder: string; readonly localPort?: number }
  | { readonly step: 'start-tensorboard'; readonly target: TunnelTarget; readonly logdir: string }
  | { readonly step: 'not-installed'; readonly target: TunnelTarget; readonly what: string; readonly error: HangarError; readonly command: string }
  | { readonly step: 'forward-port'; readonly target: TunnelTarget; readonly error?: HangarError }
  | { readonly step: 'error'; readonly target: TunnelTarget; readonly title: string; readonly error: HangarError }
  | { readonly step: 'done'; readonly target: TunnelTarget; readonly tunnel: TunnelInfo };

function createTunnelFlow() {
  const store = createStore<TunnelFlowState>({ step: 'idle' });
  const { set } = store;
  /** The call to repeat after the user trusted the host key. */
  let pending: { attempt: Attempt; what: string; title: string } | undefined;

  async function run(target: TunnelTarget, what: string, title: string, attempt: Attempt, acceptHostKey?: string): Promise<void> {
    pending = { attempt, what, title };
    set({ step: 'working', target, what });
    try {
      const tunnel = await attempt(acceptHostKey);
      tunnelsStore.upsert(tunnel);
      pending = undefined;
      set({ step: 'done', target, tunnel });
    } catch (raw) {
      const error = toHangarError(raw);
      if (error.code === 'CANCELLED') {
        set({ step: 'idle' });
        return;
      }
      const details = error.details ?? {};
      if (error.code === 'SSH_HOST_KEY_UNKNOWN' && typeof details.fingerprintSha256 === 'string') {
        set({ step: 'host-key', target, fingerprint: details.fingerprintSha256, keyType: String(details.keyType ?? '') });
        return;
      }
      if (error.code === 'JUPYTER_NOT_RUNNING') {
        set({ step: 'start-jupyter', target, folder: '~' });
        return;
      }
      if (error.code === 'TENSORBOARD_NOT_RUNNING') {
        set({ step: 'start-tensorboard', target, logdir: '~' });
        return;
      }
      if (error.code === 'JUPYTER_NOT_INSTALLED' || error.code === 'TENSORBOARD_NOT_INSTALLED') {
        const command = typeof details.command === 'string' ? details.command : (error.hint ?? '');
        set({ step: 'not-installed', target, what: error.code === 'JUPYTER_NOT_INSTALLED' ? 'Jupyter' : 'TensorBoard', error, command });
        return;
      }
      set({ step: 'error', target, title, error });
    }
  }

  function ref(target: TunnelTarget, acceptHostKey: string | undefined): InstanceRef {
    return acceptHostKey === undefined ? { ...target.instance } : { ...target.instance, acceptHostKey };
  }

  return {
    get: store.get,
    subscribe: store.subscribe,
    dismiss(): void {
      pending = undefined;
      set({ step: 'idle' });
    },
    trustHostKey(): void {
      const state = store.get();
      if (state.step !== 'host-key' || pending === undefined) return;
      void run(state.target, pending.what, pending.title, pending.attempt, state.fingerprint);
    },
    jupyter(target: TunnelTarget, options: { start?: boolean; folder?: string; localPort?: number } = {}): void {
      void run(target, options.start ? `Starting Jupyter on ${target.name}…` : `Looking for Jupyter on ${target.name}…`, 'Jupyter could not be opened', (accept) =>
        api.tunnels.openJupyter({
          instance: ref(target, accept),
          instanceName: target.name,
          ...(options.start ? { start: true, folder: options.folder ?? '~' } : {}),
          ...(options.localPort === undefined ? {} : { localPort: options.localPort }),
        }),
      );
    },
    tensorBoard(target: TunnelTarget, options: { start?: boolean; logdir?: string } = {}): void {
      void run(target, options.start ? `Starting TensorBoard on ${target.name}…` : `Looking for TensorBoard on ${target.name}…`, 'TensorBoard could not be opened', (accept) =>
        api.tunnels.openTensorBoard({
          instance: ref(target, accept),
          instanceName: target.name,
          ...(options.start ? { start: true, logdir: options.logdir ?? '~' } : {}),
        }),
      );
    },
    /** Shows the Forward port… dialog. */
    askForward(target: TunnelTarget): void {
      set({ step: 'forward-port', target });
    },
    forward(target: TunnelTarget, input: Omit<ForwardPortInput, 'instance' | 'instanceName'>): void {
      void run(target, `Forwarding port ${input.remotePort} on ${target.name}…`, 'The port could not be forwarded', (accept) =>
        api.tunnels.forward({ ...input, instance: ref(target, accept), instanceName: target.name }),
      );
    },
    reopen(target: TunnelTarget, savedId: string): void {
      void run(target, `Reopening the tunnel to ${target.name}…`, 'The tunnel could not be reopened', (accept) =>
        accept === undefined ? api.tunnels.reopen(target.instance.instanceId, savedId) : api.tunnels.reopen(target.instance.instanceId, savedId, accept),
      );
    },
  };
}

export const tunnelFlow = createTunnelFlow();

export function useTunnelFlow(): TunnelFlowState {
  return useStore(tunnelFlow);
}
