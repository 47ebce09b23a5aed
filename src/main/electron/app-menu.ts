import { app, Menu, shell } from 'electron';
import type { Logger } from '../services/logging/logger';
import { appMenuTemplate, PROJECT_URL } from './app-menu-template';
import { openInSystemBrowser } from './system-browser';

export function installAppMenu(logger: Logger, logsDir: string): void {
  const template = appMenuTemplate({
    appName: app.name,
    isMac: process.platform === 'darwin',
    isPackaged: app.isPackaged,
    openProjectPage: () => {
      openInSystemBrowser(PROJECT_URL).catch((error: unknown) => logger.warn('could not open the project page', error));
    },
    openLogsFolder: () => {
      shell.openPath(logsDir).then(
        (problem) => {
          if (problem) logger.warn('could not open the logs folder', { problem });
        },
        (error: unknown) => logger.warn('could not open the logs folder', error),
      );
    },
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
