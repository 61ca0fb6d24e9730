import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AUTH_CALLBACK_EVENT } from '@linkboard/contract';
import type { SandboxInfo } from '@linkboard/sandbox/start-line';
import { freeLoopbackPort } from '@linkboard/testing/free-port';
import {
  auth0OriginOf,
  confEntryFileLocation,
  createImageCache,
  createProviderImages,
  createDesktopApp,
  createRendererHandler,
  createTokenStore,
  environmentSource,
  KEYCHAIN_ACCOUNT,
  loadConfig,
  rendererContentSecurityPolicy,
  type BrokerFetch,
  type DesktopApp,
  type Keychain,
  type LoadedConfig,
  type ProviderImages,
  type TokenStore,
} from '../../main/src/services/index.js';
import { installIpcBridge, type IpcBridge } from './ipc-bridge.js';
import { IpcRecorder } from './ipc-recorder.js';
import { loadKeychain } from './keychain.js';
import { startRendererServer, type RendererServer } from './renderer-server.js';
import { SystemBrowser } from './system-browser.js';

export interface DesktopHostOptions {
  browser: Browser;
  info: SandboxInfo;
  brokerUrl: string;
  /** The built renderer (index.html and assets). */
  rendererRoot: string;
  /** The real preload, bundled with the Electron shim (see preload-bundle.ts). */
  preloadScript: string;
  recorder?: IpcRecorder;
  /** Defaults to the real keychain when reachable; `null` forces main's memory fallback. */
  keychain?: Keychain | null;
  viewport?: { width: number; height: number };
  /**
   * How main reaches the providers' image origins (Electron's net.fetch in the app): a stand-in
   * for them (`@linkboard/testing/image-origin`), since the test machine has no internet. Without
   * one every image fetch fails and the page shows initials.
   */
  imageFetch?: BrokerFetch;
  /**
   * A managed policy's values (`{ Language: 'de' }`), loaded as main loads the registry's or
   * `/etc/linkboard/policy.json`'s: the strongest source.
   */
  policy?: Record<string, unknown>;
}

/** One app window: a page in a browser context of its own, like a BrowserWindow's renderer. */
export interface AppWindow {
  id: number;
  page: Page;
  context: BrowserContext;
  /** Uncaught exceptions and console errors (CSP violations among them) of this window. */
  errors: string[];
}

/** What main logged (refusals and failures), for the journeys that expect a refusal. */
export interface MainLogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields?: Record<string, unknown>;
}

/** One run of the app's main process: its services and registry, its one window. */
interface AppRun {
  desktop: DesktopApp;
  tokenStore: TokenStore;
  bridge: IpcBridge | null;
  window: AppWindow | null;
}

/**
 * The Chromium host (docs/architecture.md#testing-without-electron): main's real services run here
 * in Node, wired by main's own `createDesktopApp` (what `startLinkboard` calls too); the renderer is served by main's own handler (same
 * headers and CSP) over loopback HTTP; the real preload runs in every frame with the Electron shim,
 * its `ipcRenderer.invoke` reaching the real registry with the calling frame's URL; and
 * `shell.openExternal` opens tabs in a separate "system browser" context.
 */
export class DesktopHost {
  readonly recorder: IpcRecorder;
  /** What "Open log folder" opened and the clipboard got ("Copy diagnostics", "Copy link"), as the OS would have. */
  readonly support = {
    logFolder: join(tmpdir(), 'linkboard-e2e-logs'),
    openedFolders: [] as string[],
    clipboard: [] as string[],
    openFolder: async (path: string) => void this.support.openedFolders.push(path),
    copyText: (text: string) => void this.support.clipboard.push(text),
  };
  private run: AppRun | null = null;
  private nextWindowId = 1;

  private constructor(
    private readonly options: DesktopHostOptions,
    readonly loaded: LoadedConfig,
    readonly rendererServer: RendererServer,
    readonly systemBrowser: SystemBrowser,
    private readonly keychain: Keychain | null,
    /** A keychain entry and a token file of this host alone, so no real sign-in is touched. */
    private readonly keychainService: string,
    readonly tokenDirectory: string,
    private readonly images: ProviderImages,
    /** What main logged (its image service, from the start, among it). */
    readonly mainLog: MainLogEntry[],
  ) {
    this.recorder = options.recorder ?? new IpcRecorder();
  }

  static async start(options: DesktopHostOptions): Promise<DesktopHost> {
    const keychain = options.keychain === undefined ? await loadKeychain() : options.keychain;
    const loopbackPort = await freeLoopbackPort();
    const loaded = loadConfig(
      [
        environmentSource({
          LINKBOARD_AUTH0_DOMAIN: options.info.domain,
          LINKBOARD_CLIENT_ID: options.info.desktopClientId,
          LINKBOARD_BROKER_AUDIENCE: options.info.brokerAudience,
          LINKBOARD_BROKER_URL: options.brokerUrl,
          LINKBOARD_REDIRECT_MODE: 'loopback',
          LINKBOARD_LOOPBACK_PORT: String(loopbackPort),
          LINKBOARD_UPDATES_ENABLED: 'false',
        }),
        ...(options.policy
          ? [{ kind: 'policy' as const, location: 'e2e managed policy', values: options.policy }]
          : []),
      ],
      { isDevelopment: true },
    );
    if (!loaded.ok)
      throw new Error(`main refused the host's configuration: ${loaded.error.message}`);
    const tokenDirectory = await mkdtemp(join(tmpdir(), 'linkboard-e2e-tokens-'));
    // As in startLinkboard: one image service for the protocol handler and every run of main.
    const mainLog: MainLogEntry[] = [];
    const images = createProviderImages({
      log: {
        warn: (message, fields) => void mainLog.push({ level: 'warn', message, fields }),
      },
      fetch:
        options.imageFetch ?? (() => Promise.reject(new Error('no image origin in this test'))),
      cache: createImageCache({ directory: join(tokenDirectory, 'image-cache') }),
    });
    const handler = createRendererHandler({
      root: options.rendererRoot,
      csp: rendererContentSecurityPolicy(auth0OriginOf(loaded.value.config.auth0Domain)),
      images,
    });
    const rendererServer = await startRendererServer(handler);
    const systemBrowser = await SystemBrowser.start(options.browser);
    return new DesktopHost(
      options,
      loaded.value,
      rendererServer,
      systemBrowser,
      keychain,
      `Linkboard e2e ${randomUUID()}`,
      tokenDirectory,
      images,
      mainLog,
    );
  }

  /** `http://127.0.0.1:PORT`: the registry's expected origin here (`app://linkboard` in Electron). */
  get origin(): string {
    return this.rendererServer.origin;
  }

  get tokenStore(): TokenStore {
    if (!this.run) throw new Error('the app is not running');
    return this.run.tokenStore;
  }

  get window(): AppWindow {
    if (!this.run?.window) throw new Error('the app has no window');
    return this.run.window;
  }

  private readonly log = {
    info: this.logAt('info'),
    warn: this.logAt('warn'),
    error: this.logAt('error'),
  };

  private logAt(level: MainLogEntry['level']) {
    return (message: string, fields?: Record<string, unknown>) => {
      this.mainLog.push({ level, message, ...(fields ? { fields } : {}) });
    };
  }

  /** The kept views' file, beside the token file and encrypted with its key. */
  get viewCacheFile() {
    return confEntryFileLocation({ directory: this.tokenDirectory, name: 'view-cache' });
  }

  /** The token store's file on disk (present only while a keychain-backed sign-in is stored). */
  get tokenFilePath(): string {
    return confEntryFileLocation({ directory: this.tokenDirectory }).path;
  }

  /** The token file's key as the OS keychain holds it now, or null (none, or no keychain). */
  async keychainKey(): Promise<string | null> {
    if (!this.keychain) return null;
    return this.keychain.getPassword(this.keychainService, KEYCHAIN_ACCOUNT);
  }

  /** While the app is quit: the token store exactly as the next launch will open it. */
  async openStoredTokens(): Promise<TokenStore> {
    if (this.run) throw new Error('quit() the app before opening its token store from outside');
    return this.openTokenStore();
  }

  private openTokenStore(): Promise<TokenStore> {
    return createTokenStore({
      keychain: this.keychain,
      file: confEntryFileLocation({ directory: this.tokenDirectory }),
      service: this.keychainService,
      log: this.log,
    });
  }

  /**
   * Starts the app: a token store over this host's file and keychain entry (what survives a
   * restart), the services and the registry, then one window loading the renderer.
   */
  async launch(): Promise<AppWindow> {
    if (this.run) throw new Error('the app is already running: quit() first');
    const tokenStore = await this.openTokenStore();
    const windowId = this.nextWindowId++;
    // A new process knows no image origins until the catalogue names them; the images kept on
    // disk stay, as they do across a real restart.
    this.images.learn([]);
    const run: AppRun = {
      tokenStore,
      bridge: null,
      window: null,
      desktop: createDesktopApp({
        services: {
          app: { name: 'Linkboard', version: '0.1.0' },
          loaded: this.loaded,
          tokenStore,
          viewCacheFile: this.viewCacheFile,
          images: this.images,
          // Node's fetch: the host has no Electron network stack (docs/architecture.md#the-company-network).
          fetch: globalThis.fetch,
          support: this.support,
          openExternal: this.systemBrowser.openExternal,
          writeClipboard: (text) => this.support.clipboard.push(text),
          deliverAuthCallback: (url) => run.bridge?.send(AUTH_CALLBACK_EVENT, url),
        },
        expectedOrigin: this.origin,
        isOurWindow: (id) => id !== null && id === run.window?.id,
        log: this.log,
      }),
    };
    this.run = run;

    const context = await this.options.browser.newContext({
      viewport: this.options.viewport ?? { width: 1280, height: 800 },
      colorScheme: 'light',
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    });
    run.bridge = await installIpcBridge(page, {
      windowId,
      dispatch: (message) => run.desktop.dispatch(message),
      recorder: this.recorder,
    });
    await page.addInitScript({ content: this.options.preloadScript });
    run.window = { id: windowId, page, context, errors };
    await page.goto(`${this.origin}/index.html`);
    return run.window;
  }

  /** Quits the app: the window closes and main stops waiting for any sign-in. */
  async quit(): Promise<void> {
    const run = this.run;
    this.run = null;
    if (!run) return;
    run.desktop.close();
    run.bridge?.close();
    await run.window?.context.close();
  }

  /** Quit and start again: a new window, new services, the same token file and keychain entry. */
  async restart(): Promise<AppWindow> {
    await this.quit();
    return this.launch();
  }

  async close(): Promise<void> {
    await this.quit();
    await Promise.allSettled([this.systemBrowser.close(), this.rendererServer.close()]);
    await this.keychain?.deletePassword(this.keychainService, KEYCHAIN_ACCOUNT).catch(() => false);
    await rm(this.tokenDirectory, { recursive: true, force: true });
  }
}
