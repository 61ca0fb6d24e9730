import type { ConfigSource, PublicConfigKey } from '@linkboard/contract';
import { ConfigRefusal } from '../errors/config-refusal.js';

const sourceNames: Record<ConfigSource, string> = {
  policy: 'managed policy',
  user: 'user settings',
  environment: 'environment',
  'command-line': 'command line',
  default: 'built-in defaults',
};

/**
 * A source carries a key that names a secret (docs/architecture.md#security-rules, rule 1), or one
 * spelled so that what it names cannot be told (`unreadable`): refused either way, never ignored.
 */
export class SecretInConfigurationError extends ConfigRefusal {
  readonly code = 'secret_in_configuration';

  constructor(
    readonly source: ConfigSource,
    readonly location: string,
    readonly key: string,
    readonly refusal: 'secret' | 'unreadable' = 'secret',
  ) {
    super(
      `Linkboard will not start: the ${sourceNames[source]} (${location}) sets "${key}", ` +
        (refusal === 'secret'
          ? 'which names a secret. '
          : "a key spelled with characters Linkboard cannot tell apart from a secret's name. ") +
        'Linkboard is a public client and keeps no secret on this computer: client secrets, ' +
        'machine-to-machine credentials, private keys, passwords and tokens belong on the broker, ' +
        `which is the only part that holds them. Remove "${key}" from the ${sourceNames[source]} and start Linkboard again.`,
    );
    this.name = 'SecretInConfigurationError';
  }
}

export interface ConfigProblem {
  key: PublicConfigKey;
  /** Where the refused value came from; absent when the key is missing everywhere. */
  source?: { kind: ConfigSource; location: string };
  reason: string;
}

/** Required keys are missing or values do not pass the schema. */
export class InvalidConfigurationError extends ConfigRefusal {
  readonly code = 'invalid_configuration';

  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      'Linkboard will not start: its configuration is incomplete or invalid.\n' +
        problems
          .map(
            (problem) =>
              `- ${problem.key}: ${problem.reason}` +
              (problem.source
                ? ` (from the ${sourceNames[problem.source.kind]}, ${problem.source.location})`
                : ''),
          )
          .join('\n') +
        '\nSet each missing key (managed policy, user settings, environment or command line) and ' +
        'correct each refused value where it came from, then start Linkboard again.',
    );
    this.name = 'InvalidConfigurationError';
  }
}
