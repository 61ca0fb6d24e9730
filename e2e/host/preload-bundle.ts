import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const shimPath = fileURLToPath(new URL('./electron-shim.ts', import.meta.url));

/** Resolves `import … from 'electron'` to the host's shim; nothing else of Electron is bundled. */
const electronShim: Plugin = {
  name: 'electron-shim',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^electron(\/.*)?$/ }, (args) => {
      if (args.path !== 'electron' && args.path !== 'electron/renderer') {
        return { errors: [{ text: `The Chromium host has no shim for "${args.path}"` }] };
      }
      return { path: shimPath };
    });
  },
};

/**
 * Bundles a preload source (the real `preload/src/index.ts` in the journeys) into one script that
 * `page.addInitScript` runs in every frame before the page's own scripts, like Electron runs a
 * preload before the page.
 */
export async function bundlePreload(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    plugins: [electronShim],
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error(`esbuild produced no output for ${entry}`);
  return output.text;
}
