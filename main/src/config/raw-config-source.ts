import type { ConfigSource } from '@linkboard/contract';

/**
 * One place configuration comes from, as read, before any validation: the managed policy (Windows
 * registry, macOS managed preferences, `/etc/linkboard/policy.json`), the user's settings file, the
 * environment, the command line, or the built-in development defaults.
 *
 * `values` keeps the source's own key names (`Auth0Domain`, `LINKBOARD_BROKER_URL`, `broker-url`…):
 * the loader matches them case- and separator-insensitively. `location` says where the values were
 * read, in words an IT department recognises (`HKLM\SOFTWARE\Policies\Linkboard`,
 * `/etc/linkboard/policy.json`, `environment`, `command line`), because refusals quote it.
 */
export interface RawConfigSource {
  kind: ConfigSource;
  location: string;
  values: Record<string, unknown>;
}
