import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureElectronBinary, findElectronBinary } from '../../src/development/electron-binary.js';

// ensureElectronBinary against `electron` package folders laid out as npm leaves them, with a
// stand-in install.js that records that it ran (real child processes, no mocks).
let directory: string;
let ran: string;
const quiet = { interactive: false, announce: () => undefined, echo: () => undefined };

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'linkboard-electron-package-'));
  ran = join(directory, 'installer-ran');
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

function installer(body: string): void {
  writeFileSync(
    join(directory, 'install.js'),
    `require('node:fs').writeFileSync(${JSON.stringify(ran)}, '');\n${body}\n`,
  );
}

function executableAt(folder: string, name = 'electron'): string {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, name), '#!/bin/sh\n', { mode: 0o755 });
  return join(folder, name);
}

describe('ensureElectronBinary', () => {
  it('uses dist/ + path.txt when Electron is installed, without running the installer', () => {
    installer('process.exit(1);');
    const executable = executableAt(join(directory, 'dist'));
    writeFileSync(join(directory, 'path.txt'), 'electron');
    expect(ensureElectronBinary({ directory, environment: {} }, quiet)).toEqual({
      ok: true,
      executablePath: executable,
    });
    expect(existsSync(ran)).toBe(false);
  });

  it('runs the installer when path.txt names an executable that dist/ lacks', () => {
    writeFileSync(join(directory, 'path.txt'), 'electron');
    installer(`require('node:fs').mkdirSync(${JSON.stringify(join(directory, 'dist'))});
require('node:fs').writeFileSync(${JSON.stringify(join(directory, 'dist', 'electron'))}, '');`);
    const binary = ensureElectronBinary({ directory, environment: {} }, quiet);
    expect(binary).toEqual({ ok: true, executablePath: join(directory, 'dist', 'electron') });
    expect(existsSync(ran)).toBe(true);
  });

  it('takes ELECTRON_OVERRIDE_DIST_PATH joined with path.txt (else "electron") and never installs', () => {
    installer('process.exit(1);');
    const override = join(directory, 'override');
    const executable = executableAt(override);
    const environment = { ELECTRON_OVERRIDE_DIST_PATH: override };
    expect(findElectronBinary({ directory, environment })).toBe(executable);
    expect(ensureElectronBinary({ directory, environment }, quiet)).toEqual({
      ok: true,
      executablePath: executable,
    });
    writeFileSync(join(directory, 'path.txt'), 'Electron.app/Contents/MacOS/Electron');
    const refused = ensureElectronBinary({ directory, environment }, quiet);
    expect(refused.ok).toBe(false);
    expect(existsSync(ran)).toBe(false);
  });

  it("carries the end of the installer's error output and its exit code in the refusal", () => {
    installer(
      `process.stderr.write('x'.repeat(10000) + '\\nHTTPError: Response code 404\\n'); process.exit(2);`,
    );
    const binary = ensureElectronBinary({ directory, environment: {} }, quiet);
    expect(binary.ok).toBe(false);
    if (binary.ok) return;
    expect(binary.reason).toBe("Electron's installer failed (exit code 2)");
    expect(binary.installerError).toMatch(/HTTPError: Response code 404$/);
    expect(binary.installerError?.length).toBe(4_000);
  });

  it('refuses when the installer succeeds but leaves no executable behind', () => {
    installer('');
    const binary = ensureElectronBinary({ directory, environment: {} }, quiet);
    expect(binary).toEqual({
      ok: false,
      reason: `Electron's installer finished, yet ${directory} has no path.txt naming an executable in dist/`,
    });
  });
});
