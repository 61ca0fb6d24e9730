import { ConfigRefusal } from '../errors/config-refusal.js';
import { commandLineSource } from './command-line-source.js';
import { DevelopmentDefaults, developmentDefaultsSource } from './development-defaults.js';
import { DEVELOPMENT_DEFAULTS_VARIABLE, environmentSource } from './environment-source.js';
import { readJsonConfigFile, UnreadableConfigurationError } from './json-file-source.js';
import { loadConfig, type LoadedConfig } from './load-config.js';
import type { RawConfigSource } from './raw-config-source.js';

export interface StartupConfigOptions {
  /** The managed policy reader for this OS (main/src/policy), resolving null when there is none. */
  readPolicy(): Promise<RawConfigSource | null>;
  /** The user's settings file (`{userData}/settings.json`). */
  userSettingsFile: string;
  environment: NodeJS.ProcessEnv;
  argv: readonly string[];
  /** Development builds (`!app.isPackaged`): loopback http allowed, development defaults read. */
  isDevelopment: boolean;
}

export type StartupConfig =
  { ok: true; loaded: LoadedConfig } | { ok: false; message: string; exitCode: number };

function developmentDefaults(environment: NodeJS.ProcessEnv): RawConfigSource | null {
  const raw = environment[DEVELOPMENT_DEFAULTS_VARIABLE];
  if (!raw) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new UnreadableConfigurationError(DEVELOPMENT_DEFAULTS_VARIABLE, 'is not valid JSON');
  }
  const defaults = DevelopmentDefaults.safeParse(parsed);
  if (!defaults.success) {
    // Checked for secret-named keys first, so a stray secret is refused by name, not dropped.
    if (parsed && typeof parsed === 'object') {
      return {
        kind: 'default',
        location: DEVELOPMENT_DEFAULTS_VARIABLE,
        values: parsed as Record<string, unknown>,
      };
    }
    throw new UnreadableConfigurationError(
      DEVELOPMENT_DEFAULTS_VARIABLE,
      'does not hold the development defaults',
    );
  }
  return developmentDefaultsSource(defaults.data);
}

/**
 * Everything the app reads its configuration from at start, strongest first, and the verdict:
 * the loaded configuration, or the message and exit code (`CONFIG_REFUSED_EXIT_CODE`) the Electron
 * layer shows in a dialog
 * before any window opens.
 */
export async function loadStartupConfig(options: StartupConfigOptions): Promise<StartupConfig> {
  try {
    const sources: RawConfigSource[] = [];
    const policy = await options.readPolicy();
    if (policy) sources.push(policy);
    const user = await readJsonConfigFile(options.userSettingsFile, 'user');
    if (user) sources.push(user);
    sources.push(commandLineSource(options.argv));
    sources.push(environmentSource(options.environment));
    if (options.isDevelopment) {
      const defaults = developmentDefaults(options.environment);
      if (defaults) sources.push(defaults);
    }
    const result = loadConfig(sources, { isDevelopment: options.isDevelopment });
    if (!result.ok)
      return { ok: false, message: result.error.message, exitCode: result.error.exitCode };
    return { ok: true, loaded: result.value };
  } catch (error) {
    // Every refusal, the managed policy's included, is a ConfigRefusal; anything else is a bug.
    if (error instanceof ConfigRefusal) {
      return { ok: false, message: error.message, exitCode: error.exitCode };
    }
    throw error;
  }
}
