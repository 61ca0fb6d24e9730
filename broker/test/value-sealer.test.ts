import { describe, expect, it } from 'vitest';
import { AesGcmSealer, IN_PROCESS, parseCacheKeys } from '../src/cache/value-sealer.js';
import { newCacheKey, sealerFor } from './support/cache-key.js';

describe('cache value sealing (AES-256-GCM)', () => {
  it('opens what it sealed under the same name, and hides the text', () => {
    const sealer = sealerFor();
    const sealed = sealer.seal('identities:auth0|alice', '{"accessToken":"gho_secret"}');
    expect(sealed).toMatch(
      /^lb1\.[A-Za-z0-9_-]{8}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/,
    );
    expect(sealed).not.toContain('gho_secret');
    expect(sealer.open('identities:auth0|alice', sealed)).toBe('{"accessToken":"gho_secret"}');
    // A fresh IV each time: the same text never seals the same way twice.
    expect(sealer.seal('n', 'same')).not.toBe(sealer.seal('n', 'same'));
  });

  it('answers undefined (a miss) for another name, another key, a damaged or foreign value', () => {
    const sealer = sealerFor();
    const sealed = sealer.seal('identities:auth0|alice', 'payload');
    expect(sealer.open('identities:auth0|bob', sealed)).toBeUndefined();
    expect(sealerFor().open('identities:auth0|alice', sealed)).toBeUndefined();
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[3] = body.toString('base64url');
    expect(sealer.open('identities:auth0|alice', parts.join('.'))).toBeUndefined();
    for (const foreign of [
      '',
      'payload',
      'lb1.x.y.z',
      `${sealed}.extra`,
      'lb2' + sealed.slice(3),
    ]) {
      expect(sealer.open('identities:auth0|alice', foreign)).toBeUndefined();
    }
  });

  it('rotates: the new first key seals, a previous key listed after it still opens', () => {
    const oldKey = newCacheKey();
    const newKey = newCacheKey();
    const before = sealerFor(oldKey).seal('m2m-token:current', 'token');
    const during = sealerFor(`${newKey}, ${oldKey}`);
    expect(during.open('m2m-token:current', before)).toBe('token');
    const after = during.seal('m2m-token:current', 'token');
    expect(after.split('.')[1]).not.toBe(before.split('.')[1]);
    // Once the old key is removed, what it sealed is a miss, not an error.
    expect(sealerFor(newKey).open('m2m-token:current', before)).toBeUndefined();
    expect(sealerFor(newKey).open('m2m-token:current', after)).toBe('token');
  });

  it('names values by a keyed hash: the same on every instance with the key, saying nothing of whose', () => {
    const key = newCacheKey();
    const { current, previous } = sealerFor(key).names('token-vault', 'auth0|alice\ngithub');
    expect(current).toMatch(/^token-vault:[A-Za-z0-9_-]{43}$/);
    expect(current).not.toMatch(/alice|github/);
    expect(previous).toEqual([]);
    // Another instance with the same key: the same name, so the fleet still fetches once.
    expect(sealerFor(key).names('token-vault', 'auth0|alice\ngithub').current).toBe(current);
    // Another id, kind or key: another name.
    const others = [
      sealerFor(key).names('token-vault', 'auth0|alice\ngoogle-oauth2').current,
      sealerFor(key).names('token-vault', 'auth0|bob\ngithub').current,
      sealerFor(key).names('identities', 'auth0|alice\ngithub').current,
      sealerFor().names('token-vault', 'auth0|alice\ngithub').current,
    ];
    expect(new Set([current, ...others]).size).toBe(5);
  });

  it('names with the key that seals; a previous key names what it may still find', () => {
    const oldKey = newCacheKey();
    const newKey = newCacheKey();
    const during = sealerFor(`${newKey},${oldKey}`).names('identities', 'auth0|alice');
    expect(during.current).toBe(sealerFor(newKey).names('identities', 'auth0|alice').current);
    expect(during.previous).toEqual([sealerFor(oldKey).names('identities', 'auth0|alice').current]);
  });

  it('keeps plain names in the process (memory)', () => {
    expect(IN_PROCESS.names('identities', 'auth0|alice')).toEqual({
      current: 'identities:auth0|alice',
      previous: [],
    });
  });

  it('accepts only 32-byte base64 keys, each once', () => {
    const key = newCacheKey();
    expect(parseCacheKeys(key)).toHaveLength(1);
    expect(parseCacheKeys(`${key}\n${newCacheKey()}`)).toHaveLength(2);
    expect(parseCacheKeys('')).toBe('no key given');
    expect(parseCacheKeys('c2hvcnQ=')).toMatch(/key 1 is not 32 bytes/);
    expect(parseCacheKeys(`${key},not base64!`)).toMatch(/key 2 is not 32 bytes/);
    expect(parseCacheKeys(`${key},${key}`)).toBe('key 2 is given twice');
    expect(() => new AesGcmSealer([])).toThrow();
  });
});
