import type { BrokerLimits } from './broker-config.js';

/**
 * The environment variable that sets each limit (docs/architecture.md#timeouts-budgets-and-limits):
 * every limit has one, so an operator can tune any of them without a build.
 */
export const LIMIT_VARIABLES: Record<keyof BrokerLimits, string> = {
  maxTokenLength: 'BROKER_MAX_TOKEN_LENGTH',
  clockToleranceSeconds: 'BROKER_CLOCK_TOLERANCE_SECONDS',
  m2mExpiryMarginSeconds: 'BROKER_M2M_EXPIRY_MARGIN_SECONDS',
  identitiesTtlMs: 'BROKER_IDENTITIES_TTL_MS',
  upstreamTimeoutMs: 'BROKER_UPSTREAM_TIMEOUT_MS',
  requestBudgetMs: 'BROKER_REQUEST_BUDGET_MS',
  maxResponseBytes: 'BROKER_MAX_RESPONSE_BYTES',
  maxRequestBytes: 'BROKER_MAX_REQUEST_BYTES',
  maxCallsPerUser: 'BROKER_MAX_CALLS_PER_USER',
  upstreamRetries: 'BROKER_UPSTREAM_RETRIES',
  retryBaseDelayMs: 'BROKER_RETRY_BASE_DELAY_MS',
  jwksCooldownMs: 'BROKER_JWKS_COOLDOWN_MS',
  jwksFailureCooldownMs: 'BROKER_JWKS_FAILURE_COOLDOWN_MS',
  jwksRefreshAfterMs: 'BROKER_JWKS_REFRESH_AFTER_MS',
  jwksMaxStaleMs: 'BROKER_JWKS_MAX_STALE_MS',
  readinessCacheMs: 'BROKER_READINESS_CACHE_MS',
  connectionTimeoutMs: 'BROKER_CONNECTION_TIMEOUT_MS',
  keepAliveTimeoutMs: 'BROKER_KEEP_ALIVE_TIMEOUT_MS',
  headersTimeoutMs: 'BROKER_HEADERS_TIMEOUT_MS',
  requestTimeoutMs: 'BROKER_REQUEST_TIMEOUT_MS',
  maxConnections: 'BROKER_MAX_CONNECTIONS',
  maxConnectionsPerAddress: 'BROKER_MAX_CONNECTIONS_PER_ADDRESS',
  maxRetryAfterSeconds: 'BROKER_MAX_RETRY_AFTER_SECONDS',
  tokenFailureMemoryMs: 'BROKER_TOKEN_FAILURE_MEMORY_MS',
  shutdownGraceMs: 'BROKER_SHUTDOWN_GRACE_MS',
  rateLimitMax: 'BROKER_RATE_LIMIT_MAX',
  rateLimitWindowMs: 'BROKER_RATE_LIMIT_WINDOW_MS',
};

/** The limits set in `env`, each a whole number ≥ 0; a bad value is a problem, not a default. */
export function limitsFromEnv(
  env: Record<string, string | undefined>,
  problems: string[],
): Partial<BrokerLimits> {
  const limits: Partial<BrokerLimits> = {};
  for (const [key, name] of Object.entries(LIMIT_VARIABLES) as [keyof BrokerLimits, string][]) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    const value = Number(text);
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) {
      problems.push(`${name}: "${text}" is not a whole number`);
      continue;
    }
    limits[key] = value;
  }
  return limits;
}
