import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the Electron executable comes from, or why there is none. */
export type ElectronBinary =
  { ok: true; executablePath: string } | { ok: false; reason: string; installerError?: string };

/** What `ensureElectronBinary` works with: the `electron` npm package's folder and the environment. */
export interface ElectronPackage {
  directory: string;
  environment: NodeJS.ProcessEnv;
}

/** The project's own `electron` package. */
export function electronPackageDirectory(root: string): string {
  return join(root, 'node_modules/electron');
}

/**
 * The Electron executable, found the way `node_modules/electron/index.js` finds it but without its
 * download: `ELECTRON_OVERRIDE_DIST_PATH` wins (joined with `path.txt`, else `electron`), otherwise
 * `dist/` + the name `path.txt` records. Null when there is none.
 */
export function findElectronBinary({ directory, environment }: ElectronPackage): string | null {
  const pathFile = join(directory, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (environment.ELECTRON_OVERRIDE_DIST_PATH) {
    const overridden = join(environment.ELECTRON_OVERRIDE_DIST_PATH, executable ?? 'electron');
    return existsSync(overridden) ? overridden : null;
  }
  if (!executable) return null;
  const fullPath = join(directory, 'dist', executable);
  return existsSync(fullPath) ? fullPath : null;
}

/** The end of the installer's error output that goes into the refusal: its last lines say why. */
const INSTALLER_ERROR_CHARS = 4_000;

/**
 * The Electron executable, installed first when it is absent — what `require('electron')` does, but
 * with a refusal instead of a throw. Electron ≥ 45 fetches its binary on first use, not at
 * `npm install`, so a fresh install has none. The installer is Electron's own
 * (`node_modules/electron/install.js`, `npx install-electron`), run with this environment, so
 * `ELECTRON_MIRROR` / `electron_mirror` in `.npmrc`, `electron_config_cache`, `ELECTRON_GET_USE_PROXY`
 * and the rest of `@electron/get`'s settings apply as they do for Electron itself. With
 * `ELECTRON_OVERRIDE_DIST_PATH` set, Electron never downloads, and neither does this.
 *
 * `interactive`: the installer writes to this terminal, so its progress bar (drawn only on a TTY)
 * shows; its error is then printed above the refusal instead of inside it. Otherwise its output is
 * collected and handed to `echo`, and its error carried in the refusal. `announce` gets the line that
 * says the installer is about to run.
 */
export function ensureElectronBinary(
  electron: ElectronPackage,
  options: {
    interactive: boolean;
    announce: (line: string) => void;
    echo: (output: string) => void;
  },
): ElectronBinary {
  const found = findElectronBinary(electron);
  if (found) return { ok: true, executablePath: found };
  const override = electron.environment.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    return {
      ok: false,
      reason: `ELECTRON_OVERRIDE_DIST_PATH is ${override}, and it holds no Electron executable (Electron then never downloads one)`,
    };
  }

  const installer = join(electron.directory, 'install.js');
  options.announce(
    `The Electron binary is not installed yet; running Electron's installer (${installer}).`,
  );
  const run = spawnSync(process.execPath, [installer], {
    env: electron.environment,
    stdio: options.interactive ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  // Its error output goes into the refusal below; echoed as well only when it did not fail.
  if (!options.interactive)
    options.echo(run.status === 0 ? `${run.stdout}${run.stderr}` : run.stdout);
  const outcome =
    run.error?.message ??
    (run.signal ? `stopped by ${run.signal}` : `exit code ${String(run.status)}`);
  if (run.status !== 0) {
    const output = options.interactive ? '' : (run.stderr ?? '').trim();
    return {
      ok: false,
      reason: `Electron's installer failed (${outcome})${options.interactive ? '; its error is printed above' : ''}`,
      ...(output ? { installerError: output.slice(-INSTALLER_ERROR_CHARS) } : {}),
    };
  }
  const installed = findElectronBinary(electron);
  if (!installed) {
    return {
      ok: false,
      reason: `Electron's installer finished, yet ${electron.directory} has no path.txt naming an executable in dist/`,
    };
  }
  return { ok: true, executablePath: installed };
}
