/**
 * Desktop notifications through the page's Notification API (in Electron the shell grants it to Hangar's own
 * window only; elsewhere it is whatever the browser allows). Where they are refused, nothing is shown and the
 * app's own banners still say it.
 */
export interface DesktopNotice {
  readonly title: string;
  readonly body: string;
  /** The same tag replaces an earlier notification instead of stacking (one per instance and event). */
  readonly tag: string;
  /** Clicking the notification: the window is brought to the front first. */
  readonly onClick?: () => void;
}

function supported(): boolean {
  return typeof Notification !== 'undefined';
}

/** Asks once, from something the user did (turning a reminder on), never out of nowhere at start-up. */
export function askNotificationPermission(): void {
  if (!supported() || Notification.permission !== 'default') return;
  void Notification.requestPermission().catch(() => undefined);
}

/** Shows the notice when allowed; true when it was handed to the system. */
export function notifyDesktop(notice: DesktopNotice): boolean {
  if (!supported() || Notification.permission !== 'granted') return false;
  try {
    const notification = new Notification(notice.title, { body: notice.body, tag: notice.tag });
    notification.onclick = () => {
      window.focus();
      notification.close();
      notice.onClick?.();
    };
    return true;
  } catch {
    // Some platforms refuse notifications from a page even with permission.
    return false;
  }
}
