import { join } from 'node:path';
import type { BuildOptions } from 'esbuild';

/**
 * esbuild options of the two bundles main owns, shared by `npm run build` and the bundle smoke
 * test (which builds the same bundle elsewhere and boots it against a fake `electron`).
 */

/** out/main/index.js: ESM for Electron's Node, native and on-demand modules left to node_modules. */
export function mainBundleOptions(
  root: string,
  outfile = join(root, 'out/main/index.js'),
): BuildOptions {
  return {
    entryPoints: [join(root, 'main/src/electron/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: ['electron', 'keytar', 'electron-updater'],
    // Bundled CommonJS dependencies call require() for Node built-ins; give the ESM bundle one.
    banner: {
      js: "import { createRequire as __linkboardCreateRequire } from 'node:module'; const require = __linkboardCreateRequire(import.meta.url);",
    },
    legalComments: 'linked',
    logLevel: 'warning',
  };
}

/** out/preload/index.cjs: ONE CommonJS file; a sandboxed preload may only require `electron`. */
export function preloadBundleOptions(
  root: string,
  outfile = join(root, 'out/preload/index.cjs'),
): BuildOptions {
  return {
    entryPoints: [join(root, 'preload/src/index.ts')],
    outfile,
    bundle: true,
    platform: 'browser',
    format: 'cjs',
    target: 'chrome140',
    external: ['electron'],
    metafile: true,
    logLevel: 'warning',
  };
}
