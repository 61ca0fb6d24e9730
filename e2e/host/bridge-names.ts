/**
 * Names of the two Playwright bindings the Electron shim talks to. They stand in for Electron's IPC
 * pipe: one carries `ipcRenderer.invoke` into main's real IPC registry, the other long-polls for
 * events main sends to the window (`webContents.send`), so no page-visible function can forge them.
 */
export const IPC_INVOKE_BINDING = '__linkboardHostInvoke';
export const IPC_NEXT_EVENT_BINDING = '__linkboardHostNextEvent';

/** One event main sends to a window, as it crosses the binding. */
export interface HostEvent {
  channel: string;
  args: unknown[];
}
