import { app, Menu } from 'electron';
import type { Logger } from '../services/logging/logger';
import { appMenuTemplate, PROJECT_URL } from './app-menu-template';
import { openInSystemBrowser } from './system-browser';

export function installAppMenu(logger: Logger): void {
  const template = appMenuTemplate({
    appName: app.name,
    isMac: process.platform === 'darwin',
    isPackaged: app.isPackaged,
    openProjectPage: () => {
      openInSystemBrowser(PROJECT_URL).catch((error: unknown) => logger.warn('could not open the project page', error));
    },
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
