import { useEffect, useEffectEvent } from 'react';

/**
 * F5 and Ctrl+R (⌘R) refresh the instance list instead of reloading the window, while the dashboard
 * is on screen. A modal dialog owns the keyboard until it closes.
 */
export function useRefreshShortcut(onRefresh: () => void): void {
  const refresh = useEffectEvent(onRefresh);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      const isF5 = event.key === 'F5' && !event.altKey;
      const isCtrlR = (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && (event.code === 'KeyR' || event.key.toLowerCase() === 'r');
      if (!isF5 && !isCtrlR) return;
      if (event.target instanceof Element && event.target.closest('dialog[open]')) return;
      event.preventDefault();
      if (!event.repeat) refresh();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
