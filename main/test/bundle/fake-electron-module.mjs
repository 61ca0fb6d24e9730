// A stand-in `electron` for booting the real main bundle in plain Node (see main-bundle.test.ts).
// It prints what the app asks of Electron as `ELECTRON {json}` lines on stdout.
import { EventEmitter } from 'node:events';

const report = (event, detail = {}) =>
  process.stdout.write(`ELECTRON ${JSON.stringify({ event, ...detail })}\n`);

export const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  enableSandbox: () => report('enableSandbox'),
  requestSingleInstanceLock: () => true,
  quit: () => report('quit'),
  exit: (code) => {
    report('exit', { code });
    process.exit(code);
  },
  getPath: () => process.env.FAKE_USER_DATA,
  getName: () => 'Linkboard',
  getVersion: () => '0.0.0-smoke',
  whenReady: async () => report('ready'),
  setAsDefaultProtocolClient: (scheme) => report('setAsDefaultProtocolClient', { scheme }),
});
export const protocol = {
  registerSchemesAsPrivileged: (schemes) => report('registerSchemesAsPrivileged', { schemes }),
  handle: (scheme) => report('protocol.handle', { scheme }),
};
export const ipcMain = {
  handle: (channel) => report('ipcMain.handle', { channel }),
  on: () => undefined,
};
export const shell = { openExternal: async () => undefined, openPath: async () => '' };
export const clipboard = { writeText: () => undefined };
export const dialog = {
  showErrorBox: (title, content) => report('showErrorBox', { title, content }),
};
export const net = { fetch: (input) => globalThis.fetch(input) };
export const session = {
  defaultSession: {
    setProxy: async (config) => report('setProxy', { config }),
    setPermissionRequestHandler: () => report('setPermissionRequestHandler'),
    setPermissionCheckHandler: () => undefined,
    setDevicePermissionHandler: () => undefined,
  },
};
export const screen = {
  getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1280, height: 800 } }],
};
export class BrowserWindow extends EventEmitter {
  static fromWebContents() {
    return null;
  }
  constructor(options) {
    super();
    this.id = 1;
    this.webContents = new EventEmitter();
    report('BrowserWindow', { options });
  }
  async loadURL(url) {
    report('loadURL', { url });
  }
  isDestroyed() {
    return false;
  }
  getNormalBounds() {
    return { x: 0, y: 0, width: 800, height: 600 };
  }
}
export default {
  app,
  protocol,
  ipcMain,
  net,
  clipboard,
  shell,
  dialog,
  session,
  screen,
  BrowserWindow,
};
