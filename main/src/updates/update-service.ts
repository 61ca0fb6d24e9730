import type { PublicConfig, UpdateState } from '@linkboard/contract';
import type { UpdaterPort } from './updater-port.js';

/** How often the Electron layer should call `check()` while the app runs. */
export const UPDATE_CHECK_INTERVAL_MS = 4 * 60 * 60 * 1000;

export interface UpdateServiceOptions {
  updater: UpdaterPort;
  config: Pick<PublicConfig, 'updateFeedUrl' | 'updatesEnabled' | 'updateChannel'>;
  /** `app.isPackaged`: development builds never update. */
  isPackaged: boolean;
  /** Download as soon as an update is found (default), or wait for `download()`. */
  autoDownload?: boolean;
}

export interface UpdateService {
  /** The current state, for `app:updateState`. */
  state(): UpdateState;
  /** Asks the feed for a newer version; resolves with the state the check led to. */
  check(): Promise<UpdateState>;
  /** Downloads an available update (when `autoDownload` is off). */
  download(): Promise<void>;
  /** Quits and installs a downloaded update, then starts the new version. */
  installAndRestart(): void;
  /** Calls `listener` on each state change; returns the function that unsubscribes. */
  subscribe(listener: (state: UpdateState) => void): () => void;
}

/** The first line of an updater error, short: HTTP errors carry headers and bodies after it. */
function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const firstLine = text.split('\n', 1)[0]?.trim() ?? '';
  return firstLine.length > 200 ? `${firstLine.slice(0, 199)}…` : firstLine || 'unknown error';
}

/**
 * The state of updates that are off, or null when they are on. The Electron layer can answer
 * `app:updateState` with it without loading electron-updater at all.
 */
export function disabledUpdateState(
  options: Pick<UpdateServiceOptions, 'config' | 'isPackaged'>,
): Extract<UpdateState, { status: 'disabled' }> | null {
  if (!options.config.updatesEnabled) return { status: 'disabled', reason: 'turned-off' };
  if (!options.isPackaged) return { status: 'disabled', reason: 'not-packaged' };
  return null;
}

/**
 * Updates through electron-updater on the generic feed the configuration names (or the one the
 * installer was built with), as a small state machine the UI can show.
 *
 * Signature checks stay electron-updater's: on Windows it refuses an installer whose Authenticode
 * publisher is not the one in app-update.yml (electron-builder.yml sets the publisher name), on
 * macOS Squirrel.Mac refuses an update not signed like the running app. Linux packages have no
 * signature check (only the SHA-512 from the HTTPS feed): docs/it-deployment.md says so, and IT can
 * turn updates off there and ship through its package repository.
 */
export function createUpdateService(options: UpdateServiceOptions): UpdateService {
  const listeners = new Set<(state: UpdateState) => void>();
  let current: UpdateState;
  const { updater, config } = options;

  function set(next: UpdateState) {
    current = next;
    for (const listener of listeners) listener(next);
  }

  const disabled = disabledUpdateState(options);

  if (disabled) {
    // The updater is not touched at all: no feed, no listeners, nothing installed on quit.
    current = disabled;
  } else {
    current = { status: 'idle', lastCheck: 'never' };
    updater.autoDownload = options.autoDownload ?? true;
    updater.autoInstallOnAppQuit = true;
    updater.allowPrerelease = false;
    if (config.updateChannel !== null) updater.channel = config.updateChannel;
    // Setting a channel turns downgrades on in electron-updater; a feed must never move the app
    // back to an older (possibly vulnerable) version, so this comes after it.
    updater.allowDowngrade = false;
    if (config.updateFeedUrl !== null) {
      updater.setFeedURL({
        provider: 'generic',
        url: config.updateFeedUrl,
        ...(config.updateChannel !== null ? { channel: config.updateChannel } : {}),
      });
    }

    updater.on('checking-for-update', () => set({ status: 'checking' }));
    updater.on('update-not-available', () => set({ status: 'idle', lastCheck: 'up-to-date' }));
    updater.on('update-available', (info) => set({ status: 'available', version: info.version }));
    updater.on('download-progress', (progress) => {
      const version = 'version' in current ? current.version : 'unknown';
      const percent = Math.min(100, Math.max(0, progress.percent));
      set({ status: 'downloading', version, percent });
    });
    updater.on('update-downloaded', (event) =>
      set({ status: 'downloaded', version: event.version }),
    );
    updater.on('error', (error) => set({ status: 'error', message: describeError(error) }));
  }

  return {
    state: () => current,

    async check() {
      if (current.status === 'disabled') return current;
      if (
        current.status === 'checking' ||
        current.status === 'downloading' ||
        current.status === 'downloaded'
      ) {
        return current;
      }
      try {
        const result = await updater.checkForUpdates();
        // With autoDownload, electron-updater starts the download and hands back its promise; a
        // failed download already emitted `error` (the state says so), so the rejection is handled
        // here instead of surfacing as an unhandled rejection in the main process.
        const download = (result as { downloadPromise?: unknown } | null)?.downloadPromise;
        if (download instanceof Promise) download.catch(() => undefined);
      } catch (error) {
        // electron-updater also emits `error`; the state says the same either way.
        set({ status: 'error', message: describeError(error) });
      }
      return current;
    },

    async download() {
      if (current.status !== 'available') return;
      try {
        await updater.downloadUpdate();
      } catch (error) {
        set({ status: 'error', message: describeError(error) });
      }
    },

    installAndRestart() {
      if (current.status !== 'downloaded') return;
      updater.quitAndInstall(false, true);
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
