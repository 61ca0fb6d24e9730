import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { PROXY_PREFIX } from '@linkboard/contract';
import { createAccessTokenVerifier } from '../auth/verify-access-token.js';
import { RedisStore } from '../cache/redis-store.js';
import { MemoryStore, type SharedStore } from '../cache/shared-store.js';
import { compileCatalogue } from '../catalogue/compiled-provider.js';
import type { BrokerConfig } from '../config/broker-config.js';
import { IdpTokenRefresher } from '../idp/idp-token-refresher.js';
import { IdentityCache } from '../management/identity-cache.js';
import { M2mTokenProvider } from '../management/m2m-token-provider.js';
import { ManagementRateGate } from '../management/management-rate-gate.js';
import { lazyChildLogger } from '../observability/lazy-child-logger.js';
import { createLoggers } from '../observability/logger.js';
import { boundPerLabels, createMetrics } from '../observability/metrics.js';
import { IdpProxy } from '../proxy/idp-proxy.js';
import { UpstreamClient } from '../upstream/upstream-client.js';
import { BrokerError } from '../errors/broker-error.js';
import { TokenRefusal } from '../errors/token-refusal.js';
import { sendProblem } from './problem-reply.js';
import { registerApiRoutes } from './api-routes.js';
import { registerOpsRoutes } from './ops-routes.js';
import { registerProxyRoute } from './proxy-route.js';

/** Edges a test or an embedding program may replace. */
export interface BrokerDeps {
  /** Where log lines go (default: stdout). */
  logDestination?: DestinationStream;
  /** The shared store; default Redis when `REDIS_URL` is set, else memory. */
  store?: SharedStore;
  now?: () => number;
}

/** Builds the broker's Fastify instance with all its parts wired; it does not listen. */
export async function buildBroker(
  config: BrokerConfig,
  deps: BrokerDeps = {},
): Promise<FastifyInstance> {
  const now = deps.now ?? Date.now;
  const { logger, audit } = createLoggers(config.logLevel, deps.logDestination);
  const metrics = createMetrics();
  const store: SharedStore =
    deps.store ?? (config.redisUrl ? new RedisStore(config.redisUrl) : new MemoryStore(now));
  const limits = config.limits;
  const client = new UpstreamClient({
    timeoutMs: limits.upstreamTimeoutMs,
    maxResponseBytes: limits.maxResponseBytes,
    retries: limits.upstreamRetries,
    retryBaseDelayMs: limits.retryBaseDelayMs,
  });
  const providers = compileCatalogue(config.catalogue);
  const verifier = createAccessTokenVerifier({
    issuer: config.issuer,
    audience: config.brokerAudience,
    jwksUrl: new URL('/.well-known/jwks.json', config.auth0Origin),
    maxTokenLength: limits.maxTokenLength,
    clockToleranceSeconds: limits.clockToleranceSeconds,
    jwksCooldownMs: limits.jwksCooldownMs,
    jwksTimeoutMs: limits.upstreamTimeoutMs,
  });
  const m2m = new M2mTokenProvider({
    store,
    client,
    tokenUrl: new URL('/oauth/token', config.managementOrigin),
    clientId: config.m2mClientId,
    clientSecret: config.m2mClientSecret,
    audience: config.managementAudience,
    marginSeconds: limits.m2mExpiryMarginSeconds,
    now,
    onGrant: () => metrics.m2mGrants.inc(),
  });
  const identities = new IdentityCache({
    client,
    m2m,
    gate: new ManagementRateGate(store, now),
    managementBaseUrl: config.managementAudience,
    ttlMs: limits.identitiesTtlMs,
    now,
    onGetUser: () => metrics.getUserCalls.inc(),
  });
  const refresher = new IdpTokenRefresher({
    client,
    idpClients: config.idpClients,
    now,
    onRefresh: (connection, outcome) => metrics.idpRefreshes.inc({ connection, outcome }),
  });
  const proxy = new IdpProxy({ providers, identities, refresher, client, now });

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    genReqId: () => randomUUID(),
    childLoggerFactory: lazyChildLogger,
    bodyLimit: limits.maxRequestBytes,
    // A whole request (headers and body) must arrive within this time; slow senders are dropped.
    requestTimeout: 30_000,
    routerOptions: { maxParamLength: 4096 },
    return503OnClosing: true,
    // One line per request is enough: the audit line for proxied calls, `onResponse` for the rest.
    logController: new LogController({
      requestIdLogLabel: 'requestId',
      disableRequestLogging: true,
    }),
  });
  app.decorateRequest('caller', undefined);

  // Callback-style hooks: they run on every request, and need no promise.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    done(null, payload);
  });
  const requestCounter = boundPerLabels((route: string, method: string, status: string) =>
    metrics.httpRequests.labels(route, method, status),
  );
  const durationHistogram = boundPerLabels((route: string) => metrics.httpDuration.labels(route));
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requestCounter(route, request.method, String(reply.statusCode)).inc();
    durationHistogram(route).observe(reply.elapsedTime / 1000);
    if (route !== `${PROXY_PREFIX}*`) {
      request.log.info(
        {
          method: request.method,
          route,
          status: reply.statusCode,
          durationMs: Math.round(reply.elapsedTime),
        },
        'request completed',
      );
    }
    done();
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof BrokerError) return sendProblem(reply, request, error);
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 413) return sendProblem(reply, request, new BrokerError('payload_too_large'));
    if (status === 415 || status === 400) {
      return sendProblem(
        reply,
        request,
        new BrokerError('invalid_request', 'the request cannot be read'),
      );
    }
    request.log.error(
      { err: { type: (error as Error).name, message: (error as Error).message } },
      'request failed',
    );
    return sendProblem(reply, request, new BrokerError('internal_error'));
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      request,
      new BrokerError('invalid_request', 'no such route', { status: 404 }),
    ),
  );

  registerOpsRoutes(app, {
    metrics,
    verifier,
    m2m,
    store,
    readinessCacheMs: limits.readinessCacheMs,
  });
  await app.register(async (v1) => {
    v1.addHook('onRequest', (request, _reply, done) => {
      // A token already verified (and not yet expired) is known at once: no promise on that path.
      const known = verifier.known(request.headers.authorization);
      if (known) {
        request.caller = known;
        return done();
      }
      verifier.verify(request.headers.authorization).then(
        (caller) => {
          request.caller = caller;
          done();
        },
        (error: unknown) => {
          if (error instanceof TokenRefusal) {
            metrics.tokenRefusals.labels(error.reason).inc();
            request.log.info({ tokenRefusal: error.reason }, 'token refused');
          }
          done(error as Error);
        },
      );
    });
    registerApiRoutes(v1, { providers, identities, refresher, now });
    await v1.register(async (proxyScope) =>
      registerProxyRoute(proxyScope, {
        proxy,
        metrics,
        audit,
        maxRequestBytes: limits.maxRequestBytes,
      }),
    );
  });

  // Batched log writes still reach the output within a second when traffic is low.
  const logFlush = setInterval(() => logger.flush(), 1000);
  logFlush.unref();
  app.addHook('onClose', async () => {
    clearInterval(logFlush);
    await client.close();
    await store.close();
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
  });
  return app;
}
