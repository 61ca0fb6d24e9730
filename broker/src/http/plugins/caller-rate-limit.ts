import rateLimit, { type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import { BrokerError } from '../../errors/broker-error.js';
import type { BrokerMetrics } from '../../observability/metrics.js';
import { callerOf } from './auth-plugin.js';

/**
 * A per-caller limit on `/v1` (docs/architecture.md#caller-rate-limit): counted per verified user
 * (`sub`), so one user cannot take the broker's, the tenant's or a provider's capacity from the
 * others. `counts` is where it counts: the fleet's (Redis, falling back to this instance's memory
 * while Redis fails; `cache/caller-counts.ts`), or by default each instance's memory. Registered in
 * the `/v1` scope after the auth plugin, so `/healthz`, `/readyz` and `/metrics` are never limited.
 */
export const callerRateLimit = fp<{
  max: number;
  windowMs: number;
  counts: FastifyRateLimitStoreCtor | undefined;
  metrics: BrokerMetrics;
}>(
  async (app, { max, windowMs, counts, metrics }) => {
    if (max === 0) return;
    await app.register(rateLimit, {
      global: true,
      max,
      timeWindow: windowMs,
      // After onRequest, where the auth plugin verified the caller.
      hook: 'preHandler',
      keyGenerator: (request) => callerOf(request).userId,
      ...(counts ? { store: counts } : {}),
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
