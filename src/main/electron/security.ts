import { app, session, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { Logger } from '../services/logging/logger';
import { isTrustedUrl, type RendererLocation } from './is-trusted-url';
import { openInSystemBrowser } from './system-browser';

export interface ShellSecurity {
  /** Marks a window's contents as ours: only these may talk to main. */
  trust(contents: WebContents): void;
  /** The sender is the main frame of one of our windows, showing our renderer page. */
  isTrustedSender(event: IpcMainEvent | IpcMainInvokeEvent): boolean;
}

function isWebUrl(url: string): boolean {
  return url.startsWith('https://') || url.startsWith('http://');
}

/**
 * Electron's security checklist, applied once after `ready` and before the first window:
 * no navigation away from the app, no new windows, no webviews, checked IPC senders, and no permissions
 * but one: desktop notifications ("your upload finished" while the window is in the background), which
 * reveal nothing and reach no device, and only for the app's own page.
 */
export function installSecurity(options: { location: RendererLocation; logger: Logger }): ShellSecurity {
  const { location, logger } = options;
  const trusted = new WeakSet<WebContents>();

  const defaultSession = session.defaultSession;
  defaultSession.setPermissionRequestHandler((contents, permission, callback) => {
    const allowed = permission === 'notifications' && trusted.has(contents);
    if (!allowed) logger.debug('permission request denied', { permission });
    callback(allowed);
  });
  defaultSession.setPermissionCheckHandler((contents, permission) => permission === 'notifications' && contents !== null && trusted.has(contents));
  defaultSession.setDevicePermissionHandler(() => false);

  app.on('web-contents-created', (_event, contents) => {
    const refuse = (kind: string, url: string, preventDefault: () => void): void => {
      if (isTrustedUrl(location, url)) return;
      preventDefault();
      logger.warn(`blocked ${kind} away from the app`, { url: url.slice(0, 200) });
    };
    contents.on('will-navigate', (event) => refuse('navigation', event.url, () => event.preventDefault()));
    contents.on('will-frame-navigate', (event) => {
      if (!event.isMainFrame) refuse('frame navigation', event.url, () => event.preventDefault());
    });
    contents.on('will-redirect', (event) => refuse('redirect', event.url, () => event.preventDefault()));
    contents.on('will-attach-webview', (event) => {
      event.preventDefault();
      logger.warn('blocked a <webview>');
    });
    contents.setWindowOpenHandler(({ url, disposition }) => {
      // A web link opened as a new tab (target=_blank, middle-click) goes to the user's browser; pop-up windows never open.
      if (isWebUrl(url) && (disposition === 'foreground-tab' || disposition === 'background-tab')) {
        openInSystemBrowser(url).catch((error: unknown) => logger.warn('refused to open a link externally', error));
      } else {
        logger.warn('blocked a new window', { url: url.slice(0, 200), disposition });
      }
      return { action: 'deny' };
    });
  });

  return {
    trust(contents) {
      trusted.add(contents);
    },
    isTrustedSender(event) {
      if (!trusted.has(event.sender) || event.sender.isDestroyed()) return false;
      try {
        const frame = event.senderFrame;
        if (!frame || frame.detached || frame.parent !== null) return false;
        if (frame.frameTreeNodeId !== event.sender.mainFrame.frameTreeNodeId) return false;
        return isTrustedUrl(location, frame.url);
      } catch {
        // A frame disposed while its message was in flight throws on access: it is not trusted.
        return false;
      }
    },
  };
}
