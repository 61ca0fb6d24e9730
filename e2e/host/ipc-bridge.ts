import type { Frame, Page } from 'playwright-core';
import { IPC_INVOKE_BINDING, IPC_NEXT_EVENT_BINDING, type HostEvent } from './bridge-names.js';
import type { IpcRecorder, IpcSender } from './ipc-recorder.js';

/** Main's side of the bridge: the real registry's dispatch. */
export type Dispatch = (request: {
  channel: string;
  payload: unknown;
  sender: IpcSender;
}) => Promise<unknown>;

export interface IpcBridge {
  /** What `webContents.send(channel, ...args)` does for this window. */
  send(channel: string, ...args: unknown[]): void;
  /** Ends the event long-poll (the window closes). */
  close(): void;
}

function senderOf(frame: Frame, windowId: number): IpcSender {
  return { url: frame.url(), isMainFrame: frame.parentFrame() === null, windowId };
}

/**
 * Plays Electron's IPC pipe for one window: `ipcRenderer.invoke` from any frame of the page reaches
 * `dispatch` with that frame's own URL and main-frame flag (so the registry's sender check decides,
 * not the host), and events main sends are handed to the page's pending long-poll.
 */
export async function installIpcBridge(
  page: Page,
  options: { windowId: number; dispatch: Dispatch; recorder: IpcRecorder },
): Promise<IpcBridge> {
  const { windowId, dispatch, recorder } = options;
  const queue: HostEvent[] = [];
  // One poller at a time: the newest document's. A reload leaves the old document's poll pending
  // on a dead page, so a new poll replaces (and ends) the previous one.
  let waiting: ((event: HostEvent | null) => void) | null = null;
  let closed = false;

  await page.exposeBinding(
    IPC_INVOKE_BINDING,
    async (source, channel: unknown, payload: unknown) => {
      const sender = senderOf(source.frame, windowId);
      const response = await dispatch({ channel: String(channel), payload, sender });
      recorder.add({
        kind: 'invoke',
        windowId,
        channel: String(channel),
        payload,
        sender,
        response,
        at: Date.now(),
      });
      return response;
    },
  );

  await page.exposeBinding(IPC_NEXT_EVENT_BINDING, (source) => {
    // Electron's webContents.send reaches the main frame's preload only.
    if (source.frame.parentFrame() !== null || closed) return null;
    const event = queue.shift();
    if (event) return event;
    waiting?.(null);
    return new Promise<HostEvent | null>((resolve) => {
      waiting = resolve;
    });
  });

  page.once('close', () => bridge.close());

  const bridge: IpcBridge = {
    send(channel, ...args) {
      if (closed) return;
      const event: HostEvent = { channel, args };
      recorder.add({ kind: 'event', windowId, channel, args, at: Date.now() });
      const resolve = waiting;
      waiting = null;
      if (resolve) resolve(event);
      else queue.push(event);
    },
    close() {
      closed = true;
      waiting?.(null);
      waiting = null;
    },
  };
  return bridge;
}
