import { createHmac, hkdfSync } from 'node:crypto';

/**
 * HKDF's `info` for the naming key: a key of its own, derived from a `BROKER_CACHE_KEY` key, so
 * naming never reuses the key that seals (docs/architecture.md#fleet-state).
 */
const NAMING_INFO = 'linkboard broker store names';

/** The key that names values in the store, derived from one 32-byte cache key. */
export function namingKeyOf(cacheKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', cacheKey, Buffer.alloc(0), NAMING_INFO, 32));
}

/**
 * A value's name in the store: its kind in the clear, then HMAC-SHA-256 of the kind and the id
 * (`<namespace>:<base64url digest>`). The same key gives every instance the same name, so the
 * fleet still fetches once per value; who the id is (a user, a user and a connection) is not in
 * it, and cannot be found without the key.
 */
export function storeName(namingKey: Buffer, namespace: string, id: string): string {
  const digest = createHmac('sha256', namingKey).update(`${namespace}\0${id}`).digest('base64url');
  return `${namespace}:${digest}`;
}
