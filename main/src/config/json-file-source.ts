import { readFile } from 'node:fs/promises';
import type { ConfigSource } from '@linkboard/contract';
import { ConfigRefusal } from '../errors/config-refusal.js';
import type { RawConfigSource } from './raw-config-source.js';

/** A configuration file that exists but is not a JSON object. */
export class UnreadableConfigurationError extends ConfigRefusal {
  readonly code = 'invalid_configuration';

  constructor(
    readonly location: string,
    reason: string,
  ) {
    super(`Linkboard will not start: the configuration file ${location} ${reason}.`);
    this.name = 'UnreadableConfigurationError';
  }
}

/**
 * Reads a JSON object of configuration values (user settings, or a policy file handed to
 * `config:check`). A missing file is no source (null); a file that is not a JSON object is refused.
 */
export async function readJsonConfigFile(
  path: string,
  kind: ConfigSource,
): Promise<RawConfigSource | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UnreadableConfigurationError(path, 'cannot be read');
  }
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch {
    throw new UnreadableConfigurationError(path, 'is not valid JSON');
  }
  if (values === null || typeof values !== 'object' || Array.isArray(values)) {
    throw new UnreadableConfigurationError(path, 'does not hold a JSON object of settings');
  }
  return { kind, location: path, values: values as Record<string, unknown> };
}
