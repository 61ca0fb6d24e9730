import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  electronPackageDirectory,
  findElectronBinary,
} from '../../main/src/development/electron-binary.js';
import { repositoryRoot, runNpmScript } from './run-script.js';

const realElectron = { directory: electronPackageDirectory(repositoryRoot), environment: {} };
const electronVersion = (
  JSON.parse(readFileSync(join(realElectron.directory, 'package.json'), 'utf8')) as {
    version: string;
  }
).version;
const installed = findElectronBinary(realElectron) !== null;

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'linkboard-start-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A mirror on loopback that has no Electron: every request is recorded and answered 404. */
async function emptyMirror(): Promise<{ url: string; requested: string[]; server: Server }> {
  const requested: string[] = [];
  const server = createServer((request, response) => {
    requested.push(request.url ?? '');
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the mirror has no port');
  return { url: `http://127.0.0.1:${address.port}/electron/`, requested, server };
}

describe('npm start with the real Electron installer', () => {
  let mirror: Awaited<ReturnType<typeof emptyMirror>> | undefined;
  afterEach(() => mirror?.server.close());

  it.skipIf(installed)(
    `runs Electron's installer against ELECTRON_MIRROR and, when it fails, exits 69 with the installer's error and points to the demo${installed ? ' — skipped: an Electron binary is installed' : ''}`,
    async () => {
      mirror = await emptyMirror();
      const cache = mkdtempSync(join(scratch, 'cache-'));
      const { code, stderr } = await runNpmScript('start', [], {
        ELECTRON_MIRROR: mirror.url,
        electron_config_cache: cache,
      });
      expect(code).toBe(69);
      const zip = `electron-v${electronVersion}-linux-${process.arch}.zip`;
      // @electron/get asks the mirror for <mirror>v<version>/<zip>.
      expect(mirror.requested).toEqual([`/electron/v${electronVersion}/${zip}`]);
      expect(stderr).toContain("running Electron's installer");
      expect(stderr).toContain('the Electron binary is not installed');
      expect(stderr).toContain("Electron's installer failed (exit code 1)");
      expect(stderr).toContain(
        `Response code 404 (Not Found) for ${mirror.url}v${electronVersion}/${zip}`,
      );
      expect(stderr).toContain('npm run demo');
      expect(existsSync(join(realElectron.directory, 'path.txt'))).toBe(false);
    },
  );
});

/**
 * An `electron` package folder whose install.js is a stand-in: it records the environment it ran
 * with, then either fails as a real one would or "installs" a stand-in executable (a script that
 * records its arguments and environment and exits 0) and writes path.txt.
 */
function standInElectronPackage(installer: 'installs' | 'fails'): {
  directory: string;
  installerRecord: string;
  launchRecord: string;
} {
  const directory = mkdtempSync(join(scratch, 'electron-'));
  const installerRecord = join(directory, 'installer-record.json');
  const launchRecord = join(directory, 'launch-record.json');
  const executable = `#!${process.execPath}
require('node:fs').writeFileSync(${JSON.stringify(launchRecord)}, JSON.stringify({ args: process.argv.slice(2), cwd: process.cwd(), env: process.env }));
`;
  const install =
    installer === 'fails'
      ? `process.stderr.write('Error: stand-in installer: the mirror refused the download\\n'); process.exit(3);`
      : `fs.mkdirSync(path.join(__dirname, 'dist'), { recursive: true });
fs.writeFileSync(path.join(__dirname, 'dist', 'electron'), ${JSON.stringify(executable)}, { mode: 0o755 });
fs.writeFileSync(path.join(__dirname, 'path.txt'), 'electron');
console.log('stand-in installer: Electron installed');`;
  writeFileSync(
    join(directory, 'install.js'),
    `const fs = require('node:fs'); const path = require('node:path');
fs.writeFileSync(${JSON.stringify(installerRecord)}, JSON.stringify({ env: process.env }));
${install}
`,
  );
  writeFileSync(
    join(directory, 'package.json'),
    '{ "name": "electron", "version": "0.0.0-stand-in" }',
  );
  return { directory, installerRecord, launchRecord };
}

function readRecord(file: string): { args?: string[]; env: Record<string, string> } {
  return JSON.parse(readFileSync(file, 'utf8')) as { args?: string[]; env: Record<string, string> };
}

describe('npm start with a stand-in Electron installer and executable', () => {
  it('installs Electron when it is absent, then launches it on the freshly built main with the dev stack running', async () => {
    const electron = standInElectronPackage('installs');
    const startedAt = Date.now();
    const { code, stderr } = await runNpmScript('start', [], {
      LINKBOARD_ELECTRON_PACKAGE_DIR: electron.directory,
      ELECTRON_MIRROR: 'https://electron-mirror.example.test/electron/',
      electron_config_cache: join(scratch, 'electron-cache'),
    });
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('stand-in installer: Electron installed');

    // The installer ran with the mirror and cache settings Electron's own installer reads.
    const installerRun = readRecord(electron.installerRecord);
    expect(installerRun.env.ELECTRON_MIRROR).toBe('https://electron-mirror.example.test/electron/');
    expect(installerRun.env.electron_config_cache).toBe(join(scratch, 'electron-cache'));

    // Then Electron was launched on the project, whose main this run built.
    const launch = readRecord(electron.launchRecord);
    expect(launch.args).toEqual([repositoryRoot]);
    const { main } = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as {
      main: string;
    };
    expect(statSync(join(repositoryRoot, main)).mtimeMs).toBeGreaterThanOrEqual(startedAt - 1_000);

    // With the dev stack's public values as development defaults, and that stack gone afterwards.
    const defaults = JSON.parse(launch.env.LINKBOARD_DEV_DEFAULTS ?? 'null') as {
      brokerUrl: string;
      auth0Domain: string;
    } | null;
    expect(defaults?.brokerUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Object.keys(defaults ?? {}).sort()).toEqual(
      ['auth0Domain', 'brokerAudience', 'brokerUrl', 'clientId', 'updatesEnabled'].sort(),
    );
    await expect(stopsAnswering(`${defaults?.brokerUrl}/healthz`)).resolves.toBe(true);
  }, 120_000);

  it("exits 69 with the installer's own error when the installer fails, without building or starting anything", async () => {
    const electron = standInElectronPackage('fails');
    const { code, stdout, stderr } = await runNpmScript('start', [], {
      LINKBOARD_ELECTRON_PACKAGE_DIR: electron.directory,
    });
    expect(code).toBe(69);
    expect(existsSync(electron.installerRecord)).toBe(true);
    expect(stderr).toContain("Electron's installer failed (exit code 3)");
    expect(stderr).toContain('Error: stand-in installer: the mirror refused the download');
    expect(stderr).toContain('npm run demo');
    expect(stdout).not.toContain('build:');
    expect(existsSync(electron.launchRecord)).toBe(false);
  });

  it('never runs the installer when ELECTRON_OVERRIDE_DIST_PATH is set, as Electron does, and says when that folder has no executable', async () => {
    const electron = standInElectronPackage('fails');
    const missing = join(scratch, 'no-electron-here');
    const { code, stderr } = await runNpmScript('start', [], {
      LINKBOARD_ELECTRON_PACKAGE_DIR: electron.directory,
      ELECTRON_OVERRIDE_DIST_PATH: missing,
    });
    expect(code).toBe(69);
    expect(stderr).toContain(
      `ELECTRON_OVERRIDE_DIST_PATH is ${missing}, and it holds no Electron executable`,
    );
    expect(existsSync(electron.installerRecord)).toBe(false);
  });
});

/** Whether the URL stops answering within a few seconds (the dev stack stops with its parent). */
async function stopsAnswering(url: string): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const answered = await fetch(url).then(
      () => true,
      () => false,
    );
    if (!answered) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}
