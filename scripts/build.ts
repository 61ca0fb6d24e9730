/**
 * `npm run build`: the three bundles the app runs from, in out/.
 * - out/renderer: the React renderer (`vite build -c renderer/vite.config.ts`);
 * - out/main/index.js: the main process, ESM for Node, with `electron`, `keytar` (native) and
 *   `electron-updater` (loaded on demand) left to node_modules;
 * - out/preload/index.cjs: the preload, ONE CommonJS file: a sandboxed preload can `require`
 *   nothing but `electron` and a few Node shims.
 * Nothing from the environment is baked in (no `define` of env values): the renderer gets its
 * public configuration at run time through `app:info`. `npm run check:bundles` verifies that.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { mainBundleOptions, preloadBundleOptions } from '../main/bundle-options.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function step(name: string): void {
  console.log(`build: ${name}`);
}

step('renderer (vite)');
const vite = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules/vite/bin/vite.js'),
    'build',
    '-c',
    'renderer/vite.config.ts',
    '--logLevel',
    'warn',
  ],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
if (vite.status !== 0) {
  console.error('build: the renderer build failed');
  process.exit(vite.status ?? 1);
}

rmSync(join(root, 'out/main'), { recursive: true, force: true });
rmSync(join(root, 'out/preload'), { recursive: true, force: true });

step('main (esbuild)');
await build(mainBundleOptions(root));

step('preload (esbuild, one CommonJS file)');
const preload = await build({ ...preloadBundleOptions(root), metafile: true });
// A sandboxed preload that requires anything but `electron` fails at run time, in the window only.
const preloadImports = Object.values(preload.metafile.outputs).flatMap((output) =>
  output.imports.map((entry) => entry.path),
);
const foreign = preloadImports.filter((path) => path !== 'electron');
if (foreign.length > 0) {
  console.error(
    `build: the preload bundle requires ${foreign.join(', ')}; a sandboxed preload may only require electron`,
  );
  process.exit(1);
}

step('done: out/main/index.js, out/preload/index.cjs, out/renderer/');
