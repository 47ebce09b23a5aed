import { HangarError } from '../../../shared/errors/hangar-error';
import type { Events } from '../../../shared/ipc/contract';
import type { InstanceRef } from '../../../shared/models/transfers';
import type { EventHub } from '../app/event-hub';
import { checkExternalUrl } from '../app/external-url';
import type { Ec2Service } from '../ec2/ec2-service';
import type { Logger } from '../logging/logger';
import type { SettingsStore } from '../settings/settings-store';
import type { ConnectionManager } from '../ssh/create-connection-manager';
import { findOrStartJupyter, jupyterUrl, liveJupyterServers } from './jupyter-launch';
import { forgetSavedTunnel, savedTunnel } from './saved-tunnels';
import { findOrStartTensorBoard, TENSORBOARD_PORT } from './tensorboard-launch';
import { STOPPED_STATES } from '../../../shared/models/ec2';
import { createTunnelOpener } from './tunnel-opener';
import { createTunnelRegistry, type TunnelEntry } from './tunnel-registry';
import type { TunnelService } from './tunnel-service';
import type { SsmSessionApi } from '../keyless/ssm/ssm-session-api';
import { chooseVia, withRemote, type RemoteChoiceDeps } from './with-remote';

export interface TunnelServiceDeps {
  connections: Pick<ConnectionManager, 'acquire'>;
  settings: SettingsStore;
  events: EventHub<Events>;
  ec2?: Pick<Ec2Service, 'describeInstance'>;
  logger: Logger;
  /** The system browser (checked http(s) URLs only). */
  openExternal(url: string): Promise<void>;
  /** Minimum gap between `tunnels.changed` events; default 250 ms (about 4 a second). */
  throttleMs?: number;
  /** How long a started Jupyter / TensorBoard may take to come up; default 60 s. */
  startTimeoutMs?: number;
  reconnect?: { initialMs?: number; maxMs?: number; giveUpMs?: number };
  /** With both, tunnels to an instance SSH cannot reach go through Session Manager (issue 15). */
  ways?: RemoteChoiceDeps['ways'];
  ssm?: SsmSessionApi;
}

/**
 * The tunnel service, composed of the registry of open tunnels (and its throttled event), the opener
 * (forward + reconnect + remembering), the Jupyter / TensorBoard launchers and the remembered tunnels.
 */
export function createTunnelService(deps: TunnelServiceDeps): TunnelService {
  const { connections, settings, logger } = deps;
  const startTimeoutMs = deps.startTimeoutMs ?? 60_000;
  const registry = createTunnelRegistry(deps.events, deps.throttleMs ?? 250);
  const openForward = createTunnelOpener({ connections, settings, registry, ec2: deps.ec2, logger, reconnect: deps.reconnect, ssm: deps.ssm });
  const reach: RemoteChoiceDeps = { connections, ways: deps.ways, ssm: deps.ssm };

  async function openBrowser(entry: TunnelEntry, wanted: boolean | undefined): Promise<void> {
    if (wanted === false || entry.urlFor === undefined) return;
    await deps.openExternal(checkExternalUrl(entry.urlFor(entry.forward.localPort)));
  }

  const service: TunnelService = {
    list: registry.list,

    async discoverJupyter(instance, signal) {
      return withRemote(reach, instance, instance.instanceId, signal, async (host) => {
        const found = await liveJupyterServers(host);
        // The token stays in main; the renderer learns only that there is one.
        return { installed: found.installed, servers: found.servers.map(({ token: _token, ...rest }) => rest) };
      });
    },

    async openJupyter(input, signal) {
      const title = input.instanceName ?? input.instance.instanceId;
      const { server, folder, via } = await withRemote(reach, input.instance, title, signal, async (host) => ({
        ...(await findOrStartJupyter(host, input, { startTimeoutMs, logger }, signal)),
        via: host.via,
      }));
      const entry = await openForward({
        ref: input.instance,
        instanceName: input.instanceName ?? input.instance.instanceId,
        kind: 'jupyter',
        label: 'Jupyter',
        spec: { direction: 'local', localPort: input.localPort ?? server.port, remoteHost: server.host, remotePort: server.port },
        urlFor: jupyterUrl(server),
        via,
        ...(folder === undefined ? {} : { folder }),
      });
      await openBrowser(entry, input.openBrowser);
      return registry.info(entry);
    },

    async openTensorBoard(input, signal) {
      const { logdir, via } = await withRemote(reach, input.instance, input.instanceName ?? input.instance.instanceId, signal, async (host) => ({
        logdir: await findOrStartTensorBoard(host, input, startTimeoutMs, signal),
        via: host.via,
      }));
      const entry = await openForward({
        ref: input.instance,
        instanceName: input.instanceName ?? input.instance.instanceId,
        kind: 'tensorboard',
        label: 'TensorBoard',
        spec: { direction: 'local', localPort: input.localPort ?? TENSORBOARD_PORT, remoteHost: '127.0.0.1', remotePort: TENSORBOARD_PORT },
        urlFor: (port) => `http://127.0.0.1:${port}/`,
        via,
        ...(logdir === undefined ? {} : { folder: logdir }),
      });
      await openBrowser(entry, input.openBrowser);
      return registry.info(entry);
    },

    async forward(input) {
      const remoteHost = input.remoteHost ?? '127.0.0.1';
      const label =
        input.label ??
        (input.direction === 'local' ? `Port ${input.remotePort}` : `Port ${input.remotePort} on the instance → this computer's ${input.localPort}`);
      const entry = await openForward({
        ref: input.instance,
        instanceName: input.instanceName ?? input.instance.instanceId,
        kind: 'port',
        label,
        spec: { direction: input.direction, localPort: input.localPort, remoteHost, remotePort: input.remotePort },
        via: await chooseVia(reach, input.instance),
        ...(input.direction === 'local' ? { urlFor: (port: number) => `http://127.0.0.1:${port}/` } : {}),
      });
      return registry.info(entry);
    },

    async close(tunnelId) {
      const entry = registry.get(tunnelId);
      if (entry === undefined) {
        throw new HangarError({ code: 'TUNNEL_NOT_FOUND', message: 'That tunnel is no longer open.', hint: 'The list of tunnels is up to date now.' });
      }
      registry.delete(tunnelId);
      entry.forward.close();
      logger.info(`tunnel ${tunnelId} closed`);
      registry.schedule();
    },

    async reopen(instanceId, savedId, acceptHostKey, signal) {
      const saved = savedTunnel(settings, instanceId, savedId);
      const instance: InstanceRef = {
        accountId: saved.accountId,
        region: saved.region,
        instanceId,
        ...(acceptHostKey === undefined ? {} : { acceptHostKey }),
      };
      const instanceName = saved.instanceName ?? instanceId;
      const localPort = saved.localPort > 0 ? saved.localPort : undefined;
      if (saved.kind === 'jupyter') {
        return service.openJupyter({ instance, instanceName, ...(localPort === undefined ? {} : { localPort }) }, signal);
      }
      if (saved.kind === 'tensorboard') {
        return service.openTensorBoard({ instance, instanceName, ...(localPort === undefined ? {} : { localPort }) }, signal);
      }
      return service.forward({
        instance,
        instanceName,
        direction: saved.direction,
        localPort: saved.localPort,
        remoteHost: saved.remoteHost,
        remotePort: saved.remotePort,
        ...(saved.label === undefined ? {} : { label: saved.label }),
      });
    },

    async forget(instanceId, savedId) {
      forgetSavedTunnel(settings, instanceId, savedId);
    },

    instancesChanged(changes) {
      for (const change of changes) {
        if (!STOPPED_STATES.has(change.currentState)) continue;
        for (const entry of registry.values()) {
          if (entry.instance.instanceId !== change.instanceId) continue;
          const f = entry.forward;
          if (f.state === 'closed' || f.state === 'failed') continue;
          f.error = new HangarError({ code: 'INSTANCE_STOPPED', message: 'The instance was stopped, so the tunnel was closed.' });
          f.close();
        }
      }
      registry.schedule();
    },

    dispose() {
      registry.dispose();
    },
  };
  return service;
}
