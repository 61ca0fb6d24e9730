import { AUTH_CALLBACK_EVENT, CUSTOM_SCHEME, RENDERER_ORIGIN } from '@linkboard/contract/desktop';
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import { join } from 'node:path';
import {
  findCustomSchemeCallback,
  parseCustomSchemeCallback,
} from '../auth/custom-scheme-callback.js';
import { auth0OriginOf } from '../config/config-values.js';
import type { LoadedConfig } from '../config/load-config.js';
import type { RawConfigSource } from '../config/raw-config-source.js';
import { loadStartupConfig } from '../config/startup-config.js';
import { createIpcRegistry } from '../ipc/ipc-registry.js';
import { ipcHandlers } from '../ipc/ipc-handlers.js';
import { rendererContentSecurityPolicy } from '../renderer-protocol/content-security-policy.js';
import { createRendererHandler } from '../renderer-protocol/renderer-handler.js';
import { createDesktopServices, type DesktopServices } from '../services/desktop-services.js';
import type { EncryptedEntryFileLocation } from '../tokens/encrypted-entry-file.js';
import type { Keychain } from '../tokens/keychain.js';
import { createTokenStore } from '../tokens/token-store.js';
import type { StartableUpdateControl } from '../updates/update-control.js';
import type { ElectronApi } from './electron-api.js';
import { bindIpcToRegistry } from './ipc-binding.js';
import { registerRendererScheme, serveRenderer } from './renderer-scheme.js';
import { denyAllPermissions, guardWebContents } from './web-contents-guards.js';
import { restoreBounds, type WindowBoundsStore } from './window-bounds.js';
import { createMainWindow } from './window-options.js';

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface LinkboardStartOptions {
  electron: ElectronApi;
  /** The bundle's files: `out/preload/index.cjs` and `out/renderer`. */
  paths: { preload: string; renderer: string };
  argv: readonly string[];
  environment: NodeJS.ProcessEnv;
  readPolicy(): Promise<RawConfigSource | null>;
  /** keytar, or null when it cannot be loaded (the token store then keeps entries in memory). */
  loadKeychain(): Promise<Keychain | null>;
  tokenFile(userDataDirectory: string): EncryptedEntryFileLocation;
  windowBoundsStore(userDataDirectory: string): WindowBoundsStore;
  /**
   * The update service (main/src/updates) when this app updates itself (packaged, updates on), or
   * null. Its `start()` runs once the window is up; until then it answers "not checked yet".
   */
  updates?(loaded: LoadedConfig): StartableUpdateControl | null;
  log: Logger;
}

export type StartOutcome =
  | { status: 'running'; window: BrowserWindow; services: DesktopServices }
  | { status: 'refused'; exitCode: number }
  | { status: 'another-instance-running' };

/**
 * The Electron layer: plugs the services into Electron and nothing more. Order matters: the
 * privileged scheme before `ready`; the configuration (and a refusal dialog, exit `CONFIG_REFUSED_EXIT_CODE`) before any
 * window; guards on every web contents before the first one exists.
 */
export async function startLinkboard(options: LinkboardStartOptions): Promise<StartOutcome> {
  const { app, BrowserWindow, dialog, ipcMain, net, protocol, screen, session, shell } =
    options.electron;
  const { log } = options;

  registerRendererScheme(protocol);
  app.enableSandbox();

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return { status: 'another-instance-running' };
  }

  const userData = app.getPath('userData');
  const startup = await loadStartupConfig({
    readPolicy: options.readPolicy,
    userSettingsFile: join(userData, 'settings.json'),
    environment: options.environment,
    argv: options.argv,
    isDevelopment: !app.isPackaged,
  });
  if (!startup.ok) {
    // After `ready` so Linux shows a real dialog (before it, Electron only prints to stderr); still
    // before any window exists.
    await app.whenReady();
    dialog.showErrorBox('Linkboard cannot start', startup.message);
    log.error('Configuration refused', { exitCode: startup.exitCode });
    app.exit(startup.exitCode);
    return { status: 'refused', exitCode: startup.exitCode };
  }
  const { loaded } = startup;
  const { config } = loaded;

  let services: DesktopServices | null = null;
  let mainWindow: BrowserWindow | null = null;

  if (config.redirectMode === 'custom-scheme') {
    // In development Electron runs as `electron path/to/app`: the OS must pass the app path too.
    if (process.defaultApp && options.argv[1]) {
      app.setAsDefaultProtocolClient(CUSTOM_SCHEME, process.execPath, [options.argv[1]]);
    } else {
      app.setAsDefaultProtocolClient(CUSTOM_SCHEME);
    }
  }
  /** A well-formed callback the OS handed over goes to the sign-in waiting for it, if any. */
  const forwardCustomSchemeCallback = (url: string | null) => {
    if (url && !services?.signIn.acceptCustomSchemeUrl(url)) {
      log.warn('Ignored a sign-in callback nobody was waiting for');
    }
  };
  app.on('open-url', (event, url) => {
    event.preventDefault();
    forwardCustomSchemeCallback(parseCustomSchemeCallback(url));
  });
  app.on('second-instance', (_event, argv) => {
    if (mainWindow) bringToFront(mainWindow);
    forwardCustomSchemeCallback(findCustomSchemeCallback(argv));
  });
  app.on('web-contents-created', (_event, contents) =>
    guardWebContents(contents, (what) => log.warn(what)),
  );
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => services?.signIn.close());

  await app.whenReady();

  denyAllPermissions(session.defaultSession);
  // net.fetch follows the session's proxy: the system's (and its PAC file) unless policy names one
  // for computers without proxy settings (docs/architecture.md#the-company-network).
  if (config.proxyUrl) await session.defaultSession.setProxy({ proxyRules: config.proxyUrl });
  serveRenderer(
    protocol,
    createRendererHandler({
      root: options.paths.renderer,
      csp: rendererContentSecurityPolicy(auth0OriginOf(config.auth0Domain)),
    }),
  );

  const tokenStore = await createTokenStore({
    keychain: await options.loadKeychain(),
    file: options.tokenFile(userData),
    log,
  });

  const boundsStore = options.windowBoundsStore(userData);
  const window = createMainWindow(
    BrowserWindow,
    options.paths.preload,
    restoreBounds(
      boundsStore.load(),
      screen.getAllDisplays().map((display) => display.workArea),
    ),
  );
  mainWindow = window;
  window.once('ready-to-show', () => window.show());
  window.on('close', () => boundsStore.save(window.getNormalBounds()));

  const updates = options.updates?.(loaded) ?? null;
  services = createDesktopServices({
    app: { name: app.getName(), version: app.getVersion() },
    loaded,
    tokenStore,
    fetch: (input, init) => net.fetch(input instanceof URL ? input.href : input, init),
    isPackaged: app.isPackaged,
    ...(updates ? { updates } : {}),
    openExternal: (url) => shell.openExternal(url),
    deliverAuthCallback(url) {
      if (window.isDestroyed()) return;
      window.webContents.send(AUTH_CALLBACK_EVENT, url);
      bringToFront(window);
    },
    log,
  });

  const registry = createIpcRegistry({
    handlers: ipcHandlers(services),
    expectedOrigin: RENDERER_ORIGIN,
    isOurWindow: (windowId) => windowId !== null && !window.isDestroyed() && windowId === window.id,
    onRefusal: (refusal) => log.warn('IPC refused', refusal),
    onHandlerError: (channel, error) =>
      log.error('IPC handler failed', { channel, error: (error as Error).name }),
  });
  bindIpcToRegistry(
    ipcMain,
    registry,
    (event: IpcMainInvokeEvent) => BrowserWindow.fromWebContents(event.sender)?.id ?? null,
  );

  await window.loadURL(`${RENDERER_ORIGIN}/index.html`);
  updates?.start();
  return { status: 'running', window, services };
}

function bringToFront(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore();
  window.focus();
}
