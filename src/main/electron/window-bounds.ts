import type { WindowState } from '../../shared/models/settings';

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

export const DEFAULT_WINDOW_SIZE: Size = { width: 1280, height: 820 };
export const MIN_WINDOW_SIZE: Size = { width: 720, height: 480 };

/** The smallest geometry the settings schema accepts (windowStateSchema). */
const MIN_STORED: Size = { width: 400, height: 300 };
const MAX_STORED = 20000;

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), Math.max(min, max));
}

/**
 * Where to open the window: the saved size and position, fitted into `workArea` (the display that best
 * matches the saved bounds, or the primary one). A window saved on a monitor that is gone, or partly off
 * the edge, comes back fully on screen; one too big for this display shrinks to fit; one with no saved
 * position is centred.
 */
export function fitWindowBounds(saved: Partial<Pick<Rect, 'x' | 'y'>> & Size | undefined, workArea: Rect): Rect {
  const wanted = saved ?? DEFAULT_WINDOW_SIZE;
  const width = Math.round(clamp(wanted.width, Math.min(MIN_WINDOW_SIZE.width, workArea.width), workArea.width));
  const height = Math.round(clamp(wanted.height, Math.min(MIN_WINDOW_SIZE.height, workArea.height), workArea.height));
  const maxX = workArea.x + workArea.width - width;
  const maxY = workArea.y + workArea.height - height;
  const x = saved?.x === undefined ? workArea.x + Math.floor((workArea.width - width) / 2) : clamp(Math.round(saved.x), workArea.x, maxX);
  const y = saved?.y === undefined ? workArea.y + Math.floor((workArea.height - height) / 2) : clamp(Math.round(saved.y), workArea.y, maxY);
  return { x, y, width, height };
}

/** The rectangle to ask the OS which display a saved window belongs on; undefined without a position. */
export function savedRect(saved: WindowState | undefined): Rect | undefined {
  if (!saved || saved.x === undefined || saved.y === undefined) return undefined;
  return { x: saved.x, y: saved.y, width: saved.width, height: saved.height };
}

/** The window's normal (un-maximised) bounds as the settings schema stores them. */
export function toWindowState(normalBounds: Rect, maximized: boolean): WindowState {
  return {
    x: Math.round(normalBounds.x),
    y: Math.round(normalBounds.y),
    width: Math.round(clamp(normalBounds.width, MIN_STORED.width, MAX_STORED)),
    height: Math.round(clamp(normalBounds.height, MIN_STORED.height, MAX_STORED)),
    maximized,
  };
}
