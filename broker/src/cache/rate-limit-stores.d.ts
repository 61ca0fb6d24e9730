/**
 * The two stores `@fastify/rate-limit` ships, which its own types leave out: `caller-counts.ts`
 * puts them together so a caller's count falls back from Redis to memory
 * (docs/architecture.md#caller-rate-limit).
 */
declare module '@fastify/rate-limit/store/LocalStore.js' {
  import type { FastifyRateLimitStore } from '@fastify/rate-limit';

  /** Counts in this process: a fixed window per key, the 5 000 most recently used keys kept. */
  const LocalStore: new (
    continueExceeding: boolean,
    exponentialBackoff: boolean,
  ) => Pick<FastifyRateLimitStore, 'incr'>;
  export default LocalStore;
}

declare module '@fastify/rate-limit/store/RedisStore.js' {
  import type { FastifyRateLimitStore } from '@fastify/rate-limit';
  import type { Redis } from 'ioredis';

  /** Counts in Redis under `prefix` + key: one Lua `INCR`/`PEXPIRE` round trip per count. */
  const RedisStore: new (
    continueExceeding: boolean,
    exponentialBackoff: boolean,
    redis: Redis,
    prefix: string,
  ) => Pick<FastifyRateLimitStore, 'incr'>;
  export default RedisStore;
}
