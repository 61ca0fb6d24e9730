import type { RawConfigSource } from './raw-config-source.js';

/**
 * Chromium and Electron switches that contain a secret-sounding word but carry no secret; the app
 * may legitimately be started with them (`--password-store=basic` picks Chromium's key storage on
 * Linux).
 */
const PLATFORM_SWITCHES = new Set(['password-store']);

/**
 * The `--name=value` switches of the command line (`--broker-url=https://…`). A bare `--name` is
 * kept too (with the value `true`) so a secret-named switch is refused even without a value.
 * Positional arguments (a `linkboard://` URL, the app path) are not configuration.
 */
export function commandLineSource(argv: readonly string[]): RawConfigSource {
  const values: Record<string, string | true> = {};
  for (const argument of argv) {
    const match = /^--([^=\s]+)(?:=(.*))?$/s.exec(argument);
    if (!match?.[1]) continue;
    const name = match[1];
    if (PLATFORM_SWITCHES.has(name.toLowerCase())) continue;
    values[name] = match[2] ?? true;
  }
  return { kind: 'command-line', location: 'command line', values };
}
