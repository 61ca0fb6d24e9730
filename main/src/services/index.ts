/**
 * The desktop app's services, free of Electron: the Electron layer (main/src/electron) and the
 * end-to-end host import them from here and plug in their own edges.
 */
export type { RawConfigSource } from '../config/raw-config-source.js';
export {
  loadConfig,
  resolveConfigSources,
  type ConfigLoadResult,
  type ConfigResolveResult,
  type LoadConfigOptions,
  type LoadedConfig,
  type ResolvedConfig,
} from '../config/load-config.js';
export { CONFIG_REFUSED_EXIT_CODE, ConfigRefusal } from '../errors/config-refusal.js';
export { InvalidConfigurationError, SecretInConfigurationError } from '../config/config-errors.js';
export { auth0OriginOf, BUILT_IN_DEFAULTS, REQUIRED_KEYS } from '../config/config-values.js';
export {
  CONFIG_KEYS,
  ENVIRONMENT_PREFIX,
  matchConfigKey,
  normaliseKey,
} from '../config/config-keys.js';
export { namesSecret, SECRET_KEY_WORDS } from '../config/secret-keys.js';
export {
  loadStartupConfig,
  type StartupConfig,
  type StartupConfigOptions,
} from '../config/startup-config.js';
export { environmentSource, DEVELOPMENT_DEFAULTS_VARIABLE } from '../config/environment-source.js';
export { commandLineSource } from '../config/command-line-source.js';
export { readJsonConfigFile, UnreadableConfigurationError } from '../config/json-file-source.js';
export { DevelopmentDefaults, developmentDefaultsSource } from '../config/development-defaults.js';

// IPC: the registry every message goes through, and the one wiring of all channels.
export {
  createIpcRegistry,
  type IpcHandler,
  type IpcHandlers,
  type IpcMessage,
  type IpcRegistry,
  type IpcRegistryOptions,
} from '../ipc/ipc-registry.js';
export { originOf, type IpcSender } from '../ipc/ipc-sender.js';
export { DesktopError, type DesktopErrorCode } from '../errors/desktop-error.js';
export { ipcHandlers } from '../ipc/ipc-handlers.js';
export {
  createDesktopServices,
  type DesktopServices,
  type DesktopServicesOptions,
} from './desktop-services.js';
export type { UpdateControl } from '../updates/update-control.js';

// Sign-in: redirect listener (loopback), custom-scheme callbacks, the external opener.
export {
  listenForLoopbackCallback,
  SIGN_IN_TIMEOUT_MS,
  type CallbackOutcome,
  type LoopbackListenerOptions,
  type LoopbackWait,
  type Timers,
} from '../auth/loopback-redirect-listener.js';
export {
  findCustomSchemeCallback,
  parseCustomSchemeCallback,
} from '../auth/custom-scheme-callback.js';
export {
  createSignInCoordinator,
  type SignInCoordinator,
  type SignInCoordinatorOptions,
} from '../auth/sign-in-coordinator.js';
export {
  createExternalOpener,
  externalUrlProblem,
  EXTERNAL_PATHS,
  type ExternalOpener,
  type ExternalOpenerOptions,
} from '../auth/external-opener.js';

// Token store: keychain-keyed encrypted file, or memory.
export {
  createTokenStore,
  KEYCHAIN_ACCOUNT,
  KEYCHAIN_SERVICE,
  type TokenStorage,
  type TokenStore,
  type TokenStoreOptions,
} from '../tokens/token-store.js';
export type { Keychain } from '../tokens/keychain.js';
export {
  confEntryFileLocation,
  type EncryptedEntryFile,
  type EncryptedEntryFileLocation,
  type EntryStore,
  type EntryStoreOptions,
} from '../tokens/encrypted-entry-file.js';

// Broker client.
export {
  createBrokerClient,
  type BrokerClient,
  type BrokerClientOptions,
} from '../broker/broker-client.js';
export { nextPageFromLink } from '../broker/next-page.js';

// The renderer, served with the same handler and headers by app:// and the e2e host.
export {
  createRendererHandler,
  type RendererHandler,
  type RendererHandlerOptions,
  type RendererResponse,
} from '../renderer-protocol/renderer-handler.js';
export { rendererContentSecurityPolicy } from '../renderer-protocol/content-security-policy.js';
