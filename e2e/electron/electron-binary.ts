import { spawnSync } from 'node:child_process';
import {
  electronPackageDirectory,
  ensureElectronBinary,
} from '../../main/src/development/electron-binary.js';
import { repoRoot } from '../support/paths.js';

export type ElectronProbe =
  { ok: true; executablePath: string; version: string } | { ok: false; reason: string };

/**
 * Whether an Electron binary is here: found the way `npx electron` finds it, running Electron's own
 * installer first when it is absent (main's `ensureElectronBinary`, as `npm start` does), and then
 * asked for `--version`, which is what `npx electron --version` does.
 */
export function probeElectron(): ElectronProbe {
  const binary = ensureElectronBinary(
    { directory: electronPackageDirectory(repoRoot), environment: process.env },
    {
      interactive: false,
      announce: (line) => console.warn(`[e2e] ${line}`),
      echo: (output) => process.stderr.write(output),
    },
  );
  if (!binary.ok) {
    const said = binary.installerError ? `: ${firstLine(binary.installerError)}` : '';
    return {
      ok: false,
      reason: `no Electron binary on this machine (${binary.reason}${said}); journey 1 runs in the Chromium host instead`,
    };
  }
  const { executablePath } = binary;
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

/** An error's stack starts with its message. */
function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
