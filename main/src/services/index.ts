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
export {
  CONFIG_REFUSED_EXIT_CODE,
  ConfigRefusal,
  InvalidConfigurationError,
  SecretInConfigurationError,
} from '../config/config-errors.js';
export { auth0OriginOf, BUILT_IN_DEFAULTS } from '../config/config-values.js';
export { environmentSource, DEVELOPMENT_DEFAULTS_VARIABLE } from '../config/environment-source.js';
export { commandLineSource } from '../config/command-line-source.js';
export { readJsonConfigFile, UnreadableConfigurationError } from '../config/json-file-source.js';
export {
  DevStackLine,
  DevelopmentDefaults,
  developmentDefaultsFromDevStack,
  developmentDefaultsSource,
} from '../config/development-defaults.js';
