import { HangarError } from '../../../shared/errors/hangar-error';
import type { Logger } from '../logging/logger';
import { argvCommand } from '../ssh/remote-command';
import { discoverJupyter, type DiscoveredJupyter } from './jupyter-discovery';
import { launchDetached, logTail, remoteFacts, resolveRemotePath, type RemoteFacts } from './remote-launcher';
import type { RemoteHost } from './remote-host';
import { freeRemotePort, pollUntil } from './remote-port';

const JUPYTER_PORT = 8888;

export interface JupyterLaunchOptions {
  /** How long a started server may take to come up. */
  readonly startTimeoutMs: number;
  readonly logger: Logger;
}

/** The servers Jupyter lists that really answer (a crashed one can stay listed). */
export async function liveJupyterServers(connection: RemoteHost): Promise<{ installed: boolean; servers: DiscoveredJupyter[] }> {
  const found = await discoverJupyter(connection);
  const live: DiscoveredJupyter[] = [];
  for (const server of found.servers) if (await connection.portAnswers(server.host, server.port)) live.push(server);
  return { installed: found.installed, servers: live };
}

/**
 * The first running Jupyter server on the instance; none and `start`: one started in `folder` (default ~)
 * in tmux, bound to the instance's loopback. `folder` in the answer says a server was started there.
 */
export async function findOrStartJupyter(
  connection: RemoteHost,
  input: { start?: boolean; folder?: string },
  options: JupyterLaunchOptions,
  signal?: AbortSignal,
): Promise<{ server: DiscoveredJupyter; folder: string | undefined }> {
  const found = await discoverJupyter(connection);
  if (!found.installed) throw jupyterNotInstalled();
  for (const server of found.servers) {
    if (await connection.portAnswers(server.host, server.port)) return { server, folder: undefined };
  }
  if (input.start !== true) {
    throw new HangarError({
      code: 'JUPYTER_NOT_RUNNING',
      message: 'No Jupyter server is running on this instance.',
      hint: 'Start one: Hangar runs it in tmux, bound to 127.0.0.1 on the instance, so it keeps running when you disconnect.',
    });
  }
  const facts = await remoteFacts(connection);
  const started = await startJupyter(connection, facts, input.folder ?? '~', options, signal);
  return { server: started, folder: input.folder ?? '~' };
}

/** The browser URL for a forwarded server, with its token. */
export function jupyterUrl(server: DiscoveredJupyter): (localPort: number) => string {
  return (localPort) => `http://127.0.0.1:${localPort}${server.baseUrl}${server.hasToken ? `?token=${encodeURIComponent(server.token)}` : ''}`;
}

async function startJupyter(
  connection: RemoteHost,
  facts: RemoteFacts,
  folderInput: string,
  options: JupyterLaunchOptions,
  signal?: AbortSignal,
): Promise<DiscoveredJupyter> {
  if (facts.jupyter === undefined) throw jupyterNotInstalled();
  const folder = resolveRemotePath(folderInput, facts.home);
  const exists = await connection.run(argvCommand(['test', '-d', folder]));
  if (exists.code !== 0) {
    throw new HangarError({
      code: 'REMOTE_NOT_FOUND',
      message: `There is no folder ${folder} on the instance.`,
      hint: 'Choose an existing folder (~ is your home folder on the instance).',
      details: { path: folder },
    });
  }
  // The free port can be taken between the check and the start (another Jupyter starting at the same time):
  // Jupyter then stops at once, saying so, and the next free port is tried.
  let from = JUPYTER_PORT;
  for (let attempt = 1; ; attempt++) {
    const port = await freeRemotePort(connection, from);
    const argv = [facts.jupyter, facts.lab ? 'lab' : 'notebook', '--no-browser', '--ip=127.0.0.1', `--port=${port}`, '--port-retries=0', `--notebook-dir=${folder}`];
    // Jupyter refuses to run as root without it; some AMIs log in as root.
    if (facts.uid === 0) argv.push('--allow-root');
    const launched = await launchDetached(connection, facts, `hangar-jupyter-${port}`, argv);
    options.logger.info(`started Jupyter ${facts.lab ? 'Lab' : 'Notebook'} on the instance (${launched.keeper}, port ${port})`);
    const up = await pollUntil(options.startTimeoutMs, signal, async (): Promise<DiscoveredJupyter | 'port-taken' | undefined> => {
      const found = await discoverJupyter(connection).catch(() => undefined);
      const server = found?.servers.find((s) => s.port === port);
      if (server !== undefined && (await connection.portAnswers(server.host, server.port))) return server;
      return PORT_TAKEN.test(await logTail(connection, launched.logPath)) ? 'port-taken' : undefined;
    });
    if (up !== undefined && up !== 'port-taken') return up;
    if (up === 'port-taken' && attempt < 3) {
      from = port + 1;
      continue;
    }
    const tail = await logTail(connection, launched.logPath);
    throw new HangarError({
      code: 'JUPYTER_START_FAILED',
      message: `Jupyter did not come up on the instance within ${Math.round(options.startTimeoutMs / 1000)} s.${tail === '' ? '' : ` Its last output:\n${tail}`}`,
      hint: `See ${launched.logPath} on the instance${launched.keeper.startsWith('tmux') ? `, or attach with \`tmux attach -t hangar-jupyter-${port}\`` : ''}.`,
    });
  }
}

// What Jupyter (Notebook and Server) prints when its --port is in use with --port-retries=0.
const PORT_TAKEN = /port \d+ is already in use|could not be started because port \d+ is not available/i;

function jupyterNotInstalled(): HangarError {
  return new HangarError({
    code: 'JUPYTER_NOT_INSTALLED',
    message: 'Jupyter is not installed on this instance (no `jupyter` command in a login shell).',
    hint: 'pip install jupyterlab',
    details: { command: 'pip install jupyterlab', alternative: 'conda install -c conda-forge jupyterlab' },
  });
}
