import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { confEntryFileLocation } from '../../src/tokens/encrypted-entry-file.js';
import { createTokenStore } from '../../src/tokens/token-store.js';
import {
  CACHE_KEY,
  cacheEntry,
  fakeRefreshToken,
  mapKeychain,
  temporaryDirectory,
} from './token-store-fixtures.js';

const directories: Array<{ remove(): void }> = [];
afterEach(() => {
  for (const directory of directories.splice(0)) directory.remove();
});

function setUp() {
  const directory = temporaryDirectory();
  directories.push(directory);
  return {
    directory,
    file: confEntryFileLocation({ directory: directory.path }),
    keychain: mapKeychain(),
  };
}

describe('token store with a keychain (Map stand-in; the real keychain has its own project)', () => {
  it('keeps entries across a restart in a file that holds no token in clear', async () => {
    const { directory, file, keychain } = setUp();
    const refreshToken = fakeRefreshToken();
    const store = await createTokenStore({ keychain, file });
    expect(store.storage).toBe('keychain');
    await store.set(CACHE_KEY, cacheEntry(refreshToken));
    expect(existsSync(file.path)).toBe(true);
    expect(directory.readAll()).not.toContain(refreshToken);
    expect(directory.readAll()).not.toContain('refresh_token');

    const restarted = await createTokenStore({ keychain, file });
    expect(await restarted.get(CACHE_KEY)).toEqual(cacheEntry(refreshToken));
    expect(await restarted.allKeys()).toEqual([CACHE_KEY]);
    await restarted.remove(CACHE_KEY);
    expect(await (await createTokenStore({ keychain, file })).get(CACHE_KEY)).toBeNull();
  });

  it('clear() wipes the file and the keychain key, and a later sign-in gets a new key', async () => {
    const { file, keychain } = setUp();
    const store = await createTokenStore({ keychain, file });
    await store.set(CACHE_KEY, cacheEntry(fakeRefreshToken()));
    const firstKey = [...keychain.entries.values()][0];
    await store.clear();
    expect(existsSync(file.path)).toBe(false);
    expect(keychain.entries.size).toBe(0);
    expect(await store.allKeys()).toEqual([]);
    await store.set(CACHE_KEY, cacheEntry(fakeRefreshToken()));
    expect([...keychain.entries.values()][0]).not.toBe(firstKey);
  });

  it('clear() still deletes the keychain key when the file cannot be removed, and says so', async () => {
    const { file, keychain } = setUp();
    const store = await createTokenStore({ keychain, file });
    await store.set(CACHE_KEY, cacheEntry(fakeRefreshToken()));
    const stuckFile = {
      ...file,
      remove() {
        throw new Error('EBUSY: the file is in use');
      },
    };
    const stuck = await createTokenStore({ keychain, file: stuckFile });
    await expect(stuck.clear()).rejects.toThrow('EBUSY');
    expect(keychain.entries.size).toBe(0);
    // What is left on disk cannot be read without its key: the next start forgets it.
    expect(await (await createTokenStore({ keychain, file })).allKeys()).toEqual([]);
  });

  it('deletes a file whose key is gone from the keychain rather than trusting it', async () => {
    const { file, keychain } = setUp();
    await (
      await createTokenStore({ keychain, file })
    ).set(CACHE_KEY, cacheEntry(fakeRefreshToken()));
    keychain.entries.clear();
    const store = await createTokenStore({ keychain, file });
    expect(existsSync(file.path)).toBe(false);
    expect(await store.get(CACHE_KEY)).toBeNull();
  });

  it('reads a file encrypted with another key as empty', async () => {
    const { file, keychain } = setUp();
    await (
      await createTokenStore({ keychain, file })
    ).set(CACHE_KEY, cacheEntry(fakeRefreshToken()));
    for (const name of keychain.entries.keys()) keychain.entries.set(name, 'another-key-entirely');
    expect(await (await createTokenStore({ keychain, file })).allKeys()).toEqual([]);
  });
});

describe('token store without a keychain', () => {
  it('falls back to memory, says so, and writes nothing to disk', async () => {
    const { directory, file } = setUp();
    const broken = {
      getPassword: async () => {
        throw new Error('Cannot autolaunch D-Bus without X11 $DISPLAY');
      },
      setPassword: async () => undefined,
      deletePassword: async () => false,
    };
    const warnings: string[] = [];
    const store = await createTokenStore({
      keychain: broken,
      file,
      log: { warn: (message) => warnings.push(message) },
    });
    expect(store.storage).toBe('memory');
    expect(warnings).toEqual(['No OS keychain: sign-in will not be remembered']);
    await store.set(CACHE_KEY, cacheEntry('rt'));
    expect(await store.get(CACHE_KEY)).toEqual(cacheEntry('rt'));
    expect(directory.readAll()).toBe('');
    await store.clear();
    expect(await store.allKeys()).toEqual([]);
    expect((await createTokenStore({ keychain: null, file })).storage).toBe('memory');
  });

  it('reports a keychain that refuses to store the key as keychain_unavailable', async () => {
    const { file } = setUp();
    const refusing = {
      ...mapKeychain(),
      setPassword: async () => Promise.reject(new Error('locked')),
    };
    const store = await createTokenStore({ keychain: refusing, file });
    await expect(store.set(CACHE_KEY, 1)).rejects.toMatchObject({ code: 'keychain_unavailable' });
  });
});

describe('token store bounds', () => {
  it('refuses an entry too large to be an SDK cache entry, and too many entries', async () => {
    const { file, keychain } = setUp();
    for (const store of [
      await createTokenStore({ keychain, file }),
      await createTokenStore({ keychain: null, file }),
    ]) {
      await expect(store.set('big', 'x'.repeat(70 * 1024))).rejects.toMatchObject({
        code: 'invalid_payload',
      });
      for (let index = 0; index < 64; index += 1) await store.set(`k${index}`, index);
      await expect(store.set('one-too-many', 1)).rejects.toMatchObject({ code: 'invalid_payload' });
      await store.set('k0', 'replacing is fine');
      expect(await store.get('k0')).toBe('replacing is fine');
    }
  });
});

describe('token store concurrency', () => {
  it('makes one key for entries written at the same time, so all of them survive a restart', async () => {
    const { file, keychain } = setUp();
    let calls = 0;
    const slowKeychain = {
      ...keychain,
      setPassword: async (service: string, account: string, password: string) => {
        calls += 1;
        await new Promise((resolve) => setTimeout(resolve, 10));
        await keychain.setPassword(service, account, password);
      },
    };
    const store = await createTokenStore({ keychain: slowKeychain, file });
    await Promise.all([store.set('a', 1), store.set('b', 2), store.set('c', 3)]);
    expect(calls).toBe(1);
    const restarted = await createTokenStore({ keychain, file });
    expect((await restarted.allKeys()).sort()).toEqual(['a', 'b', 'c']);
  });

  it('a sign-out during the first write leaves neither key nor file', async () => {
    const { file, keychain } = setUp();
    const store = await createTokenStore({ keychain, file });
    const writing = store.set('a', 1);
    await store.clear();
    await writing;
    expect(keychain.entries.size).toBe(0);
    expect(existsSync(file.path)).toBe(false);
  });
});
