import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Electron executable npm installed, found the way `node_modules/electron/index.js` finds it
 * but without its fallback of downloading one (which fails on machines that only reach the npm
 * registry). Null when there is none.
 */
export function findElectronBinary(
  root: string,
  environment: NodeJS.ProcessEnv = process.env,
): string | null {
  const packageDirectory = join(root, 'node_modules/electron');
  const pathFile = join(packageDirectory, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (environment.ELECTRON_OVERRIDE_DIST_PATH) {
    const overridden = join(environment.ELECTRON_OVERRIDE_DIST_PATH, executable ?? 'electron');
    return existsSync(overridden) ? overridden : null;
  }
  if (!executable) return null;
  const fullPath = join(packageDirectory, 'dist', executable);
  return existsSync(fullPath) ? fullPath : null;
}
