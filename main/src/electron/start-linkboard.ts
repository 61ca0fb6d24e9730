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
import { loadStartupConfig, type StartupConfigOptions } from '../config/startup-config.js';
import type { PolicyTrigger } from '../policy/policy-watcher.js';
import { rendererContentSecurityPolicy } from '../renderer-protocol/content-security-policy.js';
import { createRendererHandler } from '../renderer-protocol/renderer-handler.js';
import { createImageCache } from '../images/image-cache.js';
import { createProviderImages } from '../images/provider-images.js';
import type { Logger } from '../logging/logger.js';
import { createDesktopApp, type DesktopApp } from '../services/desktop-app.js';
import type { DesktopServices } from '../services/desktop-services.js';
import type { EncryptedEntryFileLocation } from '../tokens/encrypted-entry-file.js';
import type { Keychain } from '../tokens/keychain.js';
import { createTokenStore } from '../tokens/token-store.js';
import type { StartableUpdateControl } from '../updates/update-control.js';
import type { ElectronApi } from './electron-api.js';
import { followManagedPolicy } from './follow-policy.js';
import { bindIpcToRegistry } from './ipc-binding.js';
import { registerRendererScheme, serveRenderer } from './renderer-scheme.js';
import { denyAllPermissions, guardWebContents } from './web-contents-guards.js';
import { restoreBounds, type WindowBoundsStore } from './window-bounds.js';
import { createMainWindow } from './window-options.js';

export interface LinkboardStartOptions {
  electron: ElectronApi;
  /** The bundle's files: `out/preload/index.cjs` and `out/renderer`. */
  paths: { preload: string; renderer: string };
  argv: readonly string[];
  environment: NodeJS.ProcessEnv;
  readPolicy(): Promise<RawConfigSource | null>;
  /** When to read the policy again while the app runs (none: it is read once, at start). */
  policyTriggers?: PolicyTrigger[];
  /** keytar, or null when it cannot be loaded (the token store then keeps entries in memory). */
  loadKeychain(): Promise<Keychain | null>;
  tokenFile(userDataDirectory: string): EncryptedEntryFileLocation;
  /** The kept views' file (encrypted with the token file's key); none: views are not kept. */
  viewCacheFile?(userDataDirectory: string): EncryptedEntryFileLocation;
  windowBoundsStore(userDataDirectory: string): WindowBoundsStore;
  /**
   * The update service (main/src/updates) when this app updates itself (packaged, updates on), or
   * null. Its `start()` runs once the window is up; until then it answers "not checked yet".
   */
  updates?(loaded: LoadedConfig): StartableUpdateControl | null;
  log: Logger;
  /** The folder the log file is in (`app.getPath('logs')`), for "Open log folder". */
  logFolder: string;
}

export type StartOutcome =
  | { status: 'running'; window: BrowserWindow; services: DesktopServices }
  | { status: 'refused'; exitCode: number }
  | { status: 'another-instance-running' };

/**
 * The Electron layer: plugs the services into Electron and nothing more. Order matters: the
 * privileged scheme before `ready`; the configuration (and a refusal dialog, exit
 * `CONFIG_REFUSED_EXIT_CODE`) before any window; guards on every web contents before the first one
 * exists.
 */
export async function startLinkboard(options: LinkboardStartOptions): Promise<StartOutcome> {
  const { app, net, protocol, session } = options.electron;
  const { log } = options;

  registerRendererScheme(protocol);
  app.enableSandbox();

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return { status: 'another-instance-running' };
  }

  const userData = app.getPath('userData');
  let policyAtStart: RawConfigSource | null = null;
  const startupOptions: StartupConfigOptions = {
    readPolicy: async () => (policyAtStart = await options.readPolicy()),
    userSettingsFile: join(userData, 'settings.json'),
    environment: options.environment,
    argv: options.argv,
    isDevelopment: !app.isPackaged,
  };
  const startup = await loadStartupConfig(startupOptions);
  if (!startup.ok) return refuseToStart(options, startup);
  const { loaded } = startup;

  // Filled in once the window exists; the OS may hand over a callback before that.
  let running: { window: BrowserWindow; desktop: DesktopApp } | null = null;
  listenForCustomSchemeCallbacks(options, loaded, () => running, log);
  app.on('web-contents-created', (_event, contents) =>
    guardWebContents(contents, (what) => log.warn(what)),
  );
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => running?.desktop.close());

  await app.whenReady();

  denyAllPermissions(session.defaultSession);
  // net.fetch follows the session's proxy: the system's (and its PAC file) unless policy names one
  // for computers without proxy settings (docs/architecture.md#the-company-network).
  if (loaded.config.proxyUrl)
    await session.defaultSession.setProxy({ proxyRules: loaded.config.proxyUrl });
  const fetch = (input: URL | Request | string, init?: RequestInit) =>
    net.fetch(input instanceof URL ? input.href : input, init);
  const images = createProviderImages({
    fetch,
    cache: createImageCache({ directory: join(userData, 'image-cache') }),
    log,
  });
  serveRenderer(
    protocol,
    createRendererHandler({
      root: options.paths.renderer,
      csp: rendererContentSecurityPolicy(auth0OriginOf(loaded.config.auth0Domain)),
      images,
    }),
  );

  const tokenStore = await createTokenStore({
    keychain: await options.loadKeychain(),
    file: options.tokenFile(userData),
    log,
  });
  const window = openMainWindow(options, userData);
  const updates = options.updates?.(loaded) ?? null;
  const desktop = createDesktopApp({
    services: {
      app: { name: app.getName(), version: app.getVersion() },
      loaded,
      tokenStore,
      ...(options.viewCacheFile ? { viewCacheFile: options.viewCacheFile(userData) } : {}),
      images,
      fetch,
      support: {
        logFolder: options.logFolder,
        async openFolder(path) {
          // shell.openPath answers an error message, or '' when the folder opened.
          const problem = await options.electron.shell.openPath(path);
          if (problem) throw new Error('The log folder could not be opened');
        },
        copyText: (text) => options.electron.clipboard.writeText(text),
      },
      isPackaged: app.isPackaged,
      ...(updates ? { updates } : {}),
      openExternal: (url) => options.electron.shell.openExternal(url),
      writeClipboard: (text) => options.electron.clipboard.writeText(text),
      deliverAuthCallback(url) {
        if (window.isDestroyed()) return;
        window.webContents.send(AUTH_CALLBACK_EVENT, url);
        bringToFront(window);
      },
    },
    expectedOrigin: RENDERER_ORIGIN,
    isOurWindow: (windowId) => windowId !== null && !window.isDestroyed() && windowId === window.id,
    log,
  });
  running = { window, desktop };
  bindIpcToRegistry(
    options.electron.ipcMain,
    desktop,
    (event: IpcMainInvokeEvent) =>
      options.electron.BrowserWindow.fromWebContents(event.sender)?.id ?? null,
  );

  if (options.policyTriggers) {
    const watcher = followManagedPolicy({
      startup: { ...startupOptions, readPolicy: options.readPolicy },
      initial: policyAtStart,
      triggers: options.policyTriggers,
      services: desktop.services,
      setProxy: (proxyUrl) =>
        session.defaultSession.setProxy(proxyUrl ? { proxyRules: proxyUrl } : { mode: 'system' }),
      refuse: (refusal) => refuseToStart(options, refusal),
      log,
    });
    app.on('before-quit', () => watcher.close());
  }

  await window.loadURL(`${RENDERER_ORIGIN}/index.html`);
  updates?.start();
  return { status: 'running', window, services: desktop.services };
}

/**
 * A refused configuration: the message in a dialog, then exit. After `ready` so Linux shows a
 * real dialog (before it, Electron only prints to stderr); still before any window exists.
 */
async function refuseToStart(
  { electron: { app, dialog }, log }: LinkboardStartOptions,
  refusal: { message: string; exitCode: number },
): Promise<StartOutcome> {
  await app.whenReady();
  dialog.showErrorBox('Linkboard cannot start', refusal.message);
  log.error('Configuration refused', { exitCode: refusal.exitCode });
  app.exit(refusal.exitCode);
  return { status: 'refused', exitCode: refusal.exitCode };
}

/**
 * In custom-scheme mode the OS hands sign-in callbacks over by `open-url` (macOS) or by starting a
 * second instance with the URL in its argv (Windows, Linux); a well-formed one goes to the sign-in
 * waiting for it, if any.
 */
function listenForCustomSchemeCallbacks(
  { electron: { app }, argv }: LinkboardStartOptions,
  loaded: LoadedConfig,
  running: () => { window: BrowserWindow; desktop: DesktopApp } | null,
  log: Logger,
): void {
  if (loaded.config.redirectMode === 'custom-scheme') {
    // In development Electron runs as `electron path/to/app`: the OS must pass the app path too.
    if (process.defaultApp && argv[1]) {
      app.setAsDefaultProtocolClient(CUSTOM_SCHEME, process.execPath, [argv[1]]);
    } else {
      app.setAsDefaultProtocolClient(CUSTOM_SCHEME);
    }
  }
  const forward = (url: string | null) => {
    if (url && !running()?.desktop.services.signIn.acceptCustomSchemeUrl(url)) {
      log.warn('Ignored a sign-in callback nobody was waiting for');
    }
  };
  app.on('open-url', (event, url) => {
    event.preventDefault();
    forward(parseCustomSchemeCallback(url));
  });
  app.on('second-instance', (_event, secondArgv) => {
    const window = running()?.window;
    if (window) bringToFront(window);
    forward(findCustomSchemeCallback(secondArgv));
  });
}

/** The one window, where it was last left (on a display that still exists), saved on close. */
function openMainWindow(options: LinkboardStartOptions, userData: string): BrowserWindow {
  const { BrowserWindow, screen } = options.electron;
  const boundsStore = options.windowBoundsStore(userData);
  const window = createMainWindow(
    BrowserWindow,
    options.paths.preload,
    restoreBounds(
      boundsStore.load(),
      screen.getAllDisplays().map((display) => display.workArea),
    ),
  );
  window.once('ready-to-show', () => window.show());
  window.on('close', () => boundsStore.save(window.getNormalBounds()));
  return window;
}

function bringToFront(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore();
  window.focus();
}
