import type { FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { DestinationStream, Logger } from 'pino';
import {
  createAccessTokenVerifier,
  type AccessTokenVerifier,
} from '../auth/verify-access-token.js';
import { TenantKeySet } from '../auth/tenant-key-set.js';
import { fleetCallerCounts } from '../cache/caller-counts.js';
import { RedisStore } from '../cache/redis-store.js';
import { MemoryStore, type SharedStore } from '../cache/shared-store.js';
import { AesGcmSealer, IN_PROCESS, type ValueSealer } from '../cache/value-sealer.js';
import { compileCatalogue, type CompiledProvider } from '../catalogue/compiled-provider.js';
import type { BrokerConfig } from '../config/broker-config.js';
import { IdpTokenRefresher } from '../idp/idp-token-refresher.js';
import type { IdpTokenSource } from '../idp/idp-token-source.js';
import { ManagementTokenSource } from '../idp/management-token-source.js';
import {
  connectedAccountIdentities,
  managementIdentities,
  type IdentityLister,
} from '../identities/identity-lister.js';
import { TokenVaultTokenSource } from '../idp/token-vault-token-source.js';
import { IdentityCache } from '../management/identity-cache.js';
import { M2mTokenProvider } from '../management/m2m-token-provider.js';
import { ManagementRateGate } from '../management/management-rate-gate.js';
import { createLoggers, type AuditLog } from '../observability/logger.js';
import {
  boundPerLabels,
  cacheLookupCounter,
  createMetrics,
  type BrokerMetrics,
} from '../observability/metrics.js';
import { CheckedTargets } from '../proxy/checked-targets.js';
import { IdpProxy } from '../proxy/idp-proxy.js';
import { UserCallSlots } from '../proxy/user-call-slots.js';
import { UpstreamClient } from '../upstream/upstream-client.js';

/** Edges a test or an embedding program may replace. */
export interface BrokerDeps {
  /** Where log lines go (default: stdout). */
  logDestination?: DestinationStream;
  /** The shared store; default Redis when `REDIS_URL` is set, else memory. */
  store?: SharedStore;
  now?: () => number;
}

/** Everything the broker's HTTP layer uses, built once from the configuration. */
export interface BrokerServices {
  logger: Logger;
  audit: AuditLog;
  metrics: BrokerMetrics;
  store: SharedStore;
  /**
   * Where the caller rate limit counts: Redis with this instance's memory as its fallback, or
   * undefined for memory alone (the rate limit plugin's own store).
   */
  callerCounts: FastifyRateLimitStoreCtor | undefined;
  providers: Map<string, CompiledProvider>;
  verifier: AccessTokenVerifier;
  /** What `/v1/me/identities` answers, from what the token source can know. */
  identities: IdentityLister;
  refresher: IdpTokenRefresher;
  tokens: IdpTokenSource;
  /** What `/readyz` checks for the token source besides the key set, by name. */
  tokenSourceChecks: Record<string, () => Promise<boolean>>;
  proxy: IdpProxy;
  now: () => number;
  /** Closes upstream connections and the shared store, and flushes the logs. */
  close(): Promise<void>;
}

/** Builds the broker's services from its configuration; the HTTP layer only wires them to routes. */
export function createServices(config: BrokerConfig, deps: BrokerDeps = {}): BrokerServices {
  const now = deps.now ?? Date.now;
  const limits = config.limits;
  const { logger, audit, droppedLines } = createLoggers(config.logLevel, deps.logDestination);
  const metrics = createMetrics({ droppedLogLines: droppedLines });
  const store: SharedStore =
    deps.store ??
    (config.redisUrl
      ? new RedisStore(config.redisUrl, {
          onError: (operation) => metrics.sharedStoreErrors.labels(operation).inc(),
          onConnection: (up) => metrics.sharedStoreUp.set(up ? 1 : 0),
        })
      : new MemoryStore(now));
  const sealer = sealerFor(store, config);
  const callerCounts =
    store instanceof RedisStore
      ? fleetCallerCounts({
          redis: store.redis,
          prefix: store.prefix,
          nameOf: (caller) => sealer.names('rate-limit', caller).current,
          onFallback: () => metrics.sharedStoreErrors.labels('rate_limit').inc(),
        })
      : undefined;
  const client = new UpstreamClient({
    timeoutMs: limits.upstreamTimeoutMs,
    budgetMs: limits.requestBudgetMs,
    maxResponseBytes: limits.maxResponseBytes,
    retries: limits.upstreamRetries,
    retryBaseDelayMs: limits.retryBaseDelayMs,
  });
  const providers = compileCatalogue(config.catalogue);
  const keys = new TenantKeySet({
    url: new URL('/.well-known/jwks.json', config.auth0Origin),
    client,
    refreshAfterMs: limits.jwksRefreshAfterMs,
    maxStaleMs: limits.jwksMaxStaleMs,
    cooldownMs: limits.jwksCooldownMs,
    failureCooldownMs: limits.jwksFailureCooldownMs,
    now,
    onFetch: (outcome, at) => {
      metrics.jwksFetches.labels(outcome).inc();
      if (outcome === 'ok') metrics.jwksFetchedAt.set(at / 1000);
    },
  });
  const verifier = createAccessTokenVerifier({
    issuer: config.issuer,
    audience: config.brokerAudience,
    keys,
    maxTokenLength: limits.maxTokenLength,
    clockToleranceSeconds: limits.clockToleranceSeconds,
  });
  // A fleet lock outlives the fetch it guards: a fetch ends within the client's budget.
  const lockTtlMs = limits.requestBudgetMs + 5000;
  const refresher = new IdpTokenRefresher({
    client,
    idpClients: config.idpClients,
    store,
    sealer,
    lockTtlMs,
    now,
    onRefresh: (connection, outcome) => metrics.idpRefreshes.inc({ connection, outcome }),
    onFleetCache: (outcome) => metrics.fleetCache.labels('refreshed', outcome).inc(),
  });
  const source = createTokenSource(config, {
    providers,
    store,
    sealer,
    lockTtlMs,
    client,
    metrics,
    refresher,
    now,
  });
  const { tokens, identities } = source;
  const slots = new UserCallSlots(limits.maxCallsPerUser);
  const upstreamDuration = boundPerLabels((connection: string) =>
    metrics.upstreamDuration.labels(connection),
  );
  const proxy = new IdpProxy({
    targets: new CheckedTargets(providers),
    tokens,
    client,
    slots,
    now,
    onProviderAnswer: (connection, seconds) => upstreamDuration(connection).observe(seconds),
  });

  // Batched log writes still reach the output within a second when traffic is low.
  const logFlush = setInterval(() => logger.flush(), 1000);
  logFlush.unref();

  return {
    logger,
    audit,
    metrics,
    store,
    callerCounts,
    providers,
    verifier,
    identities,
    refresher,
    tokens,
    tokenSourceChecks: source.checks,
    proxy,
    now,
    close: async () => {
      clearInterval(logFlush);
      await client.close();
      await store.close();
      await new Promise<void>((resolve) => logger.flush(() => resolve()));
    },
  };
}

/**
 * What seals cached tokens: AES-256-GCM with the configured keys; values kept inside the process
 * (memory store, no key) as they are. A store outside the process without a key is refused, so no
 * token reaches it in the clear (docs/architecture.md#fleet-state).
 */
function sealerFor(store: SharedStore, config: BrokerConfig): ValueSealer {
  if (config.cacheKeys?.length) return new AesGcmSealer(config.cacheKeys);
  if (store.fleetWide) {
    throw new Error(
      'a shared store outside the process needs BROKER_CACHE_KEY (or BROKER_CACHE_KEY_FILE)',
    );
  }
  return IN_PROCESS;
}

/** The token source `TOKEN_SOURCE` names, built from that source's settings only. */
function createTokenSource(
  config: BrokerConfig,
  parts: {
    providers: Map<string, CompiledProvider>;
    store: SharedStore;
    sealer: ValueSealer;
    lockTtlMs: number;
    client: UpstreamClient;
    metrics: BrokerMetrics;
    refresher: IdpTokenRefresher;
    now: () => number;
  },
): {
  tokens: IdpTokenSource;
  /** What `/v1/me/identities` can tell with this source. */
  identities: IdentityLister;
  checks: Record<string, () => Promise<boolean>>;
} {
  const { providers, store, sealer, lockTtlMs, client, metrics, refresher, now } = parts;
  const { limits, tokenSource } = config;
  if (tokenSource.kind === 'token-vault') {
    const tokens = new TokenVaultTokenSource({
      store,
      sealer,
      lockTtlMs,
      onFleetCache: (outcome) => metrics.fleetCache.labels('exchanged', outcome).inc(),
      client,
      tokenUrl: new URL(tokenSource.tokenUrl),
      clientId: tokenSource.clientId,
      clientSecret: tokenSource.clientSecret,
      maxRetryAfterSeconds: limits.maxRetryAfterSeconds,
      now,
      onExchange: (connection, outcome) => metrics.tokenVaultExchanges.inc({ connection, outcome }),
      onTokenLookup: cacheLookupCounter(metrics, 'provider_tokens'),
    });
    return {
      tokens,
      identities: connectedAccountIdentities({ tokens, providers }),
      checks: { tokenEndpoint: () => tokens.endpointReady() },
    };
  }
  const m2m = new M2mTokenProvider({
    store,
    sealer,
    client,
    tokenUrl: new URL('/oauth/token', tokenSource.managementOrigin),
    clientId: tokenSource.m2mClientId,
    clientSecret: tokenSource.m2mClientSecret,
    audience: tokenSource.managementAudience,
    marginSeconds: limits.m2mExpiryMarginSeconds,
    lockTtlMs,
    maxRetryAfterSeconds: limits.maxRetryAfterSeconds,
    failureMemoryMs: limits.tokenFailureMemoryMs,
    now,
    onGrant: () => metrics.m2mGrants.inc(),
    onFleetCache: (outcome) => metrics.fleetCache.labels('m2m', outcome).inc(),
  });
  const identities = new IdentityCache({
    store,
    sealer,
    lockTtlMs,
    onFleetCache: (outcome) => metrics.fleetCache.labels('identities', outcome).inc(),
    client,
    m2m,
    gate: new ManagementRateGate(store, limits.maxRetryAfterSeconds, now),
    managementBaseUrl: tokenSource.managementAudience,
    ttlMs: limits.identitiesTtlMs,
    maxRetryAfterSeconds: limits.maxRetryAfterSeconds,
    now,
    onGetUser: () => metrics.getUserCalls.inc(),
    onLookup: cacheLookupCounter(metrics, 'identities'),
  });
  return {
    tokens: new ManagementTokenSource({
      identities,
      refresher,
      now,
      onTokenLookup: cacheLookupCounter(metrics, 'provider_tokens'),
    }),
    identities: managementIdentities({ identities, providers, refresher, now }),
    checks: {
      m2mToken: () =>
        m2m.get().then(
          () => true,
          () => false,
        ),
    },
  };
}
