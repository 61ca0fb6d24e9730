/**
 * `EX_CONFIG` from sysexits.h: the app and `config:check` exit with it whenever the configuration
 * is refused, whatever refused it.
 */
export const CONFIG_REFUSED_EXIT_CODE = 78;

/**
 * A configuration the app refuses to start with: a source that names a secret, values that are
 * missing or invalid, a file that cannot be read, a managed policy that cannot be trusted. Main
 * shows the message and exits with `exitCode` before any window opens. Messages name sources and
 * keys, never values.
 */
export abstract class ConfigRefusal extends Error {
  abstract readonly code:
    'secret_in_configuration' | 'invalid_configuration' | 'managed_policy_refused';
  readonly exitCode = CONFIG_REFUSED_EXIT_CODE;
}
