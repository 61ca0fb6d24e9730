import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  generateIconFiles,
  LINUX_ICON_SIZES,
  WINDOWS_ICON_SIZES,
} from '../tools/icons/generate-icons.js';
import { decodeIcns, ICNS_TYPES } from '../tools/icons/icns-file.js';
import { decodeIco } from '../tools/icons/ico-file.js';
import { pngSize } from '../tools/icons/render-png.js';
import { projectRoot } from './project-root.js';

const buildDir = path.join(projectRoot, 'build');

describe('icons', () => {
  it('the committed icon files are exactly what `npm run icons` renders from build/icon.svg', async () => {
    const generated = generateIconFiles(await readFile(path.join(buildDir, 'icon.svg'), 'utf8'));
    const committedLinux = (await readdir(path.join(buildDir, 'icons'))).map(
      (name) => `icons/${name}`,
    );
    expect([...generated.keys()].filter((file) => file.startsWith('icons/')).sort()).toEqual(
      committedLinux.sort(),
    );
    for (const [relative, content] of generated) {
      const committed = await readFile(path.join(buildDir, relative));
      expect(committed.equals(content), `${relative} is stale: run npm run icons`).toBe(true);
    }
  });

  it('has a square PNG per Linux size, named by its size', async () => {
    for (const size of LINUX_ICON_SIZES) {
      const png = await readFile(path.join(buildDir, `icons/${size}x${size}.png`));
      expect(pngSize(png)).toEqual({ width: size, height: size });
    }
  });

  it('has an ICO with every Windows size, each a PNG of that size', async () => {
    const images = decodeIco(await readFile(path.join(buildDir, 'icon.ico')));
    expect(images.map((image) => image.size)).toEqual([...WINDOWS_ICON_SIZES]);
    for (const image of images) {
      expect(pngSize(image.png)).toEqual({ width: image.size, height: image.size });
    }
  });

  it('has an ICNS with every macOS type up to 1024 px, each a PNG of its size', async () => {
    const elements = decodeIcns(await readFile(path.join(buildDir, 'icon.icns')));
    expect(elements.map((element) => element.type)).toEqual(ICNS_TYPES.map(({ type }) => type));
    for (const [index, element] of elements.entries()) {
      const pixels = ICNS_TYPES[index]!.pixels;
      expect(pngSize(element.png)).toEqual({ width: pixels, height: pixels });
    }
  });
});
