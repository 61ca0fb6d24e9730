import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { FleetCache, type FleetCacheOutcome } from '../src/cache/fleet-cache.js';
import { MemoryStore, type SharedStore } from '../src/cache/shared-store.js';
import { newCacheKey, sealerFor } from './support/cache-key.js';

/**
 * FleetCache's own rules, over a store that stands for Redis (a map shared by the "instances" of
 * one test, or one whose commands fail); the real Redis is in the fleet integration tests.
 */
class SharedMap implements SharedStore {
  readonly fleetWide = true;
  failing = false;
  private readonly map = new MemoryStore();

  private check(): void {
    if (this.failing) throw new Error('Redis is down');
  }
  async get(key: string) {
    this.check();
    return this.map.get(key);
  }
  async set(key: string, value: string, ttlMs: number) {
    this.check();
    return this.map.set(key, value, ttlMs);
  }
  async delete(key: string) {
    this.check();
    return this.map.delete(key);
  }
  async tryLock(key: string, ttlMs: number) {
    this.check();
    return this.map.tryLock(key, ttlMs);
  }
  close() {
    return this.map.close();
  }
}

const Value = z.object({ token: z.string() });

function instance(store: SharedMap, sealer = sealerFor(), outcomes: FleetCacheOutcome[] = []) {
  return new FleetCache({
    store,
    sealer,
    namespace: 'test',
    schema: Value,
    lockTtlMs: 2000,
    onOutcome: (outcome) => outcomes.push(outcome),
  });
}

describe('fleet cache', () => {
  it('fetches once for instances asking at the same time, the others waiting for its value', async () => {
    const store = new SharedMap();
    const sealer = sealerFor();
    const outcomes: FleetCacheOutcome[] = [];
    let fetches = 0;
    const fetch = async () => {
      fetches += 1;
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { value: { token: `t${fetches}` }, expiresAt: Date.now() + 60_000 };
    };
    const values = await Promise.all(
      [1, 2, 3].map(() => instance(store, sealer, outcomes).get('alice', fetch)),
    );
    expect(values.map((kept) => kept.value.token)).toEqual(['t1', 't1', 't1']);
    expect(fetches).toBe(1);
    expect(outcomes.sort()).toEqual(['fetched', 'shared', 'shared']);
  });

  it('takes a value it cannot open, or one accept refuses, as a miss', async () => {
    const store = new SharedMap();
    const fetch = (token: string) => async () => ({
      value: { token },
      expiresAt: Date.now() + 60_000,
    });
    await instance(store).get('alice', fetch('sealed-by-another-key'));
    expect((await instance(store).get('alice', fetch('mine'))).value.token).toBe('mine');
    const sealer = sealerFor();
    await instance(store, sealer).get('bob', fetch('refused'));
    const again = await instance(store, sealer).get(
      'bob',
      fetch('fresh'),
      (value) => value.token !== 'refused',
    );
    expect(again.value.token).toBe('fresh');
  });

  it('fetches alone, never failing, while the store fails', async () => {
    const store = new SharedMap();
    store.failing = true;
    const outcomes: FleetCacheOutcome[] = [];
    const kept = await instance(store, sealerFor(), outcomes).get('alice', async () => ({
      value: { token: 'alone' },
      expiresAt: Date.now() + 60_000,
    }));
    expect(kept.value.token).toBe('alone');
    expect(outcomes).toEqual(['alone']);
  });

  it('fetches alone once a lock nobody releases has outlived its time', async () => {
    const store = new SharedMap();
    const sealer = sealerFor();
    // Another instance took the lock and vanished.
    await store.tryLock(`${sealer.names('test', 'alice').current}:lock`, 60_000);
    const outcomes: FleetCacheOutcome[] = [];
    const started = Date.now();
    const kept = await instance(store, sealer, outcomes).get('alice', async () => ({
      value: { token: 'late' },
      expiresAt: Date.now() + 60_000,
    }));
    expect(kept.value.token).toBe('late');
    expect(outcomes).toEqual(['alone']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
  });

  it('during a rotation reads what the previous key named, and writes under the current key', async () => {
    const store = new SharedMap();
    const oldKey = newCacheKey();
    const newKey = newCacheKey();
    const fetch = (token: string) => async () => ({
      value: { token },
      expiresAt: Date.now() + 60_000,
    });
    await instance(store, sealerFor(oldKey)).get('alice', fetch('before'));
    const rotating = sealerFor(`${newKey},${oldKey}`);
    const outcomes: FleetCacheOutcome[] = [];
    const during = instance(store, rotating, outcomes);
    const unwanted = async () => {
      throw new Error('fetched although the fleet had the value');
    };
    expect((await during.get('alice', unwanted)).value.token).toBe('before');
    expect(outcomes).toEqual(['shared']);

    // Refused and dropped where it was found, then fetched and kept under the new key's name.
    await during.drop('alice', (value) => value.token === 'before');
    expect(await store.get(sealerFor(oldKey).names('test', 'alice').current)).toBeUndefined();
    expect((await during.get('alice', fetch('after'))).value.token).toBe('after');
    const current = sealerFor(newKey).names('test', 'alice').current;
    expect(rotating.open(current, (await store.get(current)) ?? '')).toContain('after');
    expect((await instance(store, sealerFor(newKey)).get('alice', unwanted)).value.token).toBe(
      'after',
    );
  });

  it('passes a fetch error on to every caller rather than caching it', async () => {
    const store = new SharedMap();
    const cache = instance(store);
    await expect(
      cache.get('alice', async () => {
        throw new Error('tenant down');
      }),
    ).rejects.toThrow('tenant down');
    const kept = await cache.get('alice', async () => ({
      value: { token: 'after' },
      expiresAt: Date.now() + 60_000,
    }));
    expect(kept.value.token).toBe('after');
  });
});
