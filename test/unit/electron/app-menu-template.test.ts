import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { appMenuTemplate, PROJECT_URL } from '../../../src/main/electron/app-menu-template';

function roles(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => [
    ...(item.role ? [item.role] : []),
    ...(Array.isArray(item.submenu) ? roles(item.submenu) : []),
  ]);
}

const base = { appName: 'Hangar', openProjectPage: () => undefined, openLogsFolder: () => undefined };

describe('appMenuTemplate', () => {
  it('has the macOS app menu only on macOS', () => {
    const mac = appMenuTemplate({ ...base, isMac: true, isPackaged: true });
    const win = appMenuTemplate({ ...base, isMac: false, isPackaged: true });
    expect(mac[0]?.label).toBe('Hangar');
    expect(roles(mac)).toEqual(expect.arrayContaining(['about', 'services', 'hide', 'hideOthers', 'unhide', 'quit', 'front']));
    expect(win[0]?.label).toBe('File');
    expect(roles(win)).not.toContain('about');
    expect(roles(win)).not.toContain('front');
    expect(roles(win)).toContain('quit');
  });

  it('offers reload and DevTools only in unpackaged builds', () => {
    const dev = ['reload', 'forceReload', 'toggleDevTools'];
    for (const isMac of [true, false]) {
      expect(roles(appMenuTemplate({ ...base, isMac, isPackaged: false }))).toEqual(expect.arrayContaining(dev));
      const packaged = roles(appMenuTemplate({ ...base, isMac, isPackaged: true }));
      for (const role of dev) expect(packaged).not.toContain(role);
    }
  });

  it('has the standard edit and view roles', () => {
    expect(roles(appMenuTemplate({ ...base, isMac: false, isPackaged: true }))).toEqual(
      expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'pasteAndMatchStyle', 'delete', 'selectAll', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen', 'minimize', 'zoom', 'close']),
    );
  });

  it('opens the project page from Help', () => {
    const openProjectPage = vi.fn();
    const help = appMenuTemplate({ ...base, isMac: false, isPackaged: true, openProjectPage }).find((item) => item.role === 'help');
    const link = Array.isArray(help?.submenu) ? help.submenu.find((item) => item.label === 'Hangar on GitHub') : undefined;
    expect(link?.label).toBe('Hangar on GitHub');
    link?.click?.({} as never, undefined, {} as never);
    expect(openProjectPage).toHaveBeenCalledOnce();
    expect(PROJECT_URL).toMatch(/^https:\/\//);
  });

  it('opens the logs folder from Help', () => {
    const openLogsFolder = vi.fn();
    const help = appMenuTemplate({ ...base, isMac: true, isPackaged: true, openLogsFolder }).find((item) => item.role === 'help');
    const item = Array.isArray(help?.submenu) ? help.submenu.find((entry) => entry.label === 'Open logs folder') : undefined;
    item?.click?.({} as never, undefined, {} as never);
    expect(openLogsFolder).toHaveBeenCalledOnce();
  });
});
