import electronUpdater from 'electron-updater';
import type { Logger } from '../services/logging/logger';

export interface AutoUpdateOptions {
  /** Only packaged builds update themselves; a development build has no release to compare with. */
  isPackaged: boolean;
  /** The user's switch (off: never checked, never downloaded). */
  enabled: boolean;
  logger: Logger;
}

/**
 * Updates from the project's GitHub releases (electron-builder's `publish` block): checked once on start,
 * downloaded in the background, installed when the app quits — never a restart in the middle of a
 * transfer or a terminal session.
 */
export function startAutoUpdates(options: AutoUpdateOptions): void {
  const { logger } = options;
  if (!options.isPackaged) {
    logger.info('updates: not checked in a development build');
    return;
  }
  if (!options.enabled) {
    logger.info('updates: turned off by the user');
    return;
  }
  const { autoUpdater } = electronUpdater;
  autoUpdater.logger = {
    info: (message?: unknown) => logger.info(`updates: ${String(message)}`),
    warn: (message?: unknown) => logger.warn(`updates: ${String(message)}`),
    error: (message?: unknown) => logger.error(`updates: ${String(message)}`),
    debug: (message: string) => logger.debug(`updates: ${message}`),
  };
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.on('update-downloaded', (info) => logger.info('updates: downloaded, installs on quit', { version: info.version }));
  autoUpdater.checkForUpdates().catch((error: unknown) => logger.warn('updates: the check failed', error));
}
