import type * as ElectronModule from 'electron';

/**
 * The parts of the `electron` module the Electron layer uses, passed in so tests can hand it a
 * fake (there is no Electron binary on the build machines) while the types stay electron.d.ts's.
 */
export type ElectronApi = Pick<
  typeof ElectronModule,
  | 'app'
  | 'BrowserWindow'
  | 'protocol'
  | 'ipcMain'
  | 'shell'
  | 'clipboard'
  | 'dialog'
  | 'session'
  | 'screen'
  | 'net'
>;
