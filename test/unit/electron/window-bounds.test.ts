import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WINDOW_SIZE,
  fitWindowBounds,
  MIN_WINDOW_SIZE,
  savedRect,
  toWindowState,
} from '../../../src/main/electron/window-bounds';
import { windowStateSchema } from '../../../src/shared/models/settings';

const laptop = { x: 0, y: 25, width: 1440, height: 875 };
const secondScreen = { x: 1440, y: 0, width: 2560, height: 1440 };

describe('fitWindowBounds', () => {
  it('centres the default size when nothing was saved', () => {
    expect(fitWindowBounds(undefined, laptop)).toEqual({
      x: Math.floor((1440 - DEFAULT_WINDOW_SIZE.width) / 2),
      y: 25 + Math.floor((875 - DEFAULT_WINDOW_SIZE.height) / 2),
      ...DEFAULT_WINDOW_SIZE,
    });
  });

  it('keeps saved bounds that fit', () => {
    expect(fitWindowBounds({ x: 1600, y: 100, width: 1200, height: 900 }, secondScreen)).toEqual({ x: 1600, y: 100, width: 1200, height: 900 });
  });

  it('moves off-screen saved bounds back on screen', () => {
    // Saved on a second monitor that is no longer attached; the OS matched it to the laptop.
    expect(fitWindowBounds({ x: 3000, y: 600, width: 1200, height: 800 }, laptop)).toEqual({ x: 240, y: 100, width: 1200, height: 800 });
    expect(fitWindowBounds({ x: -5000, y: -300, width: 1000, height: 700 }, laptop)).toEqual({ x: 0, y: 25, width: 1000, height: 700 });
  });

  it('pulls a window hanging over an edge fully inside the work area', () => {
    expect(fitWindowBounds({ x: 1000, y: 700, width: 800, height: 600 }, laptop)).toEqual({ x: 640, y: 300, width: 800, height: 600 });
  });

  it('never puts the title bar under the menu bar', () => {
    expect(fitWindowBounds({ x: 100, y: 0, width: 800, height: 600 }, laptop).y).toBe(25);
  });

  it('shrinks a window too big for the display', () => {
    expect(fitWindowBounds({ x: 1440, y: 0, width: 2560, height: 1440 }, laptop)).toEqual(laptop);
  });

  it('grows a window below the minimum size, unless the display is smaller still', () => {
    expect(fitWindowBounds({ x: 10, y: 30, width: 100, height: 100 }, laptop)).toMatchObject(MIN_WINDOW_SIZE);
    const tiny = { x: 0, y: 0, width: 640, height: 400 };
    expect(fitWindowBounds({ x: 10, y: 30, width: 100, height: 100 }, tiny)).toEqual(tiny);
  });

  it('centres saved sizes without a position', () => {
    expect(fitWindowBounds({ width: 1000, height: 600 }, secondScreen)).toEqual({ x: 1440 + 780, y: 420, width: 1000, height: 600 });
  });
});

describe('savedRect', () => {
  it('only gives a rectangle for a saved position', () => {
    expect(savedRect(undefined)).toBeUndefined();
    expect(savedRect({ width: 800, height: 600, maximized: false })).toBeUndefined();
    expect(savedRect({ x: 5, y: 6, width: 800, height: 600, maximized: true })).toEqual({ x: 5, y: 6, width: 800, height: 600 });
  });
});

describe('toWindowState', () => {
  it('stores whole pixels the settings schema accepts', () => {
    const state = toWindowState({ x: 10.6, y: -20.2, width: 1200.4, height: 799.5 }, true);
    expect(state).toEqual({ x: 11, y: -20, width: 1200, height: 800, maximized: true });
    expect(windowStateSchema.safeParse(state).success).toBe(true);
  });

  it('clamps sizes the schema would refuse', () => {
    const state = toWindowState({ x: 0, y: 0, width: 120, height: 90000 }, false);
    expect(state).toMatchObject({ width: 400, height: 20000 });
    expect(windowStateSchema.safeParse(state).success).toBe(true);
  });
});
