import type { ProviderCatalogue } from '@linkboard/contract';
import type { CacheKey } from '../cache/value-sealer.js';

/** IdP OAuth client credentials the broker uses to refresh a connection's tokens. */
export interface IdpClientCredentials {
  clientId: string;
  clientSecret: string;
}

/**
 * `management`: the user's identities read with an M2M token for the Management API
 * (`read:users`, `read:user_idp_tokens`). `token-vault`: the caller's own access token exchanged at
 * the tenant's token endpoint for that user's provider token, with the broker API's own client
 * credentials and no Management API access (docs/architecture.md#provider-token-sources).
 */
export type TokenSourceConfig =
  | {
      kind: 'management';
      /**
       * Origin of the tenant's own domain for the token endpoint and the Management API: the same
       * as `auth0Origin` unless `AUTH0_MANAGEMENT_DOMAIN` names the canonical domain behind a
       * custom one.
       */
      managementOrigin: string;
      /** Audience (and base URL) of the Management API: `{managementOrigin}/api/v2/`. */
      managementAudience: string;
      m2mClientId: string;
      m2mClientSecret: string;
    }
  | {
      kind: 'token-vault';
      /** The tenant's token endpoint, `{auth0Origin}/oauth/token`. */
      tokenUrl: string;
      /** The broker API's Custom API Client, allowed the Token Vault grant. */
      clientId: string;
      clientSecret: string;
    };

export type TokenSourceKind = TokenSourceConfig['kind'];

/** The broker's validated configuration. Built by `loadConfig` from the environment. */
export interface BrokerConfig {
  /** Tenant origin, no trailing slash: `https://tenant.eu.auth0.com` or `http://127.0.0.1:N`. */
  auth0Origin: string;
  /** Expected `iss` of callers' tokens: the origin with a trailing slash, like Auth0. */
  issuer: string;
  /** Where provider tokens come from (`TOKEN_SOURCE`), with only that source's settings. */
  tokenSource: TokenSourceConfig;
  /** Audience callers' tokens must carry. */
  brokerAudience: string;
  host: string;
  port: number;
  redisUrl: string | undefined;
  /**
   * Keys that seal cached values carrying tokens before they reach Redis (`BROKER_CACHE_KEY` or
   * `_FILE`): the first seals, every one opens. Required with `redisUrl`
   * (docs/architecture.md#fleet-state).
   */
  cacheKeys: CacheKey[] | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** The provider catalogue with any base-URL overrides applied. */
  catalogue: ProviderCatalogue;
  /** Client credentials per connection, for IdP token refresh. */
  idpClients: Record<string, IdpClientCredentials>;
  /**
   * The bearer token `/metrics` asks for (`BROKER_METRICS_TOKEN` or `_FILE`); unset, `/metrics`
   * is open, for a scrape that only a private network reaches.
   */
  metricsToken?: string;
  /**
   * Where callers reach the broker (`BROKER_PUBLIC_URL`): the base of the absolute paging links
   * the SDKs follow (docs/architecture.md#pagination-links). No trailing slash.
   */
  publicUrl?: string;
  /**
   * The proxies whose `Forwarded` / `X-Forwarded-*` headers are believed (`BROKER_TRUST_PROXY`):
   * addresses, CIDR ranges or proxy-addr names. Unset, those headers are ignored.
   */
  trustProxy?: string[];
  /**
   * Connections mounted at the root of a port of their own (`BROKER_CONNECTION_PORTS`), for an
   * SDK that keeps only the origin of its base URL (docs/architecture.md#connection-mounts).
   */
  connectionPorts?: Record<string, number>;
  /** Bounds and tunables; defaults suit production. */
  limits: BrokerLimits;
}

export interface BrokerLimits {
  /** Largest caller token accepted, in characters. */
  maxTokenLength: number;
  /** Seconds of clock tolerance for `exp`/`nbf`. */
  clockToleranceSeconds: number;
  /** Seconds before an M2M token's expiry at which it is no longer used. */
  m2mExpiryMarginSeconds: number;
  /** Longest time an identities entry is kept, in milliseconds. */
  identitiesTtlMs: number;
  /** Upstream time limit per attempt, in milliseconds. */
  upstreamTimeoutMs: number;
  /**
   * A request's time budget, in milliseconds: everything a caller's request waits for (upstream
   * calls, their retries, shared fetches) ends within it; also each upstream call's own bound.
   * Shorter than the desktop's timeout, so the desktop gets the broker's answer, not its own.
   */
  requestBudgetMs: number;
  /** Largest upstream response body, in bytes. */
  maxResponseBytes: number;
  /** Provider calls in flight per user; more wait for a slot within their time budget. */
  maxCallsPerUser: number;
  /** Largest request body, in bytes. */
  maxRequestBytes: number;
  /** Retries after the first attempt for idempotent calls on 502/503/504/network errors. */
  upstreamRetries: number;
  /** First backoff delay in milliseconds (full jitter, doubled each time). */
  retryBaseDelayMs: number;
  /** Least time between two key set fetches after a successful one (an unknown `kid` waits), ms. */
  jwksCooldownMs: number;
  /** Least time between two key set fetches after a failed one, in milliseconds. */
  jwksFailureCooldownMs: number;
  /** Age at which the held key set is refreshed (it stays in use while that fails), in ms. */
  jwksRefreshAfterMs: number;
  /** Age past which a key set that could not be refreshed is no longer used, in milliseconds. */
  jwksMaxStaleMs: number;
  /** A socket with no traffic either way for this long is closed (Node's `server.timeout`), ms. */
  connectionTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long, in milliseconds. */
  keepAliveTimeoutMs: number;
  /** A request's headers must all arrive within this time of its start, in milliseconds. */
  headersTimeoutMs: number;
  /** A whole request (headers and body) must arrive within this time, in milliseconds. */
  requestTimeoutMs: number;
  /** Open client connections per process; more are closed at once (0: no bound). */
  maxConnections: number;
  /** Open client connections per client address; more are closed at once (0: no bound). */
  maxConnectionsPerAddress: number;
  /** How long a `/readyz` answer is reused, so probes do not hammer the tenant, in milliseconds. */
  readinessCacheMs: number;
  /**
   * Longest upstream `Retry-After` the broker honours and passes on, in seconds; after such a wait
   * one trial call goes to the Management API before the others.
   */
  maxRetryAfterSeconds: number;
  /**
   * How long a failed M2M grant is remembered, in milliseconds: callers in that time get the
   * same answer at once instead of each sending another grant to a failing token endpoint.
   */
  tokenFailureMemoryMs: number;
  /**
   * How long requests in flight may take to finish once the broker is asked to stop, in
   * milliseconds; then their connections are closed and the process exits 1.
   */
  shutdownGraceMs: number;
  /**
   * Requests one caller (the token's `sub`) may send under `/v1` per window, across the fleet when
   * Redis is shared; more get 429 `rate_limited` until the window ends. 0 turns it off.
   */
  rateLimitMax: number;
  /** The caller rate limit's window, in milliseconds. */
  rateLimitWindowMs: number;
}

export const DEFAULT_LIMITS: BrokerLimits = {
  maxTokenLength: 8192,
  clockToleranceSeconds: 5,
  m2mExpiryMarginSeconds: 60,
  identitiesTtlMs: 60_000,
  upstreamTimeoutMs: 10_000,
  requestBudgetMs: 15_000,
  maxResponseBytes: 5 * 1024 * 1024,
  maxRequestBytes: 256 * 1024,
  maxCallsPerUser: 8,
  upstreamRetries: 2,
  retryBaseDelayMs: 100,
  jwksCooldownMs: 30_000,
  jwksFailureCooldownMs: 5000,
  jwksRefreshAfterMs: 10 * 60_000,
  jwksMaxStaleMs: 24 * 3600_000,
  readinessCacheMs: 5000,
  connectionTimeoutMs: 30_000,
  keepAliveTimeoutMs: 10_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  maxConnections: 512,
  maxConnectionsPerAddress: 64,
  maxRetryAfterSeconds: 60,
  tokenFailureMemoryMs: 2000,
  shutdownGraceMs: 15_000,
  rateLimitMax: 600,
  rateLimitWindowMs: 60_000,
};
