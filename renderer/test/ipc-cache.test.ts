import { describe, expect, it } from 'vitest';
import { createLinkboardClient } from '../src/api/linkboard-client';
import { LinkboardError } from '../src/api/linkboard-error';
import { IpcCache } from '../src/auth/ipc-cache';
import { createFakeLinkboard } from '../dev/fake-linkboard';

describe('IpcCache (auth0-spa-js cache kept by main)', () => {
  it('round-trips entries through window.linkboard.cache, and nothing through page storage', async () => {
    const fake = createFakeLinkboard();
    const cache = new IpcCache(createLinkboardClient(fake).cache);
    const entry = { body: { access_token: 'at', refresh_token: 'rt' }, expiresAt: 1 };

    await cache.set('@@auth0spajs@@::client::aud::openid', entry);
    expect(fake.store.get('@@auth0spajs@@::client::aud::openid')).toEqual(entry);
    expect(await cache.get('@@auth0spajs@@::client::aud::openid')).toEqual(entry);
    expect(await cache.allKeys()).toEqual(['@@auth0spajs@@::client::aud::openid']);

    await cache.remove('@@auth0spajs@@::client::aud::openid');
    expect(await cache.get('@@auth0spajs@@::client::aud::openid')).toBeUndefined();
    expect(await cache.allKeys()).toEqual([]);
    expect(window.localStorage.length).toBe(0);
    expect(window.sessionStorage.length).toBe(0);
  });

  it('gives undefined, as the SDK expects, for a missing key', async () => {
    const cache = new IpcCache(createLinkboardClient(createFakeLinkboard()).cache);
    expect(await cache.get('@@auth0spajs@@::nothing')).toBeUndefined();
  });

  it('throws the bridge error when main cannot store', async () => {
    const fake = createFakeLinkboard();
    fake.cache.set = async () => ({
      ok: false,
      error: { code: 'keychain_unavailable', message: 'The keychain is locked.' },
    });
    const cache = new IpcCache(createLinkboardClient(fake).cache);
    const failure = await cache.set('k', {}).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LinkboardError);
    expect(failure).toMatchObject({
      code: 'keychain_unavailable',
      message: 'The keychain is locked.',
    });
  });
});
