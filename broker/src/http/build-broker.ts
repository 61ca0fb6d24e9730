import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { BrokerConfig } from '../config/broker-config.js';
import { lazyChildLogger } from '../observability/lazy-child-logger.js';
import { createServices, type BrokerDeps } from '../services/create-services.js';
import { setAnswerHeaders } from './answer-headers.js';
import { apiRoutes } from './api-routes.js';
import { limitConnections, serverOptions } from './connection-limits.js';
import { opsRoutes } from './ops-routes.js';
import { authPlugin } from './plugins/auth-plugin.js';
import { callerRateLimit } from './plugins/caller-rate-limit.js';
import { deadlinePlugin } from './plugins/deadline-plugin.js';
import { metricsPlugin } from './plugins/metrics-plugin.js';
import {
  clientErrorProblem,
  frameworkErrorProblem,
  problemPlugin,
} from './plugins/problem-plugin.js';
import { zodSchemasPlugin } from './plugins/zod-schemas.js';
import { proxyRoute } from './proxy-route.js';
import { referenceBaseResolver } from './public-base.js';

export type { BrokerDeps } from '../services/create-services.js';

/** How long the start waits for the shared store before serving without it. */
const STORE_CONNECT_WAIT_MS = 3000;

/** Builds the broker's Fastify instance over its services; it does not listen. */
export async function buildBroker(
  config: BrokerConfig,
  deps: BrokerDeps = {},
): Promise<FastifyInstance> {
  const services = createServices(config, deps);
  const { limits } = config;
  // The fleet's guarantees start with the first request when Redis is there; without it the
  // broker starts anyway and works alone until it connects (docs/architecture.md#fleet-state).
  if (services.store.connected && !(await services.store.connected(STORE_CONNECT_WAIT_MS))) {
    services.logger.warn('shared store not reachable at start: working alone until it connects');
  }
  const app = Fastify({
    loggerInstance: services.logger as FastifyBaseLogger,
    genReqId: () => randomUUID(),
    childLoggerFactory: lazyChildLogger,
    bodyLimit: limits.maxRequestBytes,
    // Slow senders, idle sockets and idle keep-alive connections are dropped
    // (docs/architecture.md#timeouts-budgets-and-limits).
    connectionTimeout: limits.connectionTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    http: serverOptions(limits),
    routerOptions: { maxParamLength: 4096 },
    // Only the listed proxies' X-Forwarded-For makes `request.ip`; unset, the peer's address.
    ...(config.trustProxy ? { trustProxy: config.trustProxy } : {}),
    // A request that arrives on an open keep-alive connection after a stop began is served like
    // any other, its answer closing the connection (`graceful-close.ts`): a 503 there would reach
    // a caller behind a balancer as an error, as balancers send requests again only when a
    // connection is refused. New connections are refused from the start of the stop.
    return503OnClosing: false,
    // Refusals Fastify or Node's parser make themselves are problem documents too.
    frameworkErrors: frameworkErrorProblem(services.providers),
    clientErrorHandler: clientErrorProblem,
    // One line per request is enough: the audit line for proxied calls, `onResponse` for the rest.
    logController: new LogController({
      requestIdLogLabel: 'requestId',
      disableRequestLogging: true,
    }),
  });
  app.addHook('onClose', services.close);
  // Set when a stop begins (`graceful-close.ts`); read by every answer's headers.
  app.decorate('stopping', false);
  limitConnections(app.server, limits, (reason) =>
    services.metrics.connectionsRefused.labels(reason).inc(),
  );

  // A callback hook: it runs on every answer sent through Fastify's reply, and needs no promise.
  // (The proxy route writes most of its answers itself, with the same headers.)
  app.addHook('onSend', (request, reply, payload, done) => {
    setAnswerHeaders(request, reply);
    done(null, payload);
  });
  await app.register(zodSchemasPlugin);
  await app.register(problemPlugin, { providers: services.providers });
  await app.register(metricsPlugin, { metrics: services.metrics });
  await app.register(opsRoutes, {
    metrics: services.metrics,
    verifier: services.verifier,
    tokenSourceChecks: services.tokenSourceChecks,
    store: services.store,
    readinessCacheMs: limits.readinessCacheMs,
    metricsToken: config.metricsToken,
  });
  // Everything under /v1 needs a verified caller.
  await app.register(async (v1) => {
    await v1.register(deadlinePlugin, { budgetMs: limits.requestBudgetMs });
    await v1.register(authPlugin, { verifier: services.verifier, metrics: services.metrics });
    await v1.register(callerRateLimit, {
      max: limits.rateLimitMax,
      windowMs: limits.rateLimitWindowMs,
      counts: services.callerCounts,
      metrics: services.metrics,
    });
    await v1.register(apiRoutes, {
      providers: services.providers,
      identities: services.identities,
    });
    await v1.register(proxyRoute, {
      proxy: services.proxy,
      metrics: services.metrics,
      audit: services.audit,
      maxRequestBytes: limits.maxRequestBytes,
      referenceBase: referenceBaseResolver(config),
    });
  });
  return app;
}
