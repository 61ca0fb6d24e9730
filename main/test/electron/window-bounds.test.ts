import { describe, expect, it } from 'vitest';
import { DEFAULT_BOUNDS, restoreBounds } from '../../src/electron/window-bounds.js';

const screen = { x: 0, y: 0, width: 1920, height: 1080 };

describe('restoreBounds', () => {
  it('restores saved bounds that are on a screen', () => {
    expect(restoreBounds({ x: 100, y: 50, width: 1200, height: 800 }, [screen])).toEqual({
      x: 100,
      y: 50,
      width: 1200,
      height: 800,
    });
  });
  it('drops the position of a window left on an unplugged monitor, keeping its size', () => {
    expect(restoreBounds({ x: 2500, y: 50, width: 1200, height: 800 }, [screen])).toEqual({
      width: 1200,
      height: 800,
    });
  });
  it('clamps sizes to the screen and the minimum', () => {
    expect(restoreBounds({ x: 0, y: 0, width: 5000, height: 100 }, [screen])).toEqual({
      x: 0,
      y: 0,
      width: 1920,
      height: 480,
    });
  });
  it('falls back to the default for anything else', () => {
    for (const saved of [
      undefined,
      null,
      'big',
      { width: -1, height: 2, x: 0, y: 0 },
      { width: 1.5, height: 2, x: 0, y: 0 },
    ]) {
      expect(restoreBounds(saved, [screen])).toEqual(DEFAULT_BOUNDS);
    }
  });
});
