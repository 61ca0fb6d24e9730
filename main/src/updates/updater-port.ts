/**
 * The part of electron-updater's `autoUpdater` the update service uses. The real object needs
 * Electron; tests pass a fake with the same shape. electron-updater-port.ts checks at compile time
 * that electron-updater's AppUpdater fits it.
 *
 * Deliberately absent: `verifyUpdateCodeSignature` and `forceDevUpdateConfig`. The service never
 * replaces the Windows signature check or pretends a development build is a packaged one.
 */
export interface GenericFeedOptions {
  provider: 'generic';
  url: string;
  channel?: string | null;
}

export interface UpdaterPort {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  allowDowngrade: boolean;
  allowPrerelease: boolean;
  channel: string | null;
  setFeedURL(options: GenericFeedOptions): void;
  checkForUpdates(): Promise<unknown>;
  downloadUpdate(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'checking-for-update', listener: () => void): unknown;
  on(event: 'update-available', listener: (info: { version: string }) => void): unknown;
  on(event: 'update-not-available', listener: (info: { version: string }) => void): unknown;
  on(event: 'download-progress', listener: (info: { percent: number }) => void): unknown;
  on(event: 'update-downloaded', listener: (event: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error, message?: string) => void): unknown;
}
