import type { ICache } from '@auth0/auth0-spa-js';
import type { LinkboardClient } from '../api/linkboard-client';

/**
 * auth0-spa-js's token cache, kept by main (an encrypted file whose key is in the OS keychain, or
 * memory when there is no keychain). Nothing the SDK caches lands in this page's storage.
 * Failures are thrown: the SDK then fails the call that needed the cache, and the session shows why.
 */
export class IpcCache implements ICache {
  constructor(private readonly cache: LinkboardClient['cache']) {}

  async get<T>(key: string): Promise<T | undefined> {
    const { value } = await this.cache.get({ key });
    return value === null || value === undefined ? undefined : (value as T);
  }

  async set<T>(key: string, entry: T): Promise<void> {
    await this.cache.set({ key, value: entry });
  }

  async remove(key: string): Promise<void> {
    await this.cache.remove({ key });
  }

  async allKeys(): Promise<string[]> {
    return (await this.cache.allKeys()).keys;
  }
}

/** Prefix of every key auth0-spa-js writes (`@@auth0spajs@@::clientId::audience::scope`). */
export const AUTH0_CACHE_KEY_PREFIX = '@@auth0spajs@@';
