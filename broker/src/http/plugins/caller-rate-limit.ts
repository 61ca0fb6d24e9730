import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { BrokerError } from '../../errors/broker-error.js';
import type { BrokerMetrics } from '../../observability/metrics.js';
import { callerOf } from './auth-plugin.js';

/**
 * A per-caller limit on `/v1` (docs/architecture.md#caller-rate-limit): counted per verified user
 * (`sub`), so one user cannot take the broker's, the tenant's or a provider's capacity from the
 * others. With Redis the count is the fleet's (`@fastify/rate-limit`'s Redis store, one Lua
 * `INCR`+`PEXPIRE` per request); without it, each instance's. Registered in the `/v1` scope after
 * the auth plugin, so `/healthz`, `/readyz` and `/metrics` are never limited. A Redis error lets
 * the request through: Redis alone never refuses a caller.
 */
export const callerRateLimit = fp<{
  max: number;
  windowMs: number;
  redis: Redis | undefined;
  metrics: BrokerMetrics;
}>(
  async (app, { max, windowMs, redis, metrics }) => {
    if (max === 0) return;
    await app.register(rateLimit, {
      global: true,
      max,
      timeWindow: windowMs,
      // After onRequest, where the auth plugin verified the caller.
      hook: 'preHandler',
      keyGenerator: (request) => callerOf(request).userId,
      ...(redis ? { redis, nameSpace: 'linkboard:broker:rate-limit:' } : {}),
      skipOnError: true,
      // RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset and Retry-After.
      enableDraftSpec: true,
      onExceeded: () => metrics.rateLimitRefusals.labels('caller').inc(),
      errorResponseBuilder: (_request, context) =>
        new BrokerError(
          'rate_limited',
          `more than ${context.max} requests in ${windowMs / 1000} s: retry in ${context.after}`,
          { retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)) },
        ),
    });
  },
  { name: 'linkboard-caller-rate-limit' },
);
