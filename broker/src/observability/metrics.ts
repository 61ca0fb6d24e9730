import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { UPSTREAM_LIMITS } from '../errors/broker-error.js';
import { TOKEN_REFUSAL_REASONS } from '../errors/token-refusal.js';
import { MAX_PENDING_LOG_BYTES } from './logger.js';

/** The caches whose hit ratio `broker_cache_lookups_total` gives. */
export const LOOKED_UP_CACHES = ['identities', 'provider_tokens'] as const;
export type CacheLookup = 'hit' | 'miss';

/**
 * The broker's Prometheus metrics, in a registry of its own (several brokers can live in one test
 * process). Labels are route patterns, connections and outcomes: never a URL, user or token.
 */
export function createMetrics(
  sources: {
    /** Log lines dropped so far because stdout's reader fell behind (`logger.ts`). */
    droppedLogLines?: () => number;
  } = {},
) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const droppedLogLines = sources.droppedLogLines ?? (() => 0);
  let reportedDroppedLogLines = 0;
  const tokenRefusals = new Counter({
    name: 'broker_token_refusals_total',
    help: 'Caller tokens refused, by the check that failed',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  // Every reason is reported from the start (at 0), so a rate or an alert needs no first refusal.
  for (const reason of TOKEN_REFUSAL_REASONS) tokenRefusals.labels(reason).inc(0);
  const cacheLookupCounts = new LaterCounts();
  const cacheLookups = new Counter({
    name: 'broker_cache_lookups_total',
    collect() {
      cacheLookupCounts.addTo(this);
    },
    help:
      "Lookups in this instance's caches, by cache (identities, provider_tokens) and result: " +
      'hit (answered from memory), miss (a read, refresh or exchange, or waiting for one)',
    labelNames: ['cache', 'result'] as const,
    registers: [registry],
  });
  for (const cache of LOOKED_UP_CACHES) {
    for (const result of ['hit', 'miss']) cacheLookups.labels(cache, result).inc(0);
  }
  const rateLimitRefusals = new Counter({
    name: 'broker_rate_limit_refusals_total',
    help:
      'Requests answered 429, by whose rate limit: caller (rate_limited, the caller sent too ' +
      'many), or the upstream that is rate limiting (token_endpoint, management, provider)',
    labelNames: ['limit'] as const,
    registers: [registry],
  });
  for (const limit of ['caller', ...UPSTREAM_LIMITS]) rateLimitRefusals.labels(limit).inc(0);
  // Counted on every request: in plain numbers, added to their counters when read.
  const httpRequestCounts = new LaterCounts();
  const proxyCallCounts = new LaterCounts();
  return {
    registry,
    httpRequestCounts,
    proxyCallCounts,
    httpRequests: new Counter({
      name: 'broker_http_requests_total',
      help: 'Requests answered, by route pattern and status',
      labelNames: ['route', 'method', 'status'] as const,
      registers: [registry],
      collect() {
        httpRequestCounts.addTo(this);
      },
    }),
    httpDuration: new Histogram({
      name: 'broker_http_request_duration_seconds',
      help: 'Time to answer, by route pattern',
      labelNames: ['route'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    proxyCalls: new Counter({
      name: 'broker_proxy_calls_total',
      collect() {
        proxyCallCounts.addTo(this);
      },
      help: 'Proxied calls, by connection and problem code (or "ok")',
      labelNames: ['connection', 'outcome'] as const,
      registers: [registry],
    }),
    tokenRefusals,
    cacheLookups,
    cacheLookupCounts,
    rateLimitRefusals,
    upstreamDuration: new Histogram({
      name: 'broker_upstream_duration_seconds',
      help: "Time to a provider API's answer headers, by connection",
      labelNames: ['connection'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    m2mGrants: new Counter({
      name: 'broker_m2m_grants_total',
      help: 'Client-credentials grants sent to the tenant',
      registers: [registry],
    }),
    getUserCalls: new Counter({
      name: 'broker_management_get_user_total',
      help: 'Get User requests sent to the Management API',
      registers: [registry],
    }),
    connectionsRefused: new Counter({
      name: 'broker_connections_refused_total',
      help: 'Client connections closed on arrival, by the bound they would have passed',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    jwksFetches: new Counter({
      name: 'broker_jwks_fetches_total',
      help: 'Fetches of the tenant key set, by outcome (ok, failed)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    jwksFetchedAt: new Gauge({
      name: 'broker_jwks_last_success_timestamp_seconds',
      help: 'When the key set in use was fetched; time() minus this is its age',
      registers: [registry],
    }),
    idpRefreshes: new Counter({
      name: 'broker_idp_token_refresh_total',
      help: 'IdP token refreshes, by connection and outcome',
      labelNames: ['connection', 'outcome'] as const,
      registers: [registry],
    }),
    fleetCache: new Counter({
      name: 'broker_fleet_cache_total',
      help:
        'Cold reads of a fleet-shared cache (identities, m2m, refreshed, exchanged), by how they ' +
        'were answered: shared (from Redis), fetched (for the fleet), alone (without Redis)',
      labelNames: ['cache', 'outcome'] as const,
      registers: [registry],
    }),
    sharedStoreUp: new Gauge({
      name: 'broker_shared_store_up',
      help: 'Whether the shared store (Redis) is connected: 0 while the broker works alone',
      registers: [registry],
    }),
    sharedStoreErrors: new Counter({
      name: 'broker_shared_store_errors_total',
      help: 'Shared store (Redis) commands that failed, by operation; the broker then works alone',
      labelNames: ['operation'] as const,
      registers: [registry],
    }),
    logLinesDropped: new Counter({
      name: 'broker_log_lines_dropped_total',
      help: `Log lines (audit lines included) dropped because stdout's reader fell more than ${MAX_PENDING_LOG_BYTES / 1024 / 1024} MiB behind`,
      registers: [registry],
      // Read from the log destination when scraped: the write path counts nothing more.
      collect() {
        const dropped = droppedLogLines();
        this.inc(dropped - reportedDroppedLogLines);
        reportedDroppedLogLines = dropped;
      },
    }),
    tokenVaultExchanges: new Counter({
      name: 'broker_token_vault_exchanges_total',
      help: 'Token Vault exchanges sent, by connection and outcome',
      labelNames: ['connection', 'outcome'] as const,
      registers: [registry],
    }),
  };
}
export type BrokerMetrics = ReturnType<typeof createMetrics>;

/** Counts one cache's lookups in `broker_cache_lookups_total`: a lookup runs on every proxied call. */
export function cacheLookupCounter(
  metrics: { cacheLookupCounts: LaterCounts },
  cache: (typeof LOOKED_UP_CACHES)[number],
): (result: CacheLookup) => void {
  const hit = metrics.cacheLookupCounts.of(cache, 'hit');
  const miss = metrics.cacheLookupCounts.of(cache, 'miss');
  return (result) => {
    (result === 'hit' ? hit : miss).count += 1;
  };
}

/** A count not yet added to its counter. */
export interface LaterCount {
  count: number;
}

/**
 * Counts of one prom-client counter kept in plain numbers per label set, and added to it when the
 * registry is read (prom-client calls the counter's `collect` first). A `labels()` child's `inc`
 * hashes and validates its labels on every call (about 0.2 µs, and garbage); these counters move
 * on every request.
 */
export class LaterCounts {
  private readonly leaves: Array<LaterCount & { values: string[] }> = [];

  /** The count of one label set, its values in the counter's `labelNames` order. */
  readonly of = boundPerLabels((...values: string[]): LaterCount => {
    const leaf = { values, count: 0 };
    this.leaves.push(leaf);
    return leaf;
  });

  /** Adds the counts made since the last read to `counter`. */
  addTo(counter: Counter<string>): void {
    for (const leaf of this.leaves) {
      if (leaf.count === 0) continue;
      counter.labels(...leaf.values).inc(leaf.count);
      leaf.count = 0;
    }
  }
}

interface LabelNode<Child> {
  next: Map<string, LabelNode<Child>>;
  child?: { value: Child };
}

/**
 * `bind` called once per label set and its child kept, found through one map per label, so a
 * lookup builds no key: the broker's label sets are few (route patterns × methods × statuses,
 * connections × outcomes). For a prom-client child this saves building the labels object per
 * request, not prom-client's work: a `labels()` child is `inc`/`observe` bound to that object,
 * so every update still hashes and validates the labels (about 0.2 µs; `LaterCounts` avoids it
 * for counters).
 */
export function boundPerLabels<Labels extends string[], Child>(
  bind: (...labels: Labels) => Child,
): (...labels: Labels) => Child {
  const root: LabelNode<Child> = { next: new Map() };
  return (...labels) => {
    let node = root;
    for (const label of labels) {
      let next = node.next.get(label);
      if (!next) {
        next = { next: new Map() };
        node.next.set(label, next);
      }
      node = next;
    }
    node.child ??= { value: bind(...labels) };
    return node.child.value;
  };
}
