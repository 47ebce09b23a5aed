import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, nativeTheme, session } from 'electron';
import { createAppDispatcher } from '../ipc/app-dispatcher';
import { pickFilesWithDialog, pickSaveFileWithDialog } from './file-picker';
import { createAppServices } from '../services/create-app-services';
import { createFileLogSink, teeSinks } from '../services/logging/file-log-sink';
import { createLogger } from '../services/logging/logger';
import { createKeytarSecretStore } from '../services/secrets/keytar-secret-store';
import { installAppMenu } from './app-menu';
import { startAutoUpdates } from './auto-update';
import { createSettingsFileBackend } from '../services/settings/settings-file-backend';
import { registerIpcAdapter } from './ipc-adapter';
import { resolveRendererLocation } from './is-trusted-url';
import { createMainWindow } from './main-window';
import { installSecurity } from './security';
import { openInSystemBrowser } from './system-browser';
import { openWithSystem } from './open-path';

export const APP_USER_MODEL_ID = 'dev.hangar.app';
const QUIT_PATIENCE_MS = 5000;

/**
 * The desktop shell: the same services and dispatcher as the web harness (src/main/bridge/web-harness.ts),
 * carried over ipcMain instead of a WebSocket, with one hardened window.
 */
export function startElectronShell(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.setAppUserModelId(APP_USER_MODEL_ID);
  // Every renderer sandboxed, whatever a BrowserWindow's options say.
  app.enableSandbox();

  // A double-clicked app has no terminal: the log goes to a rotated file in the OS's logs folder
  // (Help → Open logs folder), and to stderr for developers.
  const logsDir = app.getPath('logs');
  const toStderr = (line: string): void => void process.stderr.write(`${line}\n`);
  const logger = createLogger({
    level: app.isPackaged ? 'info' : 'debug',
    sink: teeSinks(createFileLogSink({ dir: logsDir, fallback: toStderr }), toStderr),
  });
  // Bundled as out/main/index.js; the preload and renderer are its siblings in out/.
  const outDir = join(import.meta.dirname, '..');
  const location = resolveRendererLocation({
    devUrl: process.env.ELECTRON_RENDERER_URL,
    isPackaged: app.isPackaged,
    indexPath: join(outDir, 'renderer', 'index.html'),
    platform: process.platform,
  });

  let mainWindow: BrowserWindow | undefined;

  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app
    .whenReady()
    .then(() => {
      const services = createAppServices({
        info: { name: 'Hangar', version: app.getVersion(), shell: 'electron', platform: process.platform },
        logger,
        settingsBackend: createSettingsFileBackend(app.getPath('userData')),
        secrets: createKeytarSecretStore({ service: 'Hangar' }),
        openExternal: openInSystemBrowser,
        openPath: openWithSystem,
        // Chromium knows the OS proxy settings, PAC files and WPAD: SSH routes set to "system" ask it.
        resolveProxy: (url) => session.defaultSession.resolveProxy(url),
        pickFiles: pickFilesWithDialog,
        pickSaveFile: pickSaveFileWithDialog,
      });
      const { dispatcher, dispose } = createAppDispatcher(services);
      const security = installSecurity({ location, logger });
      const stopIpc = registerIpcAdapter({
        ipcMain,
        dispatcher,
        isTrustedSender: (event) => security.isTrustedSender(event),
        grantDropped: (paths) => services.grants.grantDropped(paths),
        logger,
      });
      installAppMenu(logger, logsDir);
      startAutoUpdates({ isPackaged: app.isPackaged, enabled: process.env.HANGAR_NO_AUTO_UPDATE !== '1', logger });

      // The theme preference drives native chrome, scrollbars and prefers-color-scheme alike.
      nativeTheme.themeSource = services.settings.get().appearance.theme;
      const stopTheme = services.settings.onChange((settings) => {
        nativeTheme.themeSource = settings.appearance.theme;
      });

      const openWindow = (): void => {
        mainWindow = createMainWindow({
          location,
          preloadPath: join(outDir, 'preload', 'index.cjs'),
          settings: services.settings,
          logger,
          beforeLoad: (win) => security.trust(win.webContents),
        });
        mainWindow.on('closed', () => {
          mainWindow = undefined;
        });
      };

      app.on('activate', () => {
        if (BrowserWindow.getAllWindows().length === 0) openWindow();
      });
      // Quitting waits once for the services to stop: running transfers unwind and the queue's last save
      // lands on disk, so the next start resumes exactly where this one stopped.
      let disposing: Promise<void> | undefined;
      app.on('will-quit', (event) => {
        if (disposing !== undefined) return;
        event.preventDefault();
        stopTheme();
        stopIpc();
        dispose();
        // A stuck remote call must not keep Hangar from quitting: after a few seconds it goes anyway.
        const patience = new Promise<void>((resolve) => setTimeout(resolve, QUIT_PATIENCE_MS).unref());
        disposing = Promise.race([services.dispose(), patience])
          .catch((error: unknown) => logger.error('services did not stop cleanly', error))
          .finally(() => app.quit());
      });
      openWindow();
    })
    .catch((error: unknown) => {
      logger.error('Hangar could not start', error);
      app.exit(1);
    });
}
