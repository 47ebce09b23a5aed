import { app, BrowserWindow, nativeTheme, screen } from 'electron';
import type { Logger } from '../services/logging/logger';
import type { SettingsStore } from '../services/settings/settings-store';
import type { RendererLocation } from './is-trusted-url';
import { fitWindowBounds, MIN_WINDOW_SIZE, savedRect, toWindowState } from './window-bounds';

export interface MainWindowOptions {
  location: RendererLocation;
  /** Absolute path of out/preload/index.cjs. */
  preloadPath: string;
  settings: SettingsStore;
  logger: Logger;
  /** Called with the new window's contents before anything loads into it. */
  beforeLoad(window: BrowserWindow): void;
}

/** Matches the renderer's page background, so the window never flashes the wrong colour while it loads. */
const BACKGROUND = { dark: '#14161a', light: '#f7f8fa' } as const;
const SAVE_DELAY_MS = 500;

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const { location, logger, settings } = options;
  const saved = settings.get().window;
  const near = savedRect(saved);
  const display = near ? screen.getDisplayMatching(near) : screen.getPrimaryDisplay();
  const bounds = fitWindowBounds(saved, display.workArea);

  const win = new BrowserWindow({
    ...bounds,
    minWidth: Math.min(MIN_WINDOW_SIZE.width, display.workArea.width),
    minHeight: Math.min(MIN_WINDOW_SIZE.height, display.workArea.height),
    show: false,
    title: 'Hangar',
    backgroundColor: nativeTheme.shouldUseDarkColors ? BACKGROUND.dark : BACKGROUND.light,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: !app.isPackaged,
    },
  });

  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  const saveNow = (): void => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = undefined;
    if (win.isDestroyed() || win.isMinimized() || win.isFullScreen()) return;
    try {
      settings.setWindowState(toWindowState(win.getNormalBounds(), win.isMaximized()));
    } catch (error) {
      logger.warn('could not save the window position', error);
    }
  };
  const saveSoon = (): void => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = setTimeout(saveNow, SAVE_DELAY_MS);
  };
  win.on('move', saveSoon);
  win.on('resize', saveSoon);
  win.on('maximize', saveSoon);
  win.on('unmaximize', saveSoon);
  win.on('close', saveNow);

  const updateBackground = (): void => {
    if (!win.isDestroyed()) win.setBackgroundColor(nativeTheme.shouldUseDarkColors ? BACKGROUND.dark : BACKGROUND.light);
  };
  nativeTheme.on('updated', updateBackground);
  win.on('closed', () => nativeTheme.off('updated', updateBackground));

  win.once('ready-to-show', () => {
    if (saved?.maximized) win.maximize();
    win.show();
  });
  win.webContents.on('did-fail-load', (_event, code, description, url, isMainFrame) => {
    if (isMainFrame) logger.error('the window could not load the app', { code, description, url: url.slice(0, 200) });
  });
  win.webContents.on('render-process-gone', (_event, details) => {
    logger.error('the window renderer stopped', { reason: details.reason, exitCode: details.exitCode });
  });

  options.beforeLoad(win);
  const loading = location.kind === 'dev' ? win.loadURL(location.url) : win.loadFile(location.indexPath);
  loading.catch((error: unknown) => logger.error('the window could not load the app', error));
  return win;
}
