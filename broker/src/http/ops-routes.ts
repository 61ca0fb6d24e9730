import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { BrokerError } from '../errors/broker-error.js';
import type { AccessTokenVerifier } from '../auth/verify-access-token.js';
import type { SharedStore } from '../cache/shared-store.js';
import type { BrokerMetrics } from '../observability/metrics.js';

/**
 * `/healthz` (the process answers), `/readyz` (tenant keys and what the token source needs: the
 * M2M token in `management` mode, the token endpoint in `token-vault` mode), `/metrics`.
 */
export const opsRoutes: FastifyPluginAsync<{
  metrics: BrokerMetrics;
  verifier: AccessTokenVerifier;
  tokenSourceChecks: Record<string, () => Promise<boolean>>;
  store: SharedStore;
  readinessCacheMs: number;
  /** When set, `/metrics` answers only `Authorization: Bearer <metricsToken>`. */
  metricsToken: string | undefined;
}> = async (app, deps) => {
  app.get('/healthz', async () => ({ status: 'ok' }));

  interface Readiness {
    checks: Record<string, boolean>;
    /**
     * Dependencies that fail while the broker still serves: a key set kept from before, or Redis
     * down (each instance then works alone from its memory; docs/architecture.md#fleet-state).
     */
    degraded?: {
      jwks?: { keySetAgeSeconds: number };
      sharedStore?: { reachable: false };
    };
  }
  let lastReady: { at: number; readiness: Readiness } | undefined;
  app.get('/readyz', async (_request, reply) => {
    if (!lastReady || Date.now() - lastReady.at >= deps.readinessCacheMs) {
      const sourceChecks = Object.entries(deps.tokenSourceChecks);
      const [keys, ...sourceResults] = await Promise.all([
        deps.verifier.keys.status(),
        ...sourceChecks.map(([, check]) => check().catch(() => false)),
      ]);
      const readiness: Readiness = { checks: { jwks: keys.usable } };
      sourceChecks.forEach(([name], index) => {
        readiness.checks[name] = sourceResults[index] === true;
      });
      const degraded: NonNullable<Readiness['degraded']> = {};
      // Redis down is not a reason to leave the load balancer: every instance would leave at once.
      if (deps.store.ping && !(await deps.store.ping().catch(() => false))) {
        degraded.sharedStore = { reachable: false };
      }
      if (keys.usable && keys.lastFetchFailed && keys.ageSeconds !== undefined) {
        degraded.jwks = { keySetAgeSeconds: keys.ageSeconds };
      }
      if (Object.keys(degraded).length > 0) readiness.degraded = degraded;
      lastReady = { at: Date.now(), readiness };
    }
    const { checks, degraded } = lastReady.readiness;
    const ready = Object.values(checks).every(Boolean);
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not_ready', checks, ...(degraded ? { degraded } : {}) });
  });

  // Compared as digests, in constant time, so neither the length nor a prefix of the token leaks.
  const digest = (text: string) => createHash('sha256').update(text).digest();
  const expected = deps.metricsToken ? digest(`Bearer ${deps.metricsToken}`) : undefined;
  app.get('/metrics', async (request, reply) => {
    if (expected && !timingSafeEqual(digest(request.headers.authorization ?? ''), expected)) {
      throw new BrokerError('invalid_token', '/metrics needs the metrics bearer token');
    }
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
};
