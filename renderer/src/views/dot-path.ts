/**
 * Reads `owner.login` or `start.dateTime` from an item. An empty path is the value itself; a
 * missing step gives `undefined`. Only own properties are read, so `__proto__` or `constructor`
 * in a catalogue path reach nothing.
 */
export function readDotPath(value: unknown, path: string): unknown {
  if (path === '') return value;
  let current: unknown = value;
  for (const step of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, step)) return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

/** The first of `key`, then each fallback key, that has a value. */
export function readFirstPresent(value: unknown, keys: readonly string[]): unknown {
  for (const key of keys) {
    const found = readDotPath(value, key);
    if (found !== undefined && found !== null && found !== '') return found;
  }
  return undefined;
}
