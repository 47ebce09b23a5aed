import { randomBytes } from 'node:crypto';
import { HangarError } from '../../../shared/errors/hangar-error';
import type { Events } from '../../../shared/ipc/contract';
import type { InstanceStateName } from '../../../shared/models/ec2';
import type { SavedTunnel } from '../../../shared/models/settings';
import type { InstanceRef } from '../../../shared/models/transfers';
import type { TunnelInfo, TunnelKind } from '../../../shared/models/tunnels';
import type { EventHub } from '../app/event-hub';
import { checkExternalUrl } from '../app/external-url';
import type { Ec2Service } from '../ec2/ec2-service';
import type { Logger } from '../logging/logger';
import type { SettingsStore } from '../settings/settings-store';
import type { ConnectionManager } from '../ssh/create-connection-manager';
import { shellQuote } from '../ssh/shell-quote';
import type { SshConnection } from '../ssh/ssh-connection';
import { discoverJupyter, type DiscoveredJupyter } from './jupyter-discovery';
import { PortForward, type ForwardSpec } from './port-forward';
import { launchDetached, logTail, remoteFacts, resolveRemotePath, type RemoteFacts } from './remote-launcher';
import type { TunnelService } from './tunnel-service';

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
}

const STOPPED_STATES: ReadonlySet<InstanceStateName> = new Set(['stopping', 'stopped', 'shutting-down', 'terminated']);
const JUPYTER_PORT = 8888;
const TENSORBOARD_PORT = 6006;
const SAVED_PER_INSTANCE = 20;

interface Entry {
  readonly id: string;
  readonly instance: Omit<InstanceRef, 'acceptHostKey'>;
  readonly instanceName: string;
  readonly kind: TunnelKind;
  readonly label: string;
  readonly forward: PortForward;
  /** Builds the browser URL from the local port (Jupyter's carries its token). */
  readonly urlFor?: (localPort: number) => string;
  readonly openedAt: string;
}

function newId(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

function bare(ref: InstanceRef): Omit<InstanceRef, 'acceptHostKey'> {
  return { accountId: ref.accountId, region: ref.region, instanceId: ref.instanceId };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Whether something accepts TCP connections at host:port as seen from the instance (a forwardOut that opens). */
export function remotePortAnswers(connection: SshConnection, host: string, port: number, timeoutMs = 5000): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    try {
      connection.client.forwardOut('127.0.0.1', 0, host, port, (error, channel) => {
        clearTimeout(timer);
        if (error) {
          resolve(false);
          return;
        }
        channel.on('error', () => undefined);
        channel.close();
        resolve(true);
      });
    } catch {
      clearTimeout(timer);
      resolve(false);
    }
  });
}

export function createTunnelService(deps: TunnelServiceDeps): TunnelService {
  const { connections, settings, events, logger } = deps;
  const throttleMs = deps.throttleMs ?? 250;
  const startTimeoutMs = deps.startTimeoutMs ?? 60_000;
  const entries = new Map<string, Entry>();
  let timer: NodeJS.Timeout | undefined;
  let lastPublished = 0;
  let lastSnapshot = '';
  let disposed = false;

  function info(entry: Entry): TunnelInfo {
    const f = entry.forward;
    const url = entry.urlFor?.(f.localPort);
    return {
      id: entry.id,
      instance: entry.instance,
      instanceName: entry.instanceName,
      kind: entry.kind,
      direction: f.spec.direction,
      label: entry.label,
      localAddress: `127.0.0.1:${f.localPort}`,
      localPort: f.localPort,
      remoteAddress: `${f.spec.remoteHost}:${f.remotePort}`,
      remotePort: f.remotePort,
      state: f.state,
      openConnections: f.openConnections,
      bytesIn: f.bytesIn,
      bytesOut: f.bytesOut,
      openedAt: entry.openedAt,
      ...(url === undefined ? {} : { url }),
      ...(f.note === undefined ? {} : { note: f.note }),
      ...(f.error === undefined ? {} : { error: { code: f.error.code, message: f.error.message, ...(f.error.hint === undefined ? {} : { hint: f.error.hint }) } }),
    };
  }

  function list(): TunnelInfo[] {
    return [...entries.values()].map(info);
  }

  function flush(): void {
    timer = undefined;
    if (disposed) return;
    const current = list();
    const snapshot = JSON.stringify(current);
    lastPublished = Date.now();
    if (snapshot !== lastSnapshot) {
      lastSnapshot = snapshot;
      events.publish('tunnels.changed', current);
    }
    // Bytes move without events of their own: while connections are open, look again at the same pace.
    if (current.some((t) => t.openConnections > 0)) schedule();
  }

  function schedule(): void {
    if (timer !== undefined || disposed) return;
    timer = setTimeout(flush, Math.max(0, lastPublished + throttleMs - Date.now()));
    timer.unref?.();
  }

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

  function findOpen(instanceId: string, direction: string, remoteHost: string, remotePort: number): Entry | undefined {
    for (const entry of entries.values()) {
      const f = entry.forward;
      if (
        entry.instance.instanceId === instanceId &&
        f.spec.direction === direction &&
        f.spec.remoteHost === remoteHost &&
        f.spec.remotePort === remotePort &&
        f.state !== 'closed' &&
        f.state !== 'failed'
      ) {
        return entry;
      }
    }
    return undefined;
  }

  function remember(entry: Entry, extra: { folder?: string }): void {
    const f = entry.forward;
    settings.mutate((s) => {
      const existing = s.tunnels[entry.instance.instanceId] ?? [];
      const same = (t: SavedTunnel): boolean =>
        t.kind === entry.kind &&
        (entry.kind !== 'port' || (t.direction === f.spec.direction && t.remoteHost === f.spec.remoteHost && t.remotePort === f.spec.remotePort));
      const previous = existing.find(same);
      const record: SavedTunnel = {
        id: previous?.id ?? newId('saved'),
        kind: entry.kind,
        direction: f.spec.direction,
        // The port asked for, not a fallback chosen because it was busy.
        localPort: f.spec.localPort,
        remoteHost: f.spec.remoteHost,
        remotePort: f.remotePort,
        label: entry.label,
        accountId: entry.instance.accountId,
        region: entry.instance.region,
        instanceName: entry.instanceName,
        lastUsedAt: new Date().toISOString(),
        ...(extra.folder === undefined ? (previous?.folder === undefined ? {} : { folder: previous.folder }) : { folder: extra.folder }),
      };
      const rest = existing.filter((t) => !same(t));
      return { ...s, tunnels: { ...s.tunnels, [entry.instance.instanceId]: [record, ...rest].slice(0, SAVED_PER_INSTANCE) } };
    });
  }

  async function openForward(opts: {
    ref: InstanceRef;
    instanceName: string;
    kind: TunnelKind;
    label: string;
    spec: ForwardSpec;
    urlFor?: (localPort: number) => string;
    folder?: string;
  }): Promise<Entry> {
    const existing = findOpen(opts.ref.instanceId, opts.spec.direction, opts.spec.remoteHost, opts.spec.remotePort);
    if (existing !== undefined) {
      // A second click on Jupyter opens what is already forwarded (its token may be new: the URL follows).
      const refreshed: Entry = { ...existing, ...(opts.urlFor === undefined ? {} : { urlFor: opts.urlFor }) };
      entries.set(existing.id, refreshed);
      remember(refreshed, opts.folder === undefined ? {} : { folder: opts.folder });
      schedule();
      return refreshed;
    }
    let acceptHostKey = opts.ref.acceptHostKey;
    const instance = bare(opts.ref);
    const forward = new PortForward(opts.spec, {
      acquire: async (signal) => {
        const ref = acceptHostKey === undefined ? instance : { ...instance, acceptHostKey };
        const { connection } = await connections.acquire(ref, signal);
        // Pinned once accepted: reconnects verify against the pin, not a stale acceptance.
        acceptHostKey = undefined;
        return connection;
      },
      instanceGone: (signal) => instanceGone(instance, signal),
      onChange: schedule,
      logger,
      ...(deps.reconnect === undefined ? {} : { reconnect: deps.reconnect }),
    });
    const entry: Entry = {
      id: newId('tun'),
      instance,
      instanceName: opts.instanceName,
      kind: opts.kind,
      label: opts.label,
      forward,
      openedAt: new Date().toISOString(),
      ...(opts.urlFor === undefined ? {} : { urlFor: opts.urlFor }),
    };
    entries.set(entry.id, entry);
    try {
      await forward.open();
    } catch (error) {
      entries.delete(entry.id);
      schedule();
      if (error instanceof HangarError) throw error;
      throw new HangarError({
        code: 'TUNNEL_FAILED',
        message: `The tunnel to port ${opts.spec.remotePort} could not be opened (${error instanceof Error ? error.message : String(error)}).`,
        hint: 'Try again; if it keeps failing, open a terminal on the instance to check its SSH connection.',
        cause: error,
      });
    }
    logger.info(`tunnel ${entry.id} open: 127.0.0.1:${forward.localPort} ${opts.spec.direction === 'local' ? '→' : '←'} ${opts.spec.remoteHost}:${forward.remotePort} on ${instance.instanceId}`);
    remember(entry, opts.folder === undefined ? {} : { folder: opts.folder });
    schedule();
    return entry;
  }

  async function withConnection<T>(ref: InstanceRef, signal: AbortSignal | undefined, fn: (connection: SshConnection) => Promise<T>): Promise<T> {
    const { connection } = await connections.acquire(ref, signal);
    try {
      return await fn(connection);
    } catch (error) {
      if (error instanceof HangarError) throw error;
      // Raw ssh2 / channel failures (the link dropped mid-probe, a command timed out) are mapped here, at the edge.
      throw new HangarError({
        code: 'CONNECTION_LOST',
        message: `The instance stopped answering while Hangar was looking for its servers (${error instanceof Error ? error.message : String(error)}).`,
        hint: 'Try again. If it keeps happening, open a terminal on the instance to check that it responds.',
        retryable: true,
        cause: error,
      });
    } finally {
      connection.release();
    }
  }

  async function firstLive(connection: SshConnection, servers: readonly DiscoveredJupyter[]): Promise<DiscoveredJupyter | undefined> {
    for (const server of servers) if (await remotePortAnswers(connection, server.host, server.port)) return server;
    return undefined;
  }

  async function freeRemotePort(connection: SshConnection, preferred: number): Promise<number> {
    for (let port = preferred; port < preferred + 20; port++) if (!(await remotePortAnswers(connection, '127.0.0.1', port))) return port;
    return preferred + 20;
  }

  function notInstalledJupyter(): HangarError {
    return new HangarError({
      code: 'JUPYTER_NOT_INSTALLED',
      message: 'Jupyter is not installed on this instance (no `jupyter` command in a login shell).',
      hint: 'pip install jupyterlab',
      details: { command: 'pip install jupyterlab', alternative: 'conda install -c conda-forge jupyterlab' },
    });
  }

  async function startJupyter(connection: SshConnection, facts: RemoteFacts, folderInput: string, signal?: AbortSignal): Promise<DiscoveredJupyter> {
    if (facts.jupyter === undefined) throw notInstalledJupyter();
    const folder = resolveRemotePath(folderInput, facts.home);
    const exists = await connection.run(shellQuote(['test', '-d', folder]));
    if (exists.code !== 0) {
      throw new HangarError({
        code: 'REMOTE_NOT_FOUND',
        message: `There is no folder ${folder} on the instance.`,
        hint: 'Choose an existing folder (~ is your home folder on the instance).',
        details: { path: folder },
      });
    }
    const port = await freeRemotePort(connection, JUPYTER_PORT);
    const argv = [facts.jupyter, facts.lab ? 'lab' : 'notebook', '--no-browser', '--ip=127.0.0.1', `--port=${port}`, '--port-retries=0', `--notebook-dir=${folder}`];
    // Jupyter refuses to run as root without it; some AMIs log in as root.
    if (facts.uid === 0) argv.push('--allow-root');
    const launched = await launchDetached(connection, facts, `hangar-jupyter-${port}`, argv);
    logger.info(`started Jupyter ${facts.lab ? 'Lab' : 'Notebook'} on the instance (${launched.keeper}, port ${port})`);
    const deadline = Date.now() + startTimeoutMs;
    while (Date.now() < deadline && !signal?.aborted) {
      await sleep(750, signal);
      const found = await discoverJupyter(connection).catch(() => undefined);
      const server = found?.servers.find((s) => s.port === port);
      if (server !== undefined && (await remotePortAnswers(connection, server.host, server.port))) return server;
    }
    const tail = await logTail(connection, launched.logPath);
    throw new HangarError({
      code: 'JUPYTER_START_FAILED',
      message: `Jupyter did not come up on the instance within ${Math.round(startTimeoutMs / 1000)} s.${tail === '' ? '' : ` Its last output:\n${tail}`}`,
      hint: `See ${launched.logPath} on the instance${launched.keeper.startsWith('tmux') ? `, or attach with \`tmux attach -t hangar-jupyter-${port}\`` : ''}.`,
    });
  }

  function jupyterUrl(server: DiscoveredJupyter): (localPort: number) => string {
    return (localPort) => `http://127.0.0.1:${localPort}${server.baseUrl}${server.hasToken ? `?token=${encodeURIComponent(server.token)}` : ''}`;
  }

  async function openBrowser(entry: Entry, wanted: boolean | undefined): Promise<void> {
    if (wanted === false || entry.urlFor === undefined) return;
    await deps.openExternal(checkExternalUrl(entry.urlFor(entry.forward.localPort)));
  }

  const service: TunnelService = {
    list,

    async discoverJupyter(instance, signal) {
      return withConnection(instance, signal, async (connection) => {
        const found = await discoverJupyter(connection);
        const live: DiscoveredJupyter[] = [];
        for (const server of found.servers) if (await remotePortAnswers(connection, server.host, server.port)) live.push(server);
        // The token stays in main; the renderer learns only that there is one.
        return { installed: found.installed, servers: live.map(({ token: _token, ...rest }) => rest) };
      });
    },

    async openJupyter(input, signal) {
      const { server, folder } = await withConnection(input.instance, signal, async (connection) => {
        const found = await discoverJupyter(connection);
        if (!found.installed) throw notInstalledJupyter();
        const live = await firstLive(connection, found.servers);
        if (live !== undefined) return { server: live, folder: undefined };
        if (input.start !== true) {
          throw new HangarError({
            code: 'JUPYTER_NOT_RUNNING',
            message: 'No Jupyter server is running on this instance.',
            hint: 'Start one: Hangar runs it in tmux, bound to 127.0.0.1 on the instance, so it keeps running when you disconnect.',
          });
        }
        const facts = await remoteFacts(connection);
        const started = await startJupyter(connection, facts, input.folder ?? '~', signal);
        return { server: started, folder: input.folder ?? '~' };
      });
      const entry = await openForward({
        ref: input.instance,
        instanceName: input.instanceName ?? input.instance.instanceId,
        kind: 'jupyter',
        label: 'Jupyter',
        spec: { direction: 'local', localPort: input.localPort ?? server.port, remoteHost: server.host, remotePort: server.port },
        urlFor: jupyterUrl(server),
        ...(folder === undefined ? {} : { folder }),
      });
      await openBrowser(entry, input.openBrowser);
      return info(entry);
    },

    async openTensorBoard(input, signal) {
      const logdir = await withConnection(input.instance, signal, async (connection) => {
        if (await remotePortAnswers(connection, '127.0.0.1', TENSORBOARD_PORT)) return undefined;
        const facts = await remoteFacts(connection);
        if (facts.tensorboard === undefined) {
          throw new HangarError({
            code: 'TENSORBOARD_NOT_INSTALLED',
            message: 'TensorBoard is not installed on this instance (no `tensorboard` command in a login shell).',
            hint: 'pip install tensorboard',
            details: { command: 'pip install tensorboard' },
          });
        }
        if (input.start !== true) {
          throw new HangarError({
            code: 'TENSORBOARD_NOT_RUNNING',
            message: `Nothing is listening on port ${TENSORBOARD_PORT} on this instance.`,
            hint: 'Start TensorBoard on a log folder: Hangar runs it in tmux, bound to 127.0.0.1 on the instance.',
          });
        }
        const dir = resolveRemotePath(input.logdir ?? '~', facts.home);
        const argv = [facts.tensorboard, '--logdir', dir, '--host', '127.0.0.1', '--port', String(TENSORBOARD_PORT)];
        const launched = await launchDetached(connection, facts, 'hangar-tensorboard', argv);
        const deadline = Date.now() + startTimeoutMs;
        while (Date.now() < deadline && !signal?.aborted) {
          await sleep(750, signal);
          if (await remotePortAnswers(connection, '127.0.0.1', TENSORBOARD_PORT)) return input.logdir ?? '~';
        }
        const tail = await logTail(connection, launched.logPath);
        throw new HangarError({
          code: 'JUPYTER_START_FAILED',
          message: `TensorBoard did not come up on the instance within ${Math.round(startTimeoutMs / 1000)} s.${tail === '' ? '' : ` Its last output:\n${tail}`}`,
          hint: `See ${launched.logPath} on the instance.`,
        });
      });
      const entry = await openForward({
        ref: input.instance,
        instanceName: input.instanceName ?? input.instance.instanceId,
        kind: 'tensorboard',
        label: 'TensorBoard',
        spec: { direction: 'local', localPort: input.localPort ?? TENSORBOARD_PORT, remoteHost: '127.0.0.1', remotePort: TENSORBOARD_PORT },
        urlFor: (port) => `http://127.0.0.1:${port}/`,
        ...(logdir === undefined ? {} : { folder: logdir }),
      });
      await openBrowser(entry, input.openBrowser);
      return info(entry);
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
        ...(input.direction === 'local' ? { urlFor: (port: number) => `http://127.0.0.1:${port}/` } : {}),
      });
      return info(entry);
    },

    async close(tunnelId) {
      const entry = entries.get(tunnelId);
      if (entry === undefined) {
        throw new HangarError({ code: 'TUNNEL_NOT_FOUND', message: 'That tunnel is no longer open.', hint: 'The list of tunnels is up to date now.' });
      }
      entries.delete(tunnelId);
      entry.forward.close();
      logger.info(`tunnel ${tunnelId} closed`);
      schedule();
    },

    async reopen(instanceId, savedId, acceptHostKey, signal) {
      const saved = settings.get().tunnels[instanceId]?.find((t) => t.id === savedId);
      if (saved === undefined || saved.accountId === undefined || saved.region === undefined) {
        throw new HangarError({ code: 'TUNNEL_NOT_FOUND', message: 'That remembered tunnel is gone.', hint: 'Open it again from the instance.' });
      }
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
      settings.mutate((s) => {
        const rest = (s.tunnels[instanceId] ?? []).filter((t) => t.id !== savedId);
        const tunnels = { ...s.tunnels };
        if (rest.length === 0) delete tunnels[instanceId];
        else tunnels[instanceId] = rest;
        return { ...s, tunnels };
      });
    },

    instancesChanged(changes) {
      for (const change of changes) {
        if (!STOPPED_STATES.has(change.currentState)) continue;
        for (const entry of entries.values()) {
          if (entry.instance.instanceId !== change.instanceId) continue;
          const f = entry.forward;
          if (f.state === 'closed' || f.state === 'failed') continue;
          f.error = new HangarError({ code: 'INSTANCE_STOPPED', message: 'The instance was stopped, so the tunnel was closed.' });
          f.close();
        }
      }
      schedule();
    },

    dispose() {
      disposed = true;
      if (timer !== undefined) clearTimeout(timer);
      for (const entry of entries.values()) entry.forward.close();
      entries.clear();
    },
  };
  return service;
}
