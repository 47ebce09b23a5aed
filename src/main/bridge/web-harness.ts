import { mkdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { platform } from 'node:os';
import { join, resolve } from 'node:path';
import { apiSchemas, eventTable } from '../../shared/ipc/api-schemas';
import type { Api, Events } from '../../shared/ipc/contract';
import { harnessSchemas, type HarnessApi } from '../../shared/ipc/harness-api';
import { createHandlers } from '../ipc/create-handlers';
import { windowSessionEnded } from '../ipc/app-dispatcher';
import { createDispatcher } from '../ipc/dispatch';
import type { AppServices } from '../services/app-services';
import { createAppServices } from '../services/create-app-services';
import type { SlurmLayout } from '../services/cluster/slurm-config';
import { createFileLogSink, teeSinks } from '../services/logging/file-log-sink';
import { createLogger, type Logger } from '../services/logging/logger';
import { createKeytarSecretStore } from '../services/secrets/keytar-secret-store';
import type { SecretStore } from '../services/secrets/secret-store';
import { createSettingsFileBackend } from '../services/settings/settings-file-backend';
import { startBridge, type BridgeServer } from './bridge-server';
import { createHarnessDropHandlers } from './harness-drops';
import { serveStatic } from './static-files';

/**
 * The keychain service the web harness keeps its secrets under: never the desktop app's ("Hangar"), so a
 * developer's dev session neither reads nor overwrites the keys of the Hangar they use day to day.
 */
export const WEB_HARNESS_KEYCHAIN_SERVICE = 'Hangar (dev harness)';

export interface WebHarnessOptions {
  port?: number;
  /** Settings live here (HANGAR_DATA_DIR). */
  dataDir: string;
  /** Serve this built renderer folder; without it, Vite serves src/renderer with hot reload. */
  rendererDir?: string;
  secrets?: SecretStore;
  logger?: Logger;
  version?: string;
  /** Users to try when connecting; tests add the OS user that launched sshd rigs log in as. */
  userCandidates?: (imageName: string | undefined) => string[];
  /** How long a closed page's shells wait to be taken over by a reloaded page before they close. */
  terminalGraceMs?: number;
  /** Where Slurm lives on a test rig's nodes (the daemons started directly, files in a temp folder). */
  slurmLayout?: SlurmLayout;
}

export interface WebHarness {
  readonly url: string;
  readonly bridge: BridgeServer;
  readonly services: AppServices;
  /**
   * The harness has no native file picker: a test queues what the "user" picks next. Each picker call
   * takes one entry; an empty queue behaves like a cancelled dialog. What it picks becomes grants, as
   * in the shell.
   */
  queuePickedFiles(paths: string[]): void;
  /** The same for the save dialog: the next `pickSaveFile` answers this path (empty queue: cancelled). */
  queueSavePath(path: string): void;
  /** URLs the app asked to open in the system browser, in order (the harness has no browser to open). */
  readonly openedExternally: readonly string[];
  /** Files the app asked the system to open (a .rdp), in order: the harness opens nothing. */
  readonly openedPaths: readonly string[];
  close(): Promise<void>;
}

/**
 * The whole app without Electron: the real services, the dispatcher, the loopback bridge, and the
 * renderer served on the same origin. Used by `npm run dev:web`, the E2E tests and the benchmarks.
 */
export async function startWebHarness(options: WebHarnessOptions): Promise<WebHarness> {
  mkdirSync(options.dataDir, { recursive: true });
  const toStderr = (line: string): void => void process.stderr.write(`${line}\n`);
  const logger =
    options.logger ?? createLogger({ level: 'info', sink: teeSinks(createFileLogSink({ dir: join(options.dataDir, 'logs'), fallback: toStderr }), toStderr) });
  const opened: string[] = [];
  const openedPaths: string[] = [];
  const picks: string[][] = [];
  const savePaths: string[] = [];
  let publishOpened: (url: string) => void = () => undefined;
  const services = createAppServices({
    info: { name: 'Hangar', version: options.version ?? '0.0.0-dev', shell: 'web', platform: platform() },
    logger,
    settingsBackend: createSettingsFileBackend(options.dataDir),
    secrets: options.secrets ?? createKeytarSecretStore({ service: WEB_HARNESS_KEYCHAIN_SERVICE }),
    openExternal: async (url) => {
      opened.push(url);
      publishOpened(url);
      logger.info('would open in the system browser (web harness)', { url });
    },
    openPath: async (path) => {
      openedPaths.push(path);
      logger.info('would open with the system (web harness)', { path });
    },
    pickFiles: async () => picks.shift() ?? [],
    pickSaveFile: async () => savePaths.shift(),
    ...(options.userCandidates === undefined ? {} : { userCandidates: options.userCandidates }),
    ...(options.slurmLayout === undefined ? {} : { slurmLayout: options.slurmLayout }),
    ...(options.terminalGraceMs === undefined ? {} : { terminalGraceMs: options.terminalGraceMs }),
  });
  // The contract's handlers plus the harness's own drop path (harness-drops.ts), which the shell lacks.
  const dispatcher = createDispatcher<Api & HarnessApi, Events>({
    schemas: { ...apiSchemas, ...harnessSchemas },
    handlers: { ...createHandlers(services), ...createHarnessDropHandlers(services.grants) },
    hub: services.events,
    events: eventTable,
    logger: services.logger,
    onSessionClosed: windowSessionEnded(services),
  });
  publishOpened = (url) => services.events.publish('app.externalOpened', { url });

  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(503).end('starting');
  };
  const bridge = await startBridge({ dispatcher, logger, http: (req, res) => handle(req, res), port: options.port ?? 0, passOtherUpgrades: !options.rendererDir });
  let closeVite: () => Promise<void> = async () => undefined;
  if (options.rendererDir) {
    handle = serveStatic(resolve(options.rendererDir));
  } else {
    // Loaded only in dev: the packaged app and the tests never pull Vite in.
    const { createServer } = await import('vite');
    const { rendererConfig } = await import('../../../renderer.vite.config');
    const vite = await createServer({
      ...rendererConfig,
      configFile: false,
      appType: 'spa',
      // No CORS: Vite's default lets any localhost origin read what it serves — /@fs/ included, i.e. any
      // file of the repo — and a Jupyter page on a forwarded 127.0.0.1 port is such an origin.
      server: { middlewareMode: true, hmr: { server: bridge.httpServer }, cors: false },
    });
    handle = (req, res) => {
      if (isCrossOrigin(req, bridge.origin)) {
        res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden: not the Hangar page');
        return;
      }
      vite.middlewares(req, res);
    };
    closeVite = () => vite.close();
  }

  return {
    url: `${bridge.origin}/?token=${encodeURIComponent(bridge.token)}`,
    bridge,
    services,
    openedExternally: opened,
    openedPaths,
    queuePickedFiles: (paths) => {
      picks.push([...paths]);
    },
    queueSavePath: (path) => {
      savePaths.push(path);
    },
    async close() {
      // Waits for the transfer queue's last save.
      await services.dispose();
      await closeVite();
      await bridge.close();
    },
  };
}

/**
 * A request another page made: its Origin names another site, or the browser says it was not same-origin.
 * The dev server's modules are for the Hangar page alone.
 */
function isCrossOrigin(req: IncomingMessage, ownOrigin: string): boolean {
  const origin = req.headers.origin;
  const localhostOrigin = ownOrigin.replace('127.0.0.1', 'localhost');
  if (origin !== undefined && origin !== ownOrigin && origin !== localhostOrigin) return true;
  const site = req.headers['sec-fetch-site'];
  return site === 'cross-site' || site === 'same-site';
}

