import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildLinkboardApi } from './linkboard-api.js';

// The sandboxed preload: bundled into one CommonJS file (out/preload/index.cjs), since a sandboxed
// preload can `require('electron')` and nothing else. The end-to-end host bundles this same file
// with `electron` replaced by a shim.
contextBridge.exposeInMainWorld(
  'linkboard',
  buildLinkboardApi({
    invoke: (channel, payload) => ipcRenderer.invoke(channel, payload),
    subscribe(event, listener) {
      // The page gets the value alone, never the IpcRendererEvent (it reaches `sender`).
      const forward = (_event: IpcRendererEvent, value: unknown) => listener(value);
      ipcRenderer.on(event, forward);
      return () => {
        ipcRenderer.removeListener(event, forward);
      };
    },
  }),
);
