import type { PublicConfigKey } from '@linkboard/contract';

/** Every configuration key, in the order the settings screen lists them. */
export const CONFIG_KEYS = [
  'auth0Domain',
  'clientId',
  'brokerAudience',
  'brokerUrl',
  'redirectMode',
  'loopbackPort',
  'updateFeedUrl',
  'updatesEnabled',
  'updateChannel',
  'proxyUrl',
  'language',
] as const satisfies readonly PublicConfigKey[];

/** Environment variables carry this prefix: `LINKBOARD_AUTH0_DOMAIN`, `LINKBOARD_BROKER_URL`… */
export const ENVIRONMENT_PREFIX = 'LINKBOARD_';

/**
 * The comparable form of a key: lower case without `_`, `-`, `.` or spaces, so `Auth0Domain`,
 * `auth0_domain`, `AUTH0-DOMAIN` and `auth0.domain` are one key.
 */
export function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[_\-.\s]/g, '');
}

const keysByNormalisedName = new Map<string, PublicConfigKey>(
  CONFIG_KEYS.map((key) => [normaliseKey(key), key]),
);

/** The configuration key a source's key names, or null when it names none of ours. */
export function matchConfigKey(sourceKey: string): PublicConfigKey | null {
  return keysByNormalisedName.get(normaliseKey(sourceKey)) ?? null;
}
