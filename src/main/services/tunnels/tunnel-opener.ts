import { HangarError } from '../../../shared/errors/hangar-error';
import { STOPPED_STATES } from '../../../shared/models/ec2';
import type { InstanceRef } from '../../../shared/models/transfers';
import type { TunnelKind } from '../../../shared/models/tunnels';
import type { Ec2Service } from '../ec2/ec2-service';
import type { Logger } from '../logging/logger';
import type { SettingsStore } from '../settings/settings-store';
import type { ConnectionManager } from '../ssh/create-connection-manager';
import type { SsmSessionApi } from '../keyless/ssm/ssm-session-api';
import { PortForward, type ForwardSpec } from './port-forward';
import { SsmForward } from './ssm-forward';
import type { TunnelForward } from './tunnel-forward';
import { rememberTunnel } from './saved-tunnels';
import { newTunnelId, type TunnelEntry, type TunnelRegistry } from './tunnel-registry';


export interface TunnelOpenerDeps {
  connections: Pick<ConnectionManager, 'acquire'>;
  settings: SettingsStore;
  registry: TunnelRegistry;
  ec2?: Pick<Ec2Service, 'describeInstance'> | undefined;
  logger: Logger;
  reconnect?: { initialMs?: number; maxMs?: number; giveUpMs?: number } | undefined;
  /** Session Manager, for tunnels to instances SSH cannot reach. */
  ssm?: SsmSessionApi | undefined;
}

export interface OpenTunnelRequest {
  ref: InstanceRef;
  instanceName: string;
  kind: TunnelKind;
  label: string;
  spec: ForwardSpec;
  urlFor?: (localPort: number) => string;
  /** Remembered with the tunnel: the folder a server was started in. */
  folder?: string;
  /** How the instance is reached (decided by the tunnel service from its ways in); default SSH. */
  via?: 'ssh' | 'session-manager';
}

/**
 * Opens a forward and registers it, or hands back the one already open to the same place (with the new
 * URL: a restarted Jupyter has a new token). Either way the tunnel is remembered for the instance.
 */
export function createTunnelOpener(deps: TunnelOpenerDeps): (request: OpenTunnelRequest) => Promise<TunnelEntry> {
  const { registry, logger } = deps;

  async function instanceGone(instance: Omit<InstanceRef, 'acceptHostKey'>, signal: AbortSignal): Promise<boolean> {
    if (deps.ec2 === undefined) return false;
    try {
      const details = await deps.ec2.describeInstance(instance.accountId, instance.region, instance.instanceId, signal);
      return STOPPED_STATES.has(details.instance.state);
    } catch (error) {
      if (error instanceof HangarError && (error.code === 'AWS_NOT_FOUND' || error.code === 'NOT_FOUND')) return true;
      return false;
    }
  }

  function newForward(ref: InstanceRef, spec: ForwardSpec, via: OpenTunnelRequest['via'], title: string): TunnelForward {
    if (via === 'session-manager' && deps.ssm !== undefined) {
      return new SsmForward(spec, { api: deps.ssm, target: { ...bare(ref), title }, onChange: registry.schedule, logger });
    }
    let acceptHostKey = ref.acceptHostKey;
    const instance = bare(ref);
    return new PortForward(spec, {
      acquire: async (signal) => {
        const target = acceptHostKey === undefined ? instance : { ...instance, acceptHostKey };
        const { connection } = await deps.connections.acquire(target, signal);
        // Pinned once accepted: reconnects verify against the pin, not a stale acceptance.
        acceptHostKey = undefined;
        return connection;
      },
      instanceGone: (signal) => instanceGone(instance, signal),
      onChange: registry.schedule,
      logger,
      ...(deps.reconnect === undefined ? {} : { reconnect: deps.reconnect }),
    });
  }

  return async (request) => {
    const remembered = request.folder === undefined ? {} : { folder: request.folder };
    const existing = registry.findOpen(request.ref.instanceId, request.spec.direction, request.spec.remoteHost, request.spec.remotePort);
    if (existing !== undefined) {
      // A second click on Jupyter opens what is already forwarded (its token may be new: the URL follows).
      const refreshed: TunnelEntry = { ...existing, ...(request.urlFor === undefined ? {} : { urlFor: request.urlFor }) };
      registry.set(refreshed);
      rememberTunnel(deps.settings, refreshed, remembered);
      registry.schedule();
      return refreshed;
    }
    const instance = bare(request.ref);
    const forward = newForward(request.ref, request.spec, request.via, request.instanceName);
    const entry: TunnelEntry = {
      id: newTunnelId('tun'),
      instance,
      instanceName: request.instanceName,
      kind: request.kind,
      label: request.label,
      forward,
      openedAt: new Date().toISOString(),
      ...(request.urlFor === undefined ? {} : { urlFor: request.urlFor }),
    };
    registry.set(entry);
    try {
      await forward.open();
    } catch (error) {
      registry.delete(entry.id);
      registry.schedule();
      if (error instanceof HangarError) throw error;
      throw new HangarError({
        code: 'TUNNEL_FAILED',
        message: `The tunnel to port ${request.spec.remotePort} could not be opened (${error instanceof Error ? error.message : String(error)}).`,
        hint: 'Try again; if it keeps failing, open a terminal on the instance to check its SSH connection.',
        cause: error,
      });
    }
    const arrow = request.spec.direction === 'local' ? '→' : '←';
    logger.info(`tunnel ${entry.id} open: 127.0.0.1:${forward.localPort} ${arrow} ${request.spec.remoteHost}:${forward.remotePort} on ${instance.instanceId}${forward.via === 'ssh' ? '' : ' (Session Manager)'}`);
    rememberTunnel(deps.settings, entry, remembered);
    registry.schedule();
    return entry;
  };
}

function bare(ref: InstanceRef): Omit<InstanceRef, 'acceptHostKey'> {
  return { accountId: ref.accountId, region: ref.region, instanceId: ref.instanceId };
}
