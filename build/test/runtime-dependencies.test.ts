import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { mainBundleOptions, preloadBundleOptions } from '../../main/bundle-options.js';
import {
  bundlePackages,
  packageNameOf,
  runtimeDependencyProblems,
  type BundlePackages,
} from '../tools/runtime-dependencies.js';
import { projectRoot } from './project-root.js';

// electron-builder installs the root `dependencies` into the packaged app; the bundles carry the
// rest. These tests build the main and preload bundles exactly as `npm run build` does (in memory)
// and compare what they import and contain with package.json.

async function metafileOf(options: ReturnType<typeof mainBundleOptions>): Promise<Metafile> {
  const result = await build({ ...options, metafile: true, write: false, logLevel: 'silent' });
  return result.metafile;
}

let main: BundlePackages;
let preload: BundlePackages;
let dependencies: Record<string, string>;

beforeAll(async () => {
  const out = path.join(projectRoot, 'out', '.dependency-check');
  main = bundlePackages(await metafileOf(mainBundleOptions(projectRoot, `${out}/main/index.js`)));
  preload = bundlePackages(
    await metafileOf(preloadBundleOptions(projectRoot, `${out}/preload/index.cjs`)),
  );
  const manifest = JSON.parse(await readFile(path.join(projectRoot, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  dependencies = manifest.dependencies ?? {};
}, 60_000);

describe('packaged node_modules', () => {
  it('holds exactly the packages the main bundle leaves external and imports at run time', () => {
    expect(runtimeDependencyProblems([main, preload], dependencies)).toEqual([]);
    // What the main bundle is built to leave out (main/bundle-options.ts), seen in its imports.
    expect(main.external).toEqual(['electron', 'electron-updater', 'keytar']);
    expect(preload.external).toEqual(['electron']);
    expect(Object.keys(dependencies).sort()).toEqual(['electron-updater', 'keytar']);
  });

  it('has no bundled package in dependencies', () => {
    // The main bundle really contains its libraries (so they need not ship in node_modules).
    expect(main.bundled).toEqual(
      expect.arrayContaining(['axios', 'conf', 'electron-store', 'zod']),
    );
    const declared = Object.keys(dependencies);
    expect(declared.filter((name) => main.bundled.includes(name))).toEqual([]);
    expect(declared.filter((name) => preload.bundled.includes(name))).toEqual([]);
  });
});

describe('runtimeDependencyProblems', () => {
  const bundles: BundlePackages[] = [
    { external: ['electron', 'keytar', 'electron-updater'], bundled: ['axios', 'zod'] },
    { external: ['electron'], bundled: [] },
  ];

  it('accepts dependencies that are exactly the externals', () => {
    expect(
      runtimeDependencyProblems(bundles, { keytar: '7.9.0', 'electron-updater': '6.8.10' }),
    ).toEqual([]);
  });

  it('names an external import missing from dependencies', () => {
    expect(runtimeDependencyProblems(bundles, { keytar: '7.9.0' })).toEqual([
      'electron-updater is imported by a bundle as external but is not in dependencies',
    ]);
  });

  it('names a bundled package, electron, and an unused package in dependencies', () => {
    expect(
      runtimeDependencyProblems(bundles, {
        keytar: '7.9.0',
        'electron-updater': '6.8.10',
        axios: '1.21.1',
        electron: '45.5.0',
        react: '19.3.1',
      }),
    ).toEqual([
      'axios is bundled, so it belongs in devDependencies, not dependencies',
      'electron is provided by the Electron runtime and must not be in dependencies',
      'react is in dependencies but no bundle imports it at run time',
    ]);
  });

  it('reads package names from import paths and node_modules inputs', () => {
    expect(packageNameOf('@auth0/auth0-spa-js/dist/x.js')).toBe('@auth0/auth0-spa-js');
    expect(packageNameOf('conf/source')).toBe('conf');
    expect(
      bundlePackages({
        inputs: {
          'node_modules/conf/dist/index.js': { bytes: 1, imports: [] },
          'node_modules/conf/node_modules/ajv/x.js': { bytes: 1, imports: [] },
          'node_modules/@scope/pkg/index.js': { bytes: 1, imports: [] },
          'main/src/electron/main.ts': { bytes: 1, imports: [] },
        },
        outputs: {
          'out/main/index.js': {
            bytes: 1,
            inputs: {},
            exports: [],
            imports: [
              { path: 'node:path', kind: 'import-statement', external: true },
              { path: 'fs', kind: 'require-call', external: true },
              { path: 'keytar', kind: 'dynamic-import', external: true },
              { path: 'electron', kind: 'import-statement', external: true },
            ],
          },
        },
      }),
    ).toEqual({ external: ['electron', 'keytar'], bundled: ['@scope/pkg', 'ajv', 'conf'] });
  });
});
