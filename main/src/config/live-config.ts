import type { PublicConfigKey } from '@linkboard/contract';
import { CONFIG_KEYS } from './config-keys.js';
import type { LoadedConfig } from './load-config.js';

/**
 * Keys a running app takes over when the configuration is loaded again (a policy change): the
 * broker's address and the proxy, used from the next request on. The others shaped what was built
 * at start — the window's CSP and the renderer's sign-in client (auth0Domain, clientId,
 * brokerAudience, redirectMode, loopbackPort) and the update service — so they apply at the next
 * start (docs/architecture.md#managed-policy-changes).
 */
export const LIVE_CONFIG_KEYS = ['brokerUrl', 'proxyUrl'] as const satisfies PublicConfigKey[];

export interface ConfigUpdate {
  /** What the app runs with now: the live keys from `next`, the rest as before. */
  loaded: LoadedConfig;
  /** Live keys whose value or source changed. */
  applied: PublicConfigKey[];
  /** Other keys whose value or source changed: they wait for a restart. */
  atNextStart: PublicConfigKey[];
}

function differs(a: LoadedConfig, b: LoadedConfig, key: PublicConfigKey): boolean {
  return a.config[key] !== b.config[key] || a.sources[key] !== b.sources[key];
}

export function updateLiveConfig(current: LoadedConfig, next: LoadedConfig): ConfigUpdate {
  const live = new Set<PublicConfigKey>(LIVE_CONFIG_KEYS);
  const loaded: LoadedConfig = {
    config: { ...current.config },
    sources: { ...current.sources },
    locations: { ...current.locations },
    ignoredKeys: next.ignoredKeys,
  };
  for (const key of LIVE_CONFIG_KEYS) {
    (loaded.config as Record<PublicConfigKey, unknown>)[key] = next.config[key];
    loaded.sources[key] = next.sources[key];
    loaded.locations[key] = next.locations[key];
  }
  const changed = CONFIG_KEYS.filter((key) => differs(current, next, key));
  return {
    loaded,
    applied: changed.filter((key) => live.has(key)),
    atNextStart: changed.filter((key) => !live.has(key)),
  };
}
