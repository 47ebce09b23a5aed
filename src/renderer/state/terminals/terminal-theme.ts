import type { ITheme } from '@xterm/xterm';

/** The terminal's colours per app theme; ANSI palettes picked to stay readable on each background. */
const LIGHT: ITheme = {
  background: '#fbfbfc',
  foreground: '#1a1d21',
  cursor: '#1f5fd1',
  cursorAccent: '#ffffff',
  selectionBackground: '#c6d8ff',
  selectionForeground: '#1a1d21',
  selectionInactiveBackground: '#e3ebfb',
  black: '#1a1d21',
  red: '#c22b2b',
  green: '#1a7f37',
  yellow: '#9a6700',
  blue: '#1f5fd1',
  magenta: '#8e3fbf',
  cyan: '#0f7b8a',
  white: '#6e7681',
  brightBlack: '#545b66',
  brightRed: '#d73a3a',
  brightGreen: '#2a9147',
  brightYellow: '#b07800',
  brightBlue: '#3574e0',
  brightMagenta: '#a04fd1',
  brightCyan: '#138c9c',
  brightWhite: '#8a929e',
};

const DARK: ITheme = {
  background: '#141619',
  foreground: '#e7e9ec',
  cursor: '#8ab4ff',
  cursorAccent: '#141619',
  selectionBackground: '#2f4a78',
  selectionForeground: '#ffffff',
  selectionInactiveBackground: '#243149',
  black: '#23262b',
  red: '#ff7b72',
  green: '#4ac26b',
  yellow: '#d29922',
  blue: '#6ea2ff',
  magenta: '#d2a8ff',
  cyan: '#56d4dd',
  white: '#c9ced6',
  brightBlack: '#6b7380',
  brightRed: '#ffa198',
  brightGreen: '#6fdd8b',
  brightYellow: '#e3b341',
  brightBlue: '#a5c8ff',
  brightMagenta: '#e2c5ff',
  brightCyan: '#8ce4ea',
  brightWhite: '#ffffff',
};

/** The theme in effect: <html data-theme> always holds light | dark (see app/theme.ts). */
export function terminalTheme(): ITheme {
  return document.documentElement.dataset.theme === 'dark' ? DARK : LIGHT;
}

/** Calls back when the app theme flips. */
export function onThemeChange(listener: () => void): () => void {
  const observer = new MutationObserver(listener);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => observer.disconnect();
}
