import { EventEmitter } from 'node:events';
import type { ElectronApi } from '../../src/electron/electron-api.js';

/**
 * A stand-in for the parts of `electron` the layer uses, recording what it is asked. There is no
 * Electron binary here; the types the layer compiles against are still electron.d.ts's.
 */
export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: unknown) => { action: string }) | null = null;
  sent: Array<[string, unknown]> = [];
  mainFrame: FakeFrame;
  constructor(url: string) {
    super();
    this.mainFrame = new FakeFrame(url, null);
  }
  setWindowOpenHandler(handler: (details: unknown) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  send(channel: string, value: unknown) {
    this.sent.push([channel, value]);
  }
}

export class FakeFrame {
  constructor(
    public url: string,
    public parent: FakeFrame | null,
  ) {}
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  static nextId = 1;
  id = FakeBrowserWindow.nextId++;
  webContents = new FakeWebContents('app://linkboard/index.html');
  loadedUrl: string | null = null;
  constructor(public options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  static fromWebContents(contents: unknown) {
    return FakeBrowserWindow.instances.find((window) => window.webContents === contents) ?? null;
  }
  async loadURL(url: string) {
    this.loadedUrl = url;
  }
  isDestroyed = () => false;
  isMinimized = () => false;
  restore() {}
  focus() {}
  show() {}
  getNormalBounds = () => ({ x: 10, y: 20, width: 900, height: 700 });
}

export function fakeElectron(
  options: {
    singleInstance?: boolean;
    userData?: string;
    /** What net.fetch answers for a URL; without an answer, an empty identities list. */
    netAnswer?: (url: string) => Response | undefined;
  } = {},
) {
  FakeBrowserWindow.instances = [];
  const order: string[] = [];
  const app = Object.assign(new EventEmitter(), {
    isPackaged: true,
    exitCode: null as number | null,
    quitCalled: false,
    protocolClients: [] as string[],
    enableSandbox: () => order.push('enableSandbox'),
    requestSingleInstanceLock: () => options.singleInstance ?? true,
    quit() {
      this.quitCalled = true;
    },
    exit(code: number) {
      order.push(`exit ${code}`);
      this.exitCode = code;
    },
    getPath: () => options.userData ?? '/nonexistent-user-data',
    getName: () => 'Linkboard',
    getVersion: () => '0.1.0',
    whenReady: async () => {
      order.push('ready');
    },
    setAsDefaultProtocolClient(scheme: string) {
      this.protocolClients.push(scheme);
      return true;
    },
  });
  const privileged: unknown[] = [];
  const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  const ipcHandlers = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>();
  const errorBoxes: Array<[string, string]> = [];
  const proxies: unknown[] = [];
  const fetched: string[] = [];
  const opened: string[] = [];
  const openedPaths: string[] = [];
  const copied: string[] = [];
  const permissions: {
    request?: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
    check?: () => boolean;
    device?: () => boolean;
  } = {};

  const electron = {
    app,
    BrowserWindow: new Proxy(FakeBrowserWindow, {
      construct(target, args: [Record<string, unknown>]) {
        order.push('window');
        return new target(...args);
      },
    }),
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => {
        order.push('registerSchemesAsPrivileged');
        privileged.push(...schemes);
      },
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) =>
        protocolHandlers.set(scheme, handler),
    },
    ipcMain: {
      handle: (channel: string, handler: (event: unknown, payload: unknown) => Promise<unknown>) =>
        ipcHandlers.set(channel, handler),
    },
    shell: {
      openExternal: async (url: string) => void opened.push(url),
      openPath: async (path: string) => {
        openedPaths.push(path);
        return '';
      },
    },
    clipboard: { writeText: (text: string) => void copied.push(text) },
    dialog: {
      showErrorBox: (title: string, content: string) => {
        order.push('showErrorBox');
        errorBoxes.push([title, content]);
      },
    },
    net: {
      fetch: async (input: string | Request) => {
        const url = typeof input === 'string' ? input : input.url;
        fetched.push(url);
        return options.netAnswer?.(url) ?? Response.json({ identities: [] });
      },
    },
    session: {
      defaultSession: {
        setProxy: async (config: unknown) => {
          order.push('setProxy');
          proxies.push(config);
        },
        setPermissionRequestHandler: (handler: typeof permissions.request) =>
          (permissions.request = handler),
        setPermissionCheckHandler: (handler: typeof permissions.check) =>
          (permissions.check = handler),
        setDevicePermissionHandler: (handler: typeof permissions.device) =>
          (permissions.device = handler),
      },
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  };
  return {
    electron: electron as unknown as ElectronApi,
    app,
    order,
    privileged,
    protocolHandlers,
    ipcHandlers,
    errorBoxes,
    proxies,
    fetched,
    opened,
    openedPaths,
    copied,
    permissions,
  };
}
