import { randomBytes } from 'node:crypto';
import { AesGcmSealer, parseCacheKeys } from '../../src/cache/value-sealer.js';

/** A fresh `BROKER_CACHE_KEY` value: one random 32-byte key in base64. */
export function newCacheKey(): string {
  return randomBytes(32).toString('base64');
}

/** A sealer over `BROKER_CACHE_KEY` text (a new random key by default). */
export function sealerFor(keys = newCacheKey()): AesGcmSealer {
  const parsed = parseCacheKeys(keys);
  if (typeof parsed === 'string') throw new Error(parsed);
  return new AesGcmSealer(parsed);
}
