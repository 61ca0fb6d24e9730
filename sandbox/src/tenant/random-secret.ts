import { randomBytes } from 'node:crypto';

/** A fresh random secret or opaque token, base64url, from `bytes` random bytes. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
