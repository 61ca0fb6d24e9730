import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolvePackagedFiles } from '../tools/packaged-files.js';
import { projectRoot } from './project-root.js';

describe('resolvePackagedFiles', () => {
  let project: string;

  async function put(file: string, content = 'x') {
    await mkdir(path.dirname(path.join(project, file)), { recursive: true });
    await writeFile(path.join(project, file), content);
  }

  beforeEach(async () => {
    project = await mkdtemp(path.join(os.tmpdir(), 'linkboard-packaged-'));
    await copyFile(
      path.join(projectRoot, 'electron-builder.yml'),
      path.join(project, 'electron-builder.yml'),
    );
    await put('package.json', '{"name":"linkboard","version":"0.1.0","main":"out/main/index.js"}');
    await put('package-lock.json');
    await put('out/main/index.js');
    await put('out/main/index.js.map');
    await put('out/preload/index.cjs');
    await put('out/renderer/index.html');
    await put('out/renderer/assets/index-abc123.js');
    await put('out/renderer/assets/.hidden-chunk.js');
    await put('out/main/types.d.ts');
    // What tests leave in out/: never shipped.
    await put('out/renderer-screenshots/home-dark.png');
    await put('out/e2e/renderer/index.html');
    await put('main/src/config/load-config.ts');
    await put('renderer/src/App.tsx');
    await put('node_modules/axios/index.js');
    await put('build/icon.svg');
    await put('dist/linux-unpacked/resources/app.asar');
    await put('.env', 'AUTH0_M2M_CLIENT_SECRET=not-a-real-one');
    await put('docs/it-deployment.md');
  });

  afterEach(async () => {
    await rm(project, { recursive: true, force: true });
  });

  it('lists the built bundles and package.json, and nothing else', async () => {
    expect(await resolvePackagedFiles({ projectDir: project })).toEqual([
      'out/main/index.js',
      'out/preload/index.cjs',
      'out/renderer/assets/.hidden-chunk.js',
      'out/renderer/assets/index-abc123.js',
      'out/renderer/index.html',
      'package.json',
    ]);
  });

  it('packages the entry point package.json names', async () => {
    const manifest = JSON.parse(await readFile(path.join(projectRoot, 'package.json'), 'utf8')) as {
      main?: string;
    };
    expect(manifest.main).toBeDefined();
    await copyFile(path.join(projectRoot, 'package.json'), path.join(project, 'package.json'));
    await put(manifest.main!);
    expect(await resolvePackagedFiles({ projectDir: project })).toContain(manifest.main);
  });

  it('follows the files globs: a wider glob packages more', async () => {
    await writeFile(path.join(project, 'wide.yml'), 'files:\n  - "**/*"\n  - "!docs/**"\n');
    const files = await resolvePackagedFiles({ projectDir: project, configFile: 'wide.yml' });
    // electron-builder's own exclusions still hold: node_modules, build/, dist/, lock files, *.d.ts.
    expect(files).toContain('main/src/config/load-config.ts');
    expect(files).toContain('.env');
    expect(files).toContain('out/main/index.js.map');
    expect(files).not.toContain('docs/it-deployment.md');
    expect(files.filter((file) => /^(node_modules|build|dist)\//.test(file))).toEqual([]);
    expect(files).not.toContain('package-lock.json');
    expect(files).not.toContain('out/main/types.d.ts');
  });

  it('adds platform-specific files globs', async () => {
    await writeFile(
      path.join(project, 'platform.yml'),
      'files:\n  - out/**\nlinux:\n  files:\n    - docs/**\n',
    );
    expect(
      await resolvePackagedFiles({
        projectDir: project,
        configFile: 'platform.yml',
        platforms: ['win'],
      }),
    ).not.toContain('docs/it-deployment.md');
    expect(
      await resolvePackagedFiles({
        projectDir: project,
        configFile: 'platform.yml',
        platforms: ['linux'],
      }),
    ).toContain('docs/it-deployment.md');
  });
});
