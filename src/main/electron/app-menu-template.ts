import type { MenuItemConstructorOptions } from 'electron';

export const PROJECT_URL = 'https://github.com/hangar-app/hangar';

export interface AppMenuOptions {
  readonly appName: string;
  readonly isMac: boolean;
  /** Reload and DevTools are for development builds only: a packaged app has nothing to debug there. */
  readonly isPackaged: boolean;
  openProjectPage(): void;
  /** Help → Open logs folder: where a user finds the (redacted) log to send with a report. */
  openLogsFolder(): void;
}

/** The application menu, built from standard roles so the OS supplies labels, shortcuts and behaviour. */
export function appMenuTemplate(options: AppMenuOptions): MenuItemConstructorOptions[] {
  const { isMac } = options;
  const separator: MenuItemConstructorOptions = { type: 'separator' };

  const appMenu: MenuItemConstructorOptions[] = isMac
    ? [
        {
          label: options.appName,
          submenu: [
            { role: 'about' },
            separator,
            { role: 'services' },
            separator,
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            separator,
            { role: 'quit' },
          ],
        },
      ]
    : [];

  const developer: MenuItemConstructorOptions[] = options.isPackaged
    ? []
    : [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, separator];

  return [
    ...appMenu,
    { label: 'File', submenu: [isMac ? { role: 'close' } : { role: 'quit' }] },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        separator,
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'pasteAndMatchStyle' },
        { role: 'delete' },
        separator,
        { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [
        ...developer,
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        separator,
        { role: 'togglefullscreen' },
      ],
    },
    {
      role: 'window',
      submenu: [
        { role: 'minimize' },
        { role: 'zoom' },
        ...(isMac ? [separator, { role: 'front' } as const, separator, { role: 'window' } as const] : [{ role: 'close' } as const]),
      ],
    },
    {
      role: 'help',
      submenu: [
        { label: 'Open logs folder', click: () => options.openLogsFolder() },
        separator,
        { label: `${options.appName} on GitHub`, click: () => options.openProjectPage() },
      ],
    },
  ];
}
