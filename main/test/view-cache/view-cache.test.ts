import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { confEntryFileLocation } from '../../src/tokens/encrypted-entry-file.js';
import { createTokenStore } from '../../src/tokens/token-store.js';
import {
  createViewCache,
  MAX_CACHE_BYTES,
  MAX_VIEW_BYTES,
} from '../../src/view-cache/view-cache.js';
import {
  CACHE_KEY,
  cacheEntry,
  fakeRefreshToken,
  mapKeychain,
  temporaryDirectory,
} from '../tokens/token-store-fixtures.js';

// The kept views on real files (conf, AES-256-GCM) with the token store's key from a keychain.

const directories: Array<ReturnType<typeof temporaryDirectory>> = [];
afterEach(() => directories.splice(0).forEach((directory) => directory.remove()));

/** Provider data that must never be readable on disk without the key. */
const REPOSITORY = `alice-example/secret-plans-${crypto.randomUUID()}`;

async function signedIn(keychain = mapKeychain(), directory = temporaryDirectory()) {
  directories.push(directory);
  const tokenStore = await createTokenStore({
    keychain,
    file: confEntryFileLocation({ directory: directory.path }),
  });
  const viewFile = confEntryFileLocation({ directory: directory.path, name: 'view-cache' });
  const views = createViewCache({ file: tokenStore.companion(viewFile) });
  return { keychain, directory, tokenStore, views, viewFile };
}

describe('kept views', () => {
  it('are encrypted on disk with the token store key and read back at the next start', async () => {
    const first = await signedIn();
    await first.tokenStore.set(CACHE_KEY, cacheEntry(fakeRefreshToken()));
    first.views.set('auth0|alice', 'github/repositories', { items: [{ full_name: REPOSITORY }] });
    expect(readdirSync(first.directory.path).sort()).toEqual([
      'token-store.json',
      'view-cache.json',
    ]);
    expect(first.directory.readAll()).not.toContain('secret-plans');

    const next = await signedIn(first.keychain, first.directory);
    expect(next.views.get('auth0|alice', 'github/repositories')).toMatchObject({
      data: { items: [{ full_name: REPOSITORY }] },
    });
    expect(next.views.get('auth0|bob', 'github/repositories')).toBeNull();
  });

  it('keep nothing before there is a key (signed out)', async () => {
    const { views, directory } = await signedIn();
    views.set('auth0|alice', 'accounts', { identities: [REPOSITORY] });
    expect(views.get('auth0|alice', 'accounts')).toBeNull();
    expect(readdirSync(directory.path)).toEqual([]);
  });

  it('are gone after sign-out: no file, no key, nothing of the data anywhere on disk', async () => {
    const { tokenStore, views, directory, keychain } = await signedIn();
    await tokenStore.set(CACHE_KEY, cacheEntry(fakeRefreshToken()));
    views.set('auth0|alice', 'github/repositories', { items: [{ full_name: REPOSITORY }] });
    await tokenStore.clear();
    expect(readdirSync(directory.path)).toEqual([]);
    expect(keychain.entries.size).toBe(0);
    expect(views.get('auth0|alice', 'github/repositories')).toBeNull();
    // Signing in again gives a new key and an empty cache.
    await tokenStore.set(CACHE_KEY, cacheEntry(fakeRefreshToken()));
    expect(views.get('auth0|alice', 'github/repositories')).toBeNull();
  });

  it('are dropped when the key in the keychain is gone', async () => {
    const first = await signedIn();
    await first.tokenStore.set(CACHE_KEY, cacheEntry(fakeRefreshToken()));
    first.views.set('auth0|alice', 'accounts', { identities: [] });
    first.keychain.entries.clear();
    const next = await signedIn(first.keychain, first.directory);
    expect(readdirSync(first.directory.path)).toEqual([]);
    expect(next.views.get('auth0|alice', 'accounts')).toBeNull();
  });

  it('belong to one user: another user’s first write drops the last user’s views', async () => {
    const { tokenStore, views, directory } = await signedIn();
    await tokenStore.set(CACHE_KEY, cacheEntry(fakeRefreshToken()));
    views.set('auth0|alice', 'github/repositories', { items: [{ full_name: REPOSITORY }] });
    views.set('auth0|bob', 'accounts', { identities: [] });
    expect(views.get('auth0|alice', 'github/repositories')).toBeNull();
    expect(views.get('auth0|bob', 'accounts')).toMatchObject({ data: { identities: [] } });
    const next = await signedIn(undefined, directory);
    expect(next.views.get('auth0|alice', 'github/repositories')).toBeNull();
  });

  it('refuse one view over the bound and keep the whole within its bound, oldest out first', async () => {
    const { tokenStore, views } = await signedIn();
    await tokenStore.set(CACHE_KEY, cacheEntry(fakeRefreshToken()));
    expect(() => views.set('auth0|alice', 'big', 'x'.repeat(MAX_VIEW_BYTES))).toThrow(/too large/);
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const other = temporaryDirectory();
    directories.push(other);
    const timed = createViewCache({
      file: tokenStore.companion(confEntryFileLocation({ directory: other.path, name: 'v' })),
      now: () => new Date((clock += 1000)),
    });
    const chunk = 'y'.repeat(MAX_VIEW_BYTES - 100);
    const count = Math.ceil(MAX_CACHE_BYTES / MAX_VIEW_BYTES) + 2;
    for (let index = 0; index < count; index += 1) timed.set('auth0|alice', `view-${index}`, chunk);
    expect(timed.get('auth0|alice', 'view-0')).toBeNull();
    expect(timed.get('auth0|alice', `view-${count - 1}`)).toMatchObject({ data: chunk });
  });
});

describe('kept catalogue origins', () => {
  const GITHUB = {
    connection: 'github',
    webOrigins: ['https://github.com'],
    imageOrigins: ['https://avatars.githubusercontent.com'],
  };

  it('are kept for the next start, across users, and gone at sign-out', async () => {
    const first = await signedIn();
    await first.tokenStore.set(CACHE_KEY, cacheEntry(fakeRefreshToken()));
    first.views.set('auth0|alice', 'github/repositories', { items: [{ full_name: REPOSITORY }] });
    // The broker's provider summary carries more: only the origins are kept.
    const summary = { ...GITHUB, displayName: 'GitHub', views: [] };
    first.views.keepOrigins([summary]);
    expect(first.views.get('auth0|alice', 'github/repositories')).not.toBeNull();

    const next = await signedIn(first.keychain, first.directory);
    expect(next.views.keptOrigins()).toEqual([GITHUB]);
    // Another user's first view drops alice's views, not the broker's catalogue.
    next.views.set('auth0|bob', 'accounts', { identities: [] });
    expect(next.views.keptOrigins()).toEqual([GITHUB]);
    expect(next.views.get('auth0|bob', 'accounts')).not.toBeNull();

    await next.tokenStore.clear();
    expect(next.views.keptOrigins()).toEqual([]);
    expect(readdirSync(first.directory.path)).toEqual([]);
  });

  it('are not kept while signed out, nor when they fail their schema', async () => {
    const { views, tokenStore } = await signedIn();
    views.keepOrigins([GITHUB]);
    expect(views.keptOrigins()).toEqual([]);
    await tokenStore.set(CACHE_KEY, cacheEntry(fakeRefreshToken()));
    views.keepOrigins([{ ...GITHUB, webOrigins: ['http://github.com'] }]);
    expect(views.keptOrigins()).toEqual([]);
    views.keepOrigins([{ ...GITHUB, webOrigins: ['https://github.com/path'] }]);
    expect(views.keptOrigins()).toEqual([]);
    views.keepOrigins([GITHUB]);
    expect(views.keptOrigins()).toEqual([GITHUB]);
  });
});
