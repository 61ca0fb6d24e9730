import type { AppInfo } from '@linkboard/contract';
import { createExternalOpener, type ExternalOpener } from '../auth/external-opener.js';
import { createSignInCoordinator, type SignInCoordinator } from '../auth/sign-in-coordinator.js';
import type { Timers } from '../auth/loopback-redirect-listener.js';
import {
  createBrokerClient,
  type BrokerClient,
  type BrokerFetch,
} from '../broker/broker-client.js';
import { auth0OriginOf } from '../config/config-values.js';
import type { LoadedConfig } from '../config/load-config.js';
import { updateLiveConfig, type ConfigUpdate } from '../config/live-config.js';
import type { Logger } from '../logging/logger.js';
import { createSupportDesk, type SupportDesk, type SupportEdges } from '../support/support-desk.js';
import type { TokenStore } from '../tokens/token-store.js';
import { createProviderPages, type ProviderPages } from '../web/provider-pages.js';
import type { ProviderImages } from '../images/provider-images.js';
import type { EncryptedEntryFileLocation } from '../tokens/encrypted-entry-file.js';
import { createViewCache, type ViewCache } from '../view-cache/view-cache.js';
import { disabledUpdateState } from '../updates/update-service.js';
import type { UpdateControl } from '../updates/update-control.js';

/** What the IPC handlers need: the services, already plugged into their edges. */
export interface DesktopServices {
  signIn: SignInCoordinator;
  externalOpener: ExternalOpener;
  /** A provider's own pages (rows, profiles), opened or copied only on its catalogue origins. */
  providerPages: ProviderPages;
  /** A provider's public images, learnt from the catalogue like its pages, or none. */
  images: Pick<ProviderImages, 'learn' | 'clear'> | null;
  tokenStore: TokenStore;
  /** The last data of each view, encrypted with the token store's key. */
  views: ViewCache;
  brokerClient: BrokerClient;
  appInfo(): AppInfo;
  /** The update service, or a stand-in that answers `disabled` (development, the e2e host). */
  updates: UpdateControl;
  /** "Open log folder" and "Copy diagnostics" (docs/architecture.md#logs). */
  support: SupportDesk;
  /**
   * The configuration loaded again (a managed policy changed): the broker address and proxy apply
   * from the next request on, and `app:info` says so; the rest waits for a restart.
   */
  applyConfig(next: LoadedConfig): ConfigUpdate;
}

export interface DesktopServicesOptions {
  app: { name: string; version: string };
  loaded: LoadedConfig;
  tokenStore: TokenStore;
  /**
   * Where the kept views' file is (beside the token file); it shares the token store's key.
   * Without one, no view is kept.
   */
  viewCacheFile?: EncryptedEntryFileLocation;
  /**
   * The provider images the app's protocol serves (built with the protocol handler, before the
   * services): it learns each connection's image origins from the broker's catalogue here.
   */
  images?: Pick<ProviderImages, 'learn' | 'clear'>;
  /** The log folder and how to open it and copy to the clipboard (`shell`, `clipboard`). */
  support: SupportEdges;
  /**
   * How main reaches the broker: Electron's `net.fetch` in the app (system proxy, PAC, OS-trusted
   * CAs; docs/architecture.md#the-company-network), Node's fetch in the e2e host.
   */
  fetch: BrokerFetch;
  /** Opens a URL in the system browser (`shell.openExternal`; the e2e host's browser context). */
  openExternal(url: string): Promise<void>;
  /** Puts text on the clipboard (`clipboard.writeText`; the e2e host's clipboard). */
  writeClipboard(text: string): void;
  /** Sends the sign-in callback URL to the renderer (`webContents.send('auth:callback', url)`). */
  deliverAuthCallback(url: string): void;
  /**
   * The update service, when the app runs packaged with updates on. Without one (development, the
   * e2e host, updates turned off) `app:updateState` answers why updates are off.
   */
  updates?: UpdateControl;
  /** `app.isPackaged`; false unless said otherwise. */
  isPackaged?: boolean;
  brokerTimeoutMs?: number;
  signInTimeoutMs?: number;
  timers?: Timers;
  log?: Pick<Logger, 'info' | 'warn'>;
}

/** The services behind the IPC channels, built from the loaded configuration and the edges given. */
export function createDesktopServices(options: DesktopServicesOptions): DesktopServices {
  const { config } = options.loaded;
  let current = options.loaded;
  const brokerClientFor = (brokerUrl: string) =>
    createBrokerClient({
      brokerUrl,
      fetch: options.fetch,
      ...(options.brokerTimeoutMs !== undefined ? { timeoutMs: options.brokerTimeoutMs } : {}),
    });
  const appInfo = (): AppInfo => ({
    name: options.app.name,
    version: options.app.version,
    config: current.config,
    sources: current.sources,
    tokenStorage: options.tokenStore.storage,
  });
  const signIn = createSignInCoordinator({
    redirectMode: config.redirectMode,
    loopbackPort: config.loopbackPort,
    language: config.language,
    deliverCallback: options.deliverAuthCallback,
    ...(options.signInTimeoutMs !== undefined ? { timeoutMs: options.signInTimeoutMs } : {}),
    ...(options.timers ? { timers: options.timers } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  const views = createViewCache({
    file: options.viewCacheFile
      ? options.tokenStore.companion(options.viewCacheFile)
      : { read: () => ({}), write: () => false },
  });
  const services: DesktopServices = {
    signIn,
    externalOpener: createExternalOpener({
      client: {
        origin: auth0OriginOf(config.auth0Domain),
        clientId: config.clientId,
        audience: config.brokerAudience,
      },
      pendingSignIn: () => signIn.pending(),
      openExternal: options.openExternal,
      ...(options.log ? { log: options.log } : {}),
    }),
    providerPages: createProviderPages({
      openExternal: options.openExternal,
      writeClipboard: options.writeClipboard,
      ...(options.log ? { log: options.log } : {}),
    }),
    images: options.images ?? null,
    tokenStore: options.tokenStore,
    views,
    brokerClient: brokerClientFor(config.brokerUrl),
    appInfo,
    updates: options.updates ?? updatesOff(config, options.isPackaged ?? false),
    support: createSupportDesk({
      ...options.support,
      appInfo,
      loaded: () => current,
      brokerReachability: () => services.brokerClient.reachability(),
    }),
    applyConfig(next) {
      const update = updateLiveConfig(current, next);
      if (update.loaded.config.brokerUrl !== current.config.brokerUrl) {
        services.brokerClient = brokerClientFor(update.loaded.config.brokerUrl);
      }
      current = update.loaded;
      return update;
    },
  };
  // Kept views show at once, before the broker answers: their pages and images go by the origins
  // its catalogue named last time, until its next answer (docs/architecture.md#instant-start).
  const kept = views.keptOrigins();
  if (kept.length > 0) {
    services.providerPages.learn(kept);
    services.images?.learn(kept);
  }
  return services;
}

/** Updates that never run: the state says why, and there is never anything to install. */
function updatesOff(config: LoadedConfig['config'], isPackaged: boolean): UpdateControl {
  // The Electron layer passes a service whenever the app is packaged with updates on, so here
  // updates are either turned off or the app is not packaged.
  const state = disabledUpdateState({ config, isPackaged }) ?? {
    status: 'disabled' as const,
    reason: 'not-packaged' as const,
  };
  return { state: () => state, installAndRestart: () => undefined };
}
