import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { encodeIcns, ICNS_TYPES } from './icns-file.js';
import { encodeIco } from './ico-file.js';
import { renderPng } from './render-png.js';

/** Linux hicolor sizes; electron-builder takes `build/icons/NxN.png` (linux.icon: build/icons). */
export const LINUX_ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
/** Sizes Windows picks from for the taskbar, Explorer views, the installer and shortcuts. */
export const WINDOWS_ICON_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;

/** Relative path → content of every generated icon file, from the one SVG. */
export function generateIconFiles(svg: string): Map<string, Buffer> {
  const cache = new Map<number, Buffer>();
  const png = (size: number) => {
    let rendered = cache.get(size);
    if (!rendered) {
      rendered = renderPng(svg, size);
      cache.set(size, rendered);
    }
    return rendered;
  };
  const files = new Map<string, Buffer>();
  for (const size of LINUX_ICON_SIZES) files.set(`icons/${size}x${size}.png`, png(size));
  files.set('icon.ico', encodeIco(WINDOWS_ICON_SIZES.map((size) => ({ size, png: png(size) }))));
  files.set(
    'icon.icns',
    encodeIcns(ICNS_TYPES.map(({ type, pixels }) => ({ type, png: png(pixels) }))),
  );
  return files;
}

/** Renders build/icon.svg into `outputDir` (build/ itself by default). Returns the files written. */
export async function writeIconFiles(buildDir: string, outputDir = buildDir): Promise<string[]> {
  const svg = await readFile(path.join(buildDir, 'icon.svg'), 'utf8');
  const written: string[] = [];
  for (const [relative, content] of generateIconFiles(svg)) {
    const target = path.join(outputDir, relative);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
    written.push(relative);
  }
  return written;
}
