import { z } from 'zod';

export interface WindowBounds {
  width: number;
  height: number;
  x?: number;
  y?: number;
}

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where the window's size and position are kept between runs (a small electron-store file). */
export interface WindowBoundsStore {
  load(): unknown;
  save(bounds: Rectangle): void;
}

export const DEFAULT_BOUNDS: WindowBounds = { width: 1100, height: 760 };
const MIN = { width: 640, height: 480 };

const SavedBounds = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});

function overlap(a: Rectangle, b: Rectangle): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return width > 0 && height > 0 ? width * height : 0;
}

/**
 * The bounds to open the window with: the saved ones when they are sane and still mostly on a
 * screen (a monitor may have been unplugged), else the saved size centred by the OS, else the
 * default.
 */
export function restoreBounds(saved: unknown, workAreas: readonly Rectangle[]): WindowBounds {
  const parsed = SavedBounds.safeParse(saved);
  if (!parsed.success || workAreas.length === 0) return { ...DEFAULT_BOUNDS };
  const largest = workAreas.reduce((a, b) => (a.width * a.height >= b.width * b.height ? a : b));
  const width = Math.max(MIN.width, Math.min(parsed.data.width, largest.width));
  const height = Math.max(MIN.height, Math.min(parsed.data.height, largest.height));
  const window = { x: parsed.data.x, y: parsed.data.y, width, height };
  const visible = workAreas.some((area) => overlap(window, area) >= (width * height) / 2);
  return visible ? window : { width, height };
}
