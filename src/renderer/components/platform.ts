/** macOS shows ⌘ and listens to Meta; everything else shows Ctrl. Only used for labels. */
export const IS_MAC = /Mac|iPhone|iPad/.test(navigator.userAgent);

export function shortcutLabel(digit: number): string {
  return IS_MAC ? `⌘${digit}` : `Ctrl+${digit}`;
}

/** The aria-keyshortcuts value for a Ctrl/Cmd+digit shortcut. */
export function ariaShortcut(digit: number): string {
  return IS_MAC ? `Meta+${digit}` : `Control+${digit}`;
}
