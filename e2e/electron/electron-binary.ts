import { spawnSync } from 'node:child_process';
import { findElectronBinary } from '../../main/src/development/electron-binary.js';
import { repoRoot } from '../support/paths.js';

export type ElectronProbe =
  { ok: true; executablePath: string; version: string } | { ok: false; reason: string };

/**
 * Whether an Electron binary is here: found the way `npx electron` finds it (main's
 * `findElectronBinary`, which never triggers the download `require('electron')` would try) and then
 * asked for `--version`, which is what `npx electron --version` does.
 */
export function probeElectron(): ElectronProbe {
  const executablePath = findElectronBinary(repoRoot);
  if (!executablePath) {
    return {
      ok: false,
      reason:
        'no Electron binary on this machine (node_modules/electron has no dist/, and its download host is unreachable here); journey 1 runs in the Chromium host instead',
    };
  }
  const run = spawnSync(executablePath, ['--version'], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  if (run.status !== 0) {
    return {
      ok: false,
      reason: `the Electron binary at ${executablePath} does not run (${run.error?.message ?? run.stderr.trim()})`,
    };
  }
  return { ok: true, executablePath, version: run.stdout.trim() };
}
