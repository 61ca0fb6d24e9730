import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { projectRoot } from './project-root.js';

interface LinuxTargetHelperModule {
  LinuxTargetHelper: new (packager: object) => {
    computeDesktopEntry(targetSpecificOptions: object): Promise<string>;
  };
}
const { LinuxTargetHelper } = createRequire(import.meta.url)(
  'app-builder-lib/out/targets/LinuxTargetHelper.js',
) as LinuxTargetHelperModule;

/**
 * The desktop entry electron-builder writes into the deb, rpm and AppImage, computed by its own
 * LinuxTargetHelper from electron-builder.yml and package.json (the packager it reads them from is
 * stood in for by the same values).
 */
async function desktopEntry(): Promise<string> {
  const config = parseYaml(await readFile(path.join(projectRoot, 'electron-builder.yml'), 'utf8'));
  const manifest = JSON.parse(await readFile(path.join(projectRoot, 'package.json'), 'utf8'));
  const packager = {
    appInfo: {
      productName: config.productName,
      sanitizedProductName: config.productName,
      description: manifest.description,
    },
    executableName: config.linux.executableName,
    info: { metadata: manifest },
    config,
    platformSpecificBuildOptions: config.linux,
    fileAssociations: [],
  };
  return new LinuxTargetHelper(packager).computeDesktopEntry({ ...config.linux, ...config.deb });
}

const validator = spawnSync('desktop-file-validate', ['--help'], { encoding: 'utf8' });

describe('the Linux desktop entry', () => {
  it('opens linkboard:// URLs, passes them on (%U) and sits in the Network category', async () => {
    const entry = await desktopEntry();
    expect(entry).toMatch(/^MimeType=x-scheme-handler\/linkboard;$/m);
    expect(entry).toMatch(/^Exec=.*linkboard %U$/m);
    expect(entry).toMatch(/^Categories=Network;$/m);
    expect(entry).toMatch(/^Name=Linkboard$/m);
    expect(entry).toMatch(/^StartupWMClass=linkboard$/m);
  });

  it.skipIf(validator.status !== 0)(
    'passes desktop-file-validate (needs desktop-file-utils)',
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'linkboard-desktop-'));
      try {
        const file = path.join(dir, 'linkboard.desktop');
        await writeFile(file, await desktopEntry());
        const result = spawnSync('desktop-file-validate', [file], { encoding: 'utf8' });
        expect(result.stdout + result.stderr).toBe('');
        expect(result.status).toBe(0);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});
