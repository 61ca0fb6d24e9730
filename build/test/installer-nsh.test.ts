import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from './project-root.js';

// build/installer.nsh is compiled by NSIS inside electron-builder's installer script, which only a
// Windows installer build runs. Debian's makensis (package nsis, installed by .ci/run) compiles it
// here inside a minimal script that defines what electron-builder defines.
const makensis = spawnSync('makensis', ['-VERSION'], { encoding: 'utf8' });
const hasMakensis = makensis.status === 0;

describe.skipIf(!hasMakensis)('build/installer.nsh (needs makensis: apt-get install nsis)', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'linkboard-nsis-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function compile(include: string) {
    const script = path.join(dir, 'installer.nsi');
    await writeFile(
      script,
      [
        'Unicode true',
        '!define APP_EXECUTABLE_FILENAME "Linkboard.exe"',
        'Name "Linkboard"',
        `OutFile "${path.join(dir, 'linkboard-test-installer.exe')}"`,
        'InstallDir "$PROGRAMFILES64\\Linkboard"',
        'RequestExecutionLevel user',
        `!include "${include}"`,
        'Section "Install"',
        '  SetShellVarContext all',
        '  !insertmacro customInstall',
        '  WriteUninstaller "$INSTDIR\\Uninstall Linkboard.exe"',
        'SectionEnd',
        'Section "Uninstall"',
        '  SetShellVarContext all',
        '  !insertmacro customUnInstall',
        'SectionEnd',
      ].join('\n'),
    );
    // -WX: a warning (an unknown define, an unused macro) fails the build as it would be fixed.
    return spawnSync('makensis', ['-V2', '-WX', script], { encoding: 'utf8', timeout: 60_000 });
  }

  it('compiles with makensis, warnings as errors', async () => {
    const result = await compile(path.join(projectRoot, 'build/installer.nsh'));
    expect(result.stdout + result.stderr).not.toMatch(/error/i);
    expect(result.status).toBe(0);
  });

  it('the compile check fails on a broken include', async () => {
    const broken = path.join(dir, 'broken.nsh');
    const source = await readFile(path.join(projectRoot, 'build/installer.nsh'), 'utf8');
    await writeFile(broken, source.replace('DeleteRegKey SHCTX', 'DeleteRegKeyy SHCTX'));
    expect((await compile(broken)).status).not.toBe(0);
  });
});
