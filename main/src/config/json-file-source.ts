import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
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

/** Settings are a handful of short values; anything larger is not a settings file. */
export const MAX_CONFIG_FILE_BYTES = 256 * 1024;

/**
 * The file's text, read only if it is a regular file of at most MAX_CONFIG_FILE_BYTES: a FIFO, a
 * device (a link to `/dev/zero`), a directory or a socket is refused before a byte is read, and
 * the type is taken from the opened file itself, so it cannot change between the check and the
 * read. Opened non-blocking, so a FIFO without a writer cannot hang the start. Null when there is
 * no such file.
 */
async function readSmallRegularFile(path: string): Promise<string | null> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UnreadableConfigurationError(path, 'cannot be read');
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new UnreadableConfigurationError(path, 'is not a regular file');
    if (stat.size > MAX_CONFIG_FILE_BYTES) {
      throw new UnreadableConfigurationError(path, `is larger than ${MAX_CONFIG_FILE_BYTES} bytes`);
    }
    // One byte more than allowed tells a file that grew after the check.
    const buffer = Buffer.alloc(MAX_CONFIG_FILE_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > MAX_CONFIG_FILE_BYTES) {
      throw new UnreadableConfigurationError(path, `is larger than ${MAX_CONFIG_FILE_BYTES} bytes`);
    }
    return buffer.subarray(0, bytesRead).toString('utf8');
  } catch (error) {
    if (error instanceof UnreadableConfigurationError) throw error;
    throw new UnreadableConfigurationError(path, 'cannot be read');
  } finally {
    await handle.close();
  }
}

/**
 * A key that one object of the JSON text sets twice, or null. `JSON.parse` keeps the last one, so
 * a duplicate could hide whatever the first one held (a secret-named key nested in it): such a
 * file says two things and is refused.
 */
function duplicatedKey(text: string): string | null {
  // `text` is valid JSON (JSON.parse accepted it): one linear pass over its strings and brackets.
  const containers: Array<Set<string> | null> = [];
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (char === '{') containers.push(new Set());
    else if (char === '[') containers.push(null);
    else if (char === '}' || char === ']') containers.pop();
    else if (char === '"') {
      let end = index + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const string = JSON.parse(text.slice(index, end + 1)) as string;
      index = end;
      let next = end + 1;
      while (/\s/.test(text[next] ?? '')) next += 1;
      const keys = containers[containers.length - 1];
      if (text[next] === ':' && keys) {
        if (keys.has(string)) return string;
        keys.add(string);
      }
    }
  }
  return null;
}

/**
 * Reads a JSON object of configuration values (user settings, or a policy file handed to
 * `config:check`). A missing file is no source (null); a file that is not a regular file, is too
 * large, sets a key twice or is not a JSON object is refused.
 */
export async function readJsonConfigFile(
  path: string,
  kind: ConfigSource,
): Promise<RawConfigSource | null> {
  const text = await readSmallRegularFile(path);
  if (text === null) return null;
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch {
    throw new UnreadableConfigurationError(path, 'is not valid JSON');
  }
  if (values === null || typeof values !== 'object' || Array.isArray(values)) {
    throw new UnreadableConfigurationError(path, 'does not hold a JSON object of settings');
  }
  const duplicate = duplicatedKey(text);
  if (duplicate !== null) {
    throw new UnreadableConfigurationError(path, `sets "${duplicate}" more than once`);
  }
  return { kind, location: path, values: values as Record<string, unknown> };
}
