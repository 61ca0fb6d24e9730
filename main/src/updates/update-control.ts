import type { UpdateState } from '@linkboard/contract';
import type { UpdateService } from './update-service.js';

/** What the IPC handlers need of updates: the state to show, and "restart to install". */
export type UpdateControl = Pick<UpdateService, 'state' | 'installAndRestart'>;

/** An update service whose loading waits until `start()` (the Electron layer: once the window is up). */
export interface StartableUpdateControl extends UpdateControl {
  start(): void;
}

/**
 * Wraps an update service that is loaded on demand (electron-updater needs Electron and is
 * imported lazily): until `start()` and while loading, updates have not been checked yet; a load
 * that fails is an `error` state the settings screen shows, not a silent absence.
 */
export function startableUpdateControl(
  load: () => Promise<UpdateService>,
  onLoadFailure?: (error: unknown) => void,
): StartableUpdateControl {
  let service: UpdateService | null = null;
  let failure: UpdateState | null = null;
  let started = false;
  return {
    state: () => service?.state() ?? failure ?? { status: 'idle', lastCheck: 'never' },
    installAndRestart: () => service?.installAndRestart(),
    start() {
      if (started) return;
      started = true;
      load().then(
        (loaded) => {
          service = loaded;
        },
        (error: unknown) => {
          failure = { status: 'error', message: 'The updater could not start.' };
          onLoadFailure?.(error);
        },
      );
    },
  };
}
