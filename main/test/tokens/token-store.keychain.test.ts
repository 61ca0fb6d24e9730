import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { confEntryFileLocation } from '../../src/tokens/encrypted-entry-file.js';
import type { Keychain } from '../../src/tokens/keychain.js';
import { createTokenStore } from '../../src/tokens/token-store.js';
import {
  CACHE_KEY,
  cacheEntry,
  fakeRefreshToken,
  temporaryDirectory,
} from './token-store-fixtures.js';

// The real OS keychain through keytar (Secret Service over D-Bus here). `npm run test:keychain`
// runs this inside a D-Bus session with gnome-keyring when the machine has none of its own.
const keytar = createRequire(import.meta.url)('keytar') as Keychain;
const service = `Linkboard test ${process.pid}`;
const account = 'token-store-key';

const directories: Array<{ remove(): void }> = [];
afterEach(async () => {
  for (const directory of directories.splice(0)) directory.remove();
  await keytar.deletePassword(service, account);
});

describe('token store through the real OS keychain', () => {
  it('round-trips entries across a restart; the file holds no token in clear; clear wipes file and key', async () => {
    const directory = temporaryDirectory();
    directories.push(directory);
    const file = confEntryFileLocation({ directory: directory.path });
    const refreshToken = fakeRefreshToken();

    const store = await createTokenStore({ keychain: keytar, file, service, account });
    expect(store.storage).toBe('keychain');
    await store.set(CACHE_KEY, cacheEntry(refreshToken));

    const key = await keytar.getPassword(service, account);
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const onDisk = directory.readAll();
    expect(onDisk.length).toBeGreaterThan(0);
    expect(onDisk).not.toContain(refreshToken);
    expect(onDisk).not.toContain('access_token');
    expect(onDisk).not.toContain(key!);

    const restarted = await createTokenStore({ keychain: keytar, file, service, account });
    expect(await restarted.get(CACHE_KEY)).toEqual(cacheEntry(refreshToken));

    await restarted.clear();
    expect(await keytar.getPassword(service, account)).toBeNull();
    expect(existsSync(file.path)).toBe(false);
    expect(
      await (await createTokenStore({ keychain: keytar, file, service, account })).allKeys(),
    ).toEqual([]);
  });
});
