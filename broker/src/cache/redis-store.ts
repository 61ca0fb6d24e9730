import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { SharedStore } from './shared-store.js';

/** Deletes the lock only if this instance still owns it. */
const RELEASE_SCRIPT =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/** The fleet's store in Redis. Keys are prefixed so a shared Redis can hold other things too. */
export class RedisStore implements SharedStore {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix = 'linkboard:broker:',
  ) {
    this.redis = new Redis(url, {
      lazyConnect: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      // A Redis that does not answer must not hold requests: the broker then works alone.
      commandTimeout: 1000,
      enableOfflineQueue: true,
    });
    // Errors surface on each command; without a listener ioredis would print them.
    this.redis.on('error', () => {});
  }

  async get(key: string) {
    return (await this.redis.get(this.prefix + key)) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number) {
    await this.redis.set(this.prefix + key, value, 'PX', Math.max(1, Math.ceil(ttlMs)));
  }

  async delete(key: string) {
    await this.redis.del(this.prefix + key);
  }

  async tryLock(key: string, ttlMs: number) {
    const owner = randomUUID();
    const name = this.prefix + key;
    const taken = await this.redis.set(name, owner, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX');
    if (taken !== 'OK') return undefined;
    return async () => {
      await this.redis.eval(RELEASE_SCRIPT, 1, name, owner);
    };
  }

  async ping(): Promise<boolean> {
    return (await this.redis.ping()) === 'PONG';
  }

  async close() {
    this.redis.disconnect();
  }
}
