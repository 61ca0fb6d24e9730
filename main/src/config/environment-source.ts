import { ENVIRONMENT_PREFIX } from './config-keys.js';
import type { RawConfigSource } from './raw-config-source.js';

/**
 * Carries the development stack's public values from `npm start` to the app (see
 * development-defaults.ts); it is not configuration of its own, so the environment source skips it.
 */
export const DEVELOPMENT_DEFAULTS_VARIABLE = 'LINKBOARD_DEV_DEFAULTS';

/**
 * The `LINKBOARD_*` environment variables, with their full names (refusals quote the variable as
 * the user set it). Other variables are not Linkboard's configuration and are not looked at.
 */
export function environmentSource(environment: NodeJS.ProcessEnv): RawConfigSource {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(environment)) {
    if (value === undefined) continue;
    if (!name.toUpperCase().startsWith(ENVIRONMENT_PREFIX)) continue;
    if (name.toUpperCase() === DEVELOPMENT_DEFAULTS_VARIABLE) continue;
    values[name] = value;
  }
  return { kind: 'environment', location: 'environment', values };
}
