import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Keychain } from '../../src/tokens/keychain.js';

/** A refresh token shaped like the real thing, unique per run, to look for on disk. */
export function fakeRefreshToken(): string {
  return `v1.rt.${crypto.randomUUID()}${crypto.randomUUID()}`.replace(/-/g, '');
}

/** An auth0-spa-js cache entry as the SDK stores it. */
export function cacheEntry(refreshToken: string) {
  return {
    body: {
      access_token: 'eyJhbGciOiJSUzI1NiJ9.access.signature',
      refresh_token: refreshToken,
      expires_in: 86400,
      scope: 'openid profile email offline_access read:linked_accounts',
      client_id: 'desktop',
      audience: 'https://broker.linkboard.example/',
    },
    expiresAt: 1_900_000_000,
  };
}

export const CACHE_KEY =
  '@@auth0spajs@@::desktop::https://broker.linkboard.example/::openid profile email offline_access read:linked_accounts';

export function temporaryDirectory(): { path: string; remove(): void; readAll(): string } {
  const path = mkdtempSync(join(tmpdir(), 'linkboard-tokens-'));
  return {
    path,
    remove: () => rmSync(path, { recursive: true, force: true }),
    readAll: () =>
      readdirSync(path)
        .map((name) => readFileSync(join(path, name)).toString('latin1'))
        .join('\n'),
  };
}

/** A keychain kept in a Map (the real one is exercised in token-store.keychain.test.ts). */
export function mapKeychain(): Keychain & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    getPassword: async (service, account) => entries.get(`${service}/${account}`) ?? null,
    setPassword: async (service, account, password) => {
      entries.set(`${service}/${account}`, password);
    },
    deletePassword: async (service, account) => entries.delete(`${service}/${account}`),
  };
}
