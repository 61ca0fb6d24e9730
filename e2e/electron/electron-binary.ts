import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type ElectronProbe =
  { ok: true; executablePath: string; version: string } | { ok: false; reason: string };

/**
 * Whether an Electron binary is here, found the way `npx electron` finds it (`path.txt` of the
 * `electron` package, or `ELECTRON_OVERRIDE_DIST_PATH`) and then asked for `--version`. It never
 * calls `require('electron')`, which would try to download the binary.
 */
export function probeElectron(): ElectronProbe {
  const require = createRequire(import.meta.url);
  let packageDir: string;
  try {
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { ok: false, reason: 'the electron package is not installed' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const executablePath = override
    ? join(override, relative ?? 'electron')
    : relative
      ? join(packageDir, 'dist', relative)
      : null;
  if (executablePath === null || !existsSync(executablePath)) {
    return {
      ok: false,
      reason:
        'no Electron binary on this machine (the electron package installs without it and its download host is unreachable here); the Chromium host suite covers the journeys instead',
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
