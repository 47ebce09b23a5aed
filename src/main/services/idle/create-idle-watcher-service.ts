import { HangarError } from '../../../shared/errors/hangar-error';
import type { IdleWatcherSettings } from '../../../shared/models/idle-watcher';
import type { InstanceRef } from '../../../shared/models/transfers';
import type { Logger } from '../logging/logger';
import type { ConnectionManager } from '../ssh/create-connection-manager';
import type { SshConnection } from '../ssh/ssh-connection';
import {
  manualInstallCommands,
  manualUninstallCommands,
  noSudoError,
  noSystemdError,
  stepFailedError,
  terminatesError,
  type WatcherDirs,
} from './idle-errors';
import { checkIdleSettings } from './idle-settings';
import { parseStatus } from './idle-status';
import type { IdleWatcherService, ShutdownBehaviourLookup } from './idle-watcher-service';
import { installedPaths, installFiles, probe, readStatus, removeFiles, removeStaged, stageFiles, type WatcherFiles } from './remote-steps';
import { DEFAULT_IDLE_STATE_DIR, watcherScript } from './watcher-script';
import { DEFAULT_BIN_DIR, DEFAULT_UNIT_DIR, WATCHER_NAME, watcherService, watcherTimer } from './watcher-units';

export interface IdleWatcherServiceDeps {
  connections: Pick<ConnectionManager, 'acquire'>;
  logger: Logger;
  /** EC2's word on what a shutdown from inside does; install refuses 'terminate'. Unset: not checked. */
  shutdownBehaviour?: ShutdownBehaviourLookup;
  /** Where the units go; default /etc/systemd/system. */
  unitDir?: string;
  /** Where the script goes; default /usr/local/bin. */
  binDir?: string;
  /** The watcher's state; default /var/lib/hangar-idle. */
  stateDir?: string;
  /** The systemctl to run on the instance; default `systemctl` from its PATH. */
  systemctl?: string;
  /** A directory that exists only when systemd is PID 1; default /run/systemd/system (what sd_booted checks). */
  systemdMarker?: string;
  /** The sudo whose presence is probed; default `sudo` (tests name one that is absent, whatever the machine has). */
  sudoProbe?: string;
  /** Go through `sudo -n` even when logged in as root (to exercise the sudo path). */
  sudoEvenAsRoot?: boolean;
}

/** Where the files wait in the login user's home when there is no sudo. */
const STAGING = '.hangar/idle-watcher';

// Paths go into unit files (ExecStart) where systemd gives meaning to spaces, quotes and % specifiers.
const UNIT_SAFE_PATH = /^\/[A-Za-z0-9._/-]*$/;

function checkDir(name: string, value: string): string {
  if (!UNIT_SAFE_PATH.test(value) || value.split('/').includes('..')) {
    throw new HangarError({ code: 'INVALID_ARGUMENT', message: `The idle watcher's ${name} must be an absolute path of plain characters (got "${value}").` });
  }
  return value.replace(/(.)\/+$/, '$1');
}

export function createIdleWatcherService(deps: IdleWatcherServiceDeps): IdleWatcherService {
  const { connections, logger } = deps;
  const dirs: WatcherDirs = {
    unitDir: checkDir('unit directory', deps.unitDir ?? DEFAULT_UNIT_DIR),
    binDir: checkDir('script directory', deps.binDir ?? DEFAULT_BIN_DIR),
    stateDir: checkDir('state directory', deps.stateDir ?? DEFAULT_IDLE_STATE_DIR),
  };
  // Uninstall runs `rm -rf` on it as root: only ever a directory of Hangar's own.
  if (!/\/hangar[^/]*$/.test(dirs.stateDir)) {
    throw new HangarError({ code: 'INVALID_ARGUMENT', message: `The idle watcher's state directory must be named hangar… (got "${dirs.stateDir}").` });
  }
  const systemctl = deps.systemctl ?? 'systemctl';
  const systemdMarker = deps.systemdMarker ?? '/run/systemd/system';

  /** Borrows the instance's shared connection; raw ssh2 failures become CONNECTION_LOST. */
  async function borrow<T>(ref: InstanceRef, signal: AbortSignal | undefined, doing: string, fn: (c: SshConnection, title: string) => Promise<T>): Promise<T> {
    const { connection, target } = await connections.acquire(ref, signal);
    try {
      return await fn(connection, target.title);
    } catch (error) {
      if (error instanceof HangarError) throw error;
      throw new HangarError({
        code: 'CONNECTION_LOST',
        message: `The instance stopped answering while Hangar was ${doing} (${error instanceof Error ? error.message : String(error)}).`,
        hint: 'Try again. If it keeps happening, open a terminal on the instance to check that it responds.',
        retryable: true,
        cause: error,
      });
    } finally {
      connection.release();
    }
  }

  function filesFor(rule: IdleWatcherSettings): WatcherFiles {
    return {
      script: watcherScript(rule, { stateDir: dirs.stateDir }),
      service: watcherService(`${dirs.binDir}/${WATCHER_NAME}`),
      timer: watcherTimer(),
    };
  }

  const stagingDir = (home: string): string | undefined => (home.startsWith('/') ? `${home.replace(/\/+$/, '')}/${STAGING}` : undefined);

  return {
    async install(ref, settings, signal) {
      const rule = checkIdleSettings(settings);
      const files = filesFor(rule);
      return borrow(ref, signal, 'installing the idle watcher', async (connection, title) => {
        if (deps.shutdownBehaviour !== undefined && (await deps.shutdownBehaviour(ref, signal)) === 'terminate') throw terminatesError(title);
        const facts = await probe(connection, systemdMarker, systemctl, true, deps.sudoProbe);
        if (!facts.systemd) throw noSystemdError(title);
        const sudo = facts.uid !== 0 || deps.sudoEvenAsRoot === true;
        const staged = stagingDir(facts.home);
        if (sudo && facts.sudo !== 0) {
          const ready = staged !== undefined && (await stageFiles(connection, staged, files)).code === 0;
          logger.info(`idle watcher on ${ref.instanceId}: no sudo (status ${facts.sudo ?? 'unknown'}); files staged: ${ready}`);
          throw noSudoError({
            title,
            user: connection.user,
            sudoStatus: facts.sudo,
            action: 'install',
            commands: ready && staged !== undefined ? manualInstallCommands(staged, dirs) : undefined,
          });
        }
        const result = await installFiles(connection, dirs, systemctl, files, sudo);
        if (result.code !== 0) throw stepFailedError(title, 'install the idle watcher', result.stdout, result.code);
        // Copies left by an earlier attempt without sudo are now out of date.
        if (staged !== undefined) await removeStaged(connection, staged);
        logger.info(`idle watcher installed on ${ref.instanceId}: stop after ${rule.idleMinutes} min idle`);
        return parseStatus(await readStatus(connection, dirs, systemctl));
      });
    },

    async uninstall(ref, signal) {
      return borrow(ref, signal, 'removing the idle watcher', async (connection, title) => {
        const facts = await probe(connection, systemdMarker, systemctl, true, deps.sudoProbe);
        const staged = stagingDir(facts.home);
        if (staged !== undefined) await removeStaged(connection, staged);
        const before = parseStatus(await readStatus(connection, dirs, systemctl));
        const anything = before.installed || before.partial || before.lastDecision !== undefined;
        if (!anything) return before;
        const sudo = facts.uid !== 0 || deps.sudoEvenAsRoot === true;
        if (sudo && facts.sudo !== 0) {
          throw noSudoError({ title, user: connection.user, sudoStatus: facts.sudo, action: 'uninstall', commands: manualUninstallCommands(dirs) });
        }
        const result = await removeFiles(connection, installedPaths(dirs), dirs.stateDir, { systemctl, present: facts.systemd }, sudo);
        if (result.code !== 0) throw stepFailedError(title, 'remove the idle watcher', result.stdout, result.code);
        logger.info(`idle watcher removed from ${ref.instanceId}`);
        return parseStatus(await readStatus(connection, dirs, systemctl));
      });
    },

    async status(ref, signal) {
      return borrow(ref, signal, 'reading the idle watcher\'s status', async (connection) => parseStatus(await readStatus(connection, dirs, systemctl)));
    },
  };
}
