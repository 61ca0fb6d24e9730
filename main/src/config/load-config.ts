import type { ConfigSource, PublicConfig, PublicConfigKey } from '@linkboard/contract';
import { CONFIG_KEYS, ENVIRONMENT_PREFIX, matchConfigKey } from './config-keys.js';
import type { ConfigRefusal } from '../errors/config-refusal.js';
import {
  type ConfigProblem,
  InvalidConfigurationError,
  SecretInConfigurationError,
} from './config-errors.js';
import { BUILT_IN_DEFAULTS, REQUIRED_KEYS, configValueSchemas } from './config-values.js';
import type { RawConfigSource } from './raw-config-source.js';
import { keyRefusal, type KeyRefusal } from './secret-keys.js';

/**
 * Strength of each kind of source, strongest first (issue 4): managed policy, user settings,
 * environment and command line, built-in defaults. The command line has the environment's strength
 * against the others; when both set the same key the command line wins, being the more deliberate
 * of the two. Several sources of one kind: the first listed wins.
 */
const STRENGTH: Record<ConfigSource, number> = {
  policy: 0,
  user: 1,
  'command-line': 2,
  environment: 2.5,
  default: 3,
};

export interface LoadedConfig {
  config: PublicConfig;
  /** The kind of source each key came from (`policy` keys are "managed by your organisation"). */
  sources: Record<PublicConfigKey, ConfigSource>;
  /** Where each key came from, as the source names itself. */
  locations: Record<PublicConfigKey, string>;
  /** Keys that are neither configuration nor secrets, ignored (and worth a warning). */
  ignoredKeys: Array<{ location: string; key: string }>;
}

export type ConfigLoadResult =
  { ok: true; value: LoadedConfig } | { ok: false; error: ConfigRefusal };

/** What the sources set, before the check that every required key is there. */
export interface ResolvedConfig extends Omit<LoadedConfig, 'config' | 'sources' | 'locations'> {
  config: Partial<PublicConfig>;
  sources: Partial<Record<PublicConfigKey, ConfigSource>>;
  locations: Partial<Record<PublicConfigKey, string>>;
  /** Required keys no source sets. */
  missing: PublicConfigKey[];
}

export type ConfigResolveResult =
  { ok: true; value: ResolvedConfig } | { ok: false; error: ConfigRefusal };

export interface LoadConfigOptions {
  /** Development builds accept loopback `http` for the broker, the Auth0 domain and the update feed. */
  isDevelopment: boolean;
}

const BUILT_IN_SOURCE: RawConfigSource = {
  kind: 'default',
  location: 'built-in defaults',
  values: BUILT_IN_DEFAULTS,
};

/**
 * The first key anywhere in `values` (nested objects and arrays included, at any depth) that names
 * a secret or cannot be read safely. Walked with an explicit stack, in document order, so no
 * nesting is too deep to look at; an object met twice is looked at once.
 */
function findRefusedKey(values: unknown): { key: string; refusal: KeyRefusal } | null {
  const seen = new Set<object>();
  const stack: Array<{ entries: Iterator<[string, unknown]>; isArray: boolean }> = [];
  const enter = (value: unknown) => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    stack.push({
      entries: Object.entries(value)[Symbol.iterator](),
      isArray: Array.isArray(value),
    });
  };
  enter(values);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const next = top.entries.next();
    if (next.done) {
      stack.pop();
      continue;
    }
    const [key, value] = next.value;
    const refusal = top.isArray ? null : keyRefusal(key);
    if (refusal) return { key, refusal };
    enter(value);
  }
  return null;
}

function sourceKeyName(source: RawConfigSource, key: string): string {
  return source.kind === 'environment' && key.toUpperCase().startsWith(ENVIRONMENT_PREFIX)
    ? key.slice(ENVIRONMENT_PREFIX.length)
    : key;
}

/**
 * Merges configuration sources into the public configuration, or refuses them. A key naming a
 * secret in any source refuses the whole configuration before anything else is looked at
 * (docs/architecture.md#security-rules, rule 1); then each key takes its value from the strongest source that sets
 * it, the values must pass their schema, and every required key must be set.
 */
export function loadConfig(
  sources: readonly RawConfigSource[],
  options: LoadConfigOptions,
): ConfigLoadResult {
  const resolved = resolveConfigSources(sources, options);
  if (!resolved.ok) return resolved;
  const { missing, ...value } = resolved.value;
  if (missing.length > 0) {
    return {
      ok: false,
      error: new InvalidConfigurationError(
        missing.map((key) => ({
          key,
          reason:
            'is not set in any source (managed policy, user settings, environment or command line)',
        })),
      ),
    };
  }
  return { ok: true, value: value as LoadedConfig };
}

/**
 * The checks of `loadConfig` without the one for missing keys: what `config:check` runs on a
 * policy file that leaves some keys to user settings or the environment.
 */
export function resolveConfigSources(
  sources: readonly RawConfigSource[],
  options: LoadConfigOptions,
): ConfigResolveResult {
  for (const source of sources) {
    const refused = findRefusedKey(source.values);
    if (refused !== null) {
      return {
        ok: false,
        error: new SecretInConfigurationError(
          source.kind,
          source.location,
          refused.key,
          refused.refusal,
        ),
      };
    }
  }

  const ordered = [...sources, BUILT_IN_SOURCE]
    .map((source, index) => ({ source, index }))
    .sort((a, b) => STRENGTH[a.source.kind] - STRENGTH[b.source.kind] || a.index - b.index)
    .map(({ source }) => source);

  const schemas = configValueSchemas(options.isDevelopment);
  const config: Partial<Record<PublicConfigKey, unknown>> = {};
  const kinds: Partial<Record<PublicConfigKey, ConfigSource>> = {};
  const locations: Partial<Record<PublicConfigKey, string>> = {};
  const ignoredKeys: LoadedConfig['ignoredKeys'] = [];
  const problems: ConfigProblem[] = [];

  for (const source of ordered) {
    for (const [rawKey, rawValue] of Object.entries(source.values)) {
      const key = matchConfigKey(sourceKeyName(source, rawKey));
      if (key === null) {
        if (source !== BUILT_IN_SOURCE)
          ignoredKeys.push({ location: source.location, key: rawKey });
        continue;
      }
      // Empty values count as "not set here", so a blank registry value defers to weaker sources.
      if (rawValue === undefined || rawValue === null || rawValue === '' || key in kinds) continue;
      const parsed = schemas[key].safeParse(rawValue);
      kinds[key] = source.kind;
      locations[key] = source.location;
      if (parsed.success) {
        config[key] = parsed.data;
      } else {
        problems.push({
          key,
          source: { kind: source.kind, location: source.location },
          reason: `must be ${parsed.error.issues.map((issue) => issue.message).join('; ')}`,
        });
      }
    }
  }

  const missing: PublicConfigKey[] = [];
  for (const key of CONFIG_KEYS) {
    if (key in kinds) continue;
    if ((REQUIRED_KEYS as readonly string[]).includes(key)) {
      missing.push(key);
    } else {
      // Keys whose built-in default is null.
      config[key] = null;
      kinds[key] = 'default';
      locations[key] = BUILT_IN_SOURCE.location;
    }
  }

  if (problems.length > 0) return { ok: false, error: new InvalidConfigurationError(problems) };

  return {
    ok: true,
    value: {
      config: config as Partial<PublicConfig>,
      sources: kinds,
      locations,
      ignoredKeys,
      missing,
    },
  };
}
