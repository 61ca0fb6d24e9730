import type { IpcResult } from '@linkboard/contract';
import { ipcHandlers } from '../ipc/ipc-handlers.js';
import { createIpcRegistry, type IpcMessage } from '../ipc/ipc-registry.js';
import type { Logger } from '../logging/logger.js';
import {
  createDesktopServices,
  type DesktopServices,
  type DesktopServicesOptions,
} from './desktop-services.js';

export interface DesktopAppOptions {
  /** What the services are built from: configuration, token store and the host's edges. */
  services: Omit<DesktopServicesOptions, 'log'>;
  /** The renderer's origin: `app://linkboard` in the app, `http://127.0.0.1:PORT` in the e2e host. */
  expectedOrigin: string;
  /** Whether `windowId` is the app's own window (the one that loaded our renderer). */
  isOurWindow(windowId: number | null): boolean;
  log: Logger;
}

/** Main's side of one app run: its services, and the one door every IPC message comes through. */
export interface DesktopApp {
  services: DesktopServices;
  /** Checks and answers one message (`ipcMain.handle` in Electron, a page binding in the e2e host). */
  dispatch(message: IpcMessage): Promise<IpcResult<unknown>>;
  /** The app quits: stop waiting for any sign-in callback. */
  close(): void;
}

/**
 * The desktop app's wiring, said once: the services, every channel's handler, the registry that
 * checks sender and schemas, and what is logged when it refuses or a handler fails. The Electron
 * layer (`startLinkboard`) and the end-to-end host both call this, so the host the end-to-end
 * suite drives runs exactly the wiring Electron runs.
 */
export function createDesktopApp(options: DesktopAppOptions): DesktopApp {
  const { log } = options;
  const services = createDesktopServices({ ...options.services, log });
  const registry = createIpcRegistry({
    handlers: ipcHandlers(services),
    expectedOrigin: options.expectedOrigin,
    isOurWindow: options.isOurWindow,
    onRefusal: (refusal) => log.warn('IPC refused', refusal),
    onHandlerError: (channel, error) =>
      log.error('IPC handler failed', { channel, error: (error as Error).name }),
  });
  return {
    services,
    dispatch: (message) => registry.dispatch(message),
    close: () => services.signIn.close(),
  };
}
