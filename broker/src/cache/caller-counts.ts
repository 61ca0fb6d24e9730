import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import LocalStore from '@fastify/rate-limit/store/LocalStore.js';
import RedisStore from '@fastify/rate-limit/store/RedisStore.js';
import type { Redis } from 'ioredis';

export interface FleetCallerCountsOptions {
  redis: Redis;
  /** What the shared store's keys start with in Redis, e.g. `linkboard:broker:`. */
  prefix: string;
  /** A caller's count's name after `prefix`: one that does not say who the caller is. */
  nameOf: (caller: string) => string;
  /** Called once per count Redis could not take: this instance counted it in memory instead. */
  onFallback: () => void;
}

type Count = FastifyRateLimitStore['incr'];

/**
 * The caller rate limit's counts for a fleet (docs/architecture.md#caller-rate-limit): in Redis,
 * so the fleet counts each caller once; while Redis fails, in this instance's memory, so the limit
 * still holds per instance instead of switching off (or refusing everyone). Each count goes to
 * Redis first, so the fleet's count is back with the first command Redis answers.
 */
export function fleetCallerCounts(options: FleetCallerCountsOptions): FastifyRateLimitStoreCtor {
  const { redis, prefix, nameOf, onFallback } = options;
  class FleetCallerCounts implements FastifyRateLimitStore {
    private readonly fleet: Pick<FastifyRateLimitStore, 'incr'>;
    private readonly local: Pick<FastifyRateLimitStore, 'incr'>;

    constructor(settings: { continueExceeding?: boolean; exponentialBackoff?: boolean }) {
      const continueExceeding = settings.continueExceeding === true;
      const exponentialBackoff = settings.exponentialBackoff === true;
      this.fleet = new RedisStore(continueExceeding, exponentialBackoff, redis, prefix);
      this.local = new LocalStore(continueExceeding, exponentialBackoff);
    }

    incr(...[caller, callback, timeWindow, max]: Parameters<Count>): void {
      const name = nameOf(caller);
      this.fleet.incr(
        name,
        (error, result) => {
          if (!error) return callback(null, result);
          onFallback();
          this.local.incr(name, callback, timeWindow, max);
        },
        timeWindow,
        max,
      );
    }

    /** Routes with a limit of their own: the broker has none, one limit covers `/v1`. */
    child(): FastifyRateLimitStore {
      throw new Error('the caller rate limit has no per-route limits');
    }
  }
  return FleetCallerCounts;
}
