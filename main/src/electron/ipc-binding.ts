import { ipcChannels } from '@linkboard/contract';
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { IpcRegistry } from '../ipc/ipc-registry.js';
import type { IpcSender } from '../ipc/ipc-sender.js';

/**
 * Who sent an invoke, from `event.senderFrame` (not `event.sender`, which is the whole page and
 * would let a subframe pass as the page): its URL, whether it is the page's main frame, and the
 * window the page belongs to.
 */
export function senderOf(
  event: IpcMainInvokeEvent,
  windowIdOf: (event: IpcMainInvokeEvent) => number | null,
): IpcSender {
  const frame = event.senderFrame;
  if (!frame) return { url: '', isMainFrame: false, windowId: null };
  return {
    url: frame.url,
    isMainFrame: frame.parent === null && event.sender.mainFrame === frame,
    windowId: windowIdOf(event),
  };
}

/** Hands every channel of the contract to the registry; no other `ipcMain.handle` exists. */
export function bindIpcToRegistry(
  ipcMain: Pick<IpcMain, 'handle'>,
  registry: IpcRegistry,
  windowIdOf: (event: IpcMainInvokeEvent) => number | null,
): void {
  for (const channel of Object.keys(ipcChannels)) {
    ipcMain.handle(channel, (event, payload: unknown) =>
      registry.dispatch({ channel, payload, sender: senderOf(event, windowIdOf) }),
    );
  }
}
