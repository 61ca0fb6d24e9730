import type { AppUpdater } from 'electron-updater';
import type { UpdaterPort } from './updater-port.js';

/** electron-updater's AppUpdater as the service's port; fails to compile if the shapes drift. */
export function electronUpdaterPort(updater: AppUpdater): UpdaterPort {
  return updater;
}

/**
 * The real `autoUpdater` (NsisUpdater, MacUpdater, AppImageUpdater, DebUpdater or RpmUpdater for
 * the running installer). Loaded on demand: it requires Electron, so only the Electron layer calls
 * this.
 */
export async function loadElectronUpdater(): Promise<UpdaterPort> {
  const module = (await import('electron-updater')) as unknown as {
    autoUpdater?: AppUpdater;
    default?: { autoUpdater: AppUpdater };
  };
  const updater = module.autoUpdater ?? module.default?.autoUpdater;
  if (!updater) throw new Error('electron-updater did not provide autoUpdater');
  return electronUpdaterPort(updater);
}
