/**
 * What the end-to-end host (e2e/host) and the npm scripts (scripts/) take from the desktop app's
 * services, free of Electron, and nothing more: main's own modules import each other directly.
 */

// The wiring the Electron layer runs, for the end-to-end host to run too.
export { createDesktopApp, type DesktopApp, type DesktopAppOptions } from './desktop-app.js';
export type { IpcSender } from '../ipc/ipc-sender.js';

// Configuration: the sources, the loader and its refusals (the host, `config:check`, `npm start`).
export type { RawConfigSource } from '../config/raw-config-source.js';
export { loadConfig, resolveConfigSources, type LoadedConfig } from '../config/load-config.js';
export { CONFIG_REFUSED_EXIT_CODE, ConfigRefusal } from '../errors/config-refusal.js';
export { auth0OriginOf } from '../config/config-values.js';
export { environmentSource, DEVELOPMENT_DEFAULTS_VARIABLE } from '../config/environment-source.js';
export { commandLineSource } from '../config/command-line-source.js';
export { readJsonConfigFile } from '../config/json-file-source.js';

// Token store: the host opens the same file and keychain entry across restarts.
export { createTokenStore, KEYCHAIN_ACCOUNT, type TokenStore } from '../tokens/token-store.js';
export type { Keychain } from '../tokens/keychain.js';
export { confEntryFileLocation } from '../tokens/encrypted-entry-file.js';

// The renderer, served with the same handler and headers by app:// and the e2e host.
export { createRendererHandler } from '../renderer-protocol/renderer-handler.js';
export { rendererContentSecurityPolicy } from '../renderer-protocol/content-security-policy.js';

// Provider images: the host serves them with the same handler and keeps them the same way.
export { createProviderImages, type ProviderImages } from '../images/provider-images.js';
export { createImageCache } from '../images/image-cache.js';
export type { BrokerFetch } from '../broker/broker-client.js';
