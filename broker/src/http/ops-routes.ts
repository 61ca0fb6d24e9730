import type { FastifyPluginAsync } from 'fastify';
import type { AccessTokenVerifier } from '../auth/verify-access-token.js';
import type { SharedStore } from '../cache/shared-store.js';
import type { M2mTokenProvider } from '../management/m2m-token-provider.js';
import type { BrokerMetrics } from '../observability/metrics.js';

/** `/healthz` (the process answers), `/readyz` (tenant keys and M2M token reachable), `/metrics`. */
export const opsRoutes: FastifyPluginAsync<{
  metrics: BrokerMetrics;
  verifier: AccessTokenVerifier;
  m2m: M2mTokenProvider;
  store: SharedStore;
  readinessCacheMs: number;
}> = async (app, deps) => {
  app.get('/healthz', async () => ({ status: 'ok' }));

  let lastReady: { at: number; checks: Record<string, boolean> } | undefined;
  app.get('/readyz', async (_request, reply) => {
    if (!lastReady || Date.now() - lastReady.at >= deps.readinessCacheMs) {
      const [jwks, m2m] = await Promise.all([
        deps.verifier.jwks.fresh
          ? Promise.resolve(true)
          : deps.verifier.jwks.reload().then(
              () => true,
              () => false,
            ),
        deps.m2m.get().then(
          () => true,
          () => false,
        ),
      ]);
      const checks: Record<string, boolean> = { jwks, m2mToken: m2m };
      if (deps.store.ping) {
        checks.sharedStore = await deps.store.ping().catch(() => false);
      }
      lastReady = { at: Date.now(), checks };
    }
    const ready = Object.values(lastReady.checks).every(Boolean);
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not_ready', checks: lastReady.checks });
  });

  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
};
