import { LRUCache } from 'lru-cache';
import { FleetCache, type FleetCacheOutcome } from '../cache/fleet-cache.js';
import type { SharedStore } from '../cache/shared-store.js';
import type { ValueSealer } from '../cache/value-sealer.js';
import { BrokerError } from '../errors/broker-error.js';
import { retryAfterSeconds } from '../upstream/response-headers.js';
import { sendJson, type JsonAnswer } from '../upstream/send-json.js';
import type { UpstreamClient } from '../upstream/upstream-client.js';
import type { M2mTokenProvider } from './m2m-token-provider.js';
import type { ManagementRateGate } from './management-rate-gate.js';
import {
  Auth0User,
  fromShared,
  SharedUserIdentities,
  toUserIdentities,
  USER_FIELDS,
  type UserIdentities,
} from './user-identities.js';
import type { CacheLookup } from '../observability/metrics.js';
import { inSpan, SPAN } from '../observability/tracing.js';

export interface IdentityCacheOptions {
  /** Where the fleet shares reads, sealed (they carry provider tokens). */
  store: SharedStore;
  sealer: ValueSealer;
  /** Longest one instance holds the fleet's lock on a user's read: past the read's budget. */
  lockTtlMs: number;
  client: UpstreamClient;
  m2m: M2mTokenProvider;
  gate: ManagementRateGate;
  /** `https://tenant/api/v2/`. */
  managementBaseUrl: string;
  ttlMs: number;
  /** Longest upstream `Retry-After` honoured and passed on, in seconds. */
  maxRetryAfterSeconds: number;
  maxEntries?: number;
  now?: () => number;
  /** Called once per lookup: answered from memory (`hit`) or not (metrics). */
  onLookup?: (result: CacheLookup) => void;
  /** Called once per Get User request sent (metrics). */
  onGetUser?: () => void;
  onFleetCache?: (outcome: FleetCacheOutcome) => void;
}

/** Shortest life of an entry, so an IdP token about to expire does not cause a read per request. */
const MIN_TTL_MS = 1000;
const MANAGEMENT_API = 'the tenant Management API';

/**
 * Each user's identities from the Management API: one Get User in flight per user across the
 * fleet, kept briefly and never past the earliest known expiry of the user's IdP access tokens.
 * Each instance keeps the reads it uses; the fleet shares them sealed through the shared store.
 */
export class IdentityCache {
  private readonly entries: LRUCache<string, UserIdentities>;
  private readonly fleet: FleetCache<SharedUserIdentities>;
  private readonly now: () => number;

  constructor(private readonly options: IdentityCacheOptions) {
    const now = options.now ?? Date.now;
    this.now = now;
    this.fleet = new FleetCache({
      store: options.store,
      sealer: options.sealer,
      namespace: 'identities',
      schema: SharedUserIdentities,
      lockTtlMs: options.lockTtlMs,
      now,
      onOutcome: options.onFleetCache,
    });
    this.entries = new LRUCache<string, UserIdentities>({
      max: options.maxEntries ?? 10_000,
      perf: { now },
      ttlResolution: 0,
      // Evicting or dropping an entry whose read is in flight must not fail its waiting callers.
      ignoreFetchAbort: true,
      fetchMethod: async (userId, _stale, { options: entry }) => {
        const { value, expiresAt } = await this.fleet.get(userId, async () => {
          const read = await this.read(userId);
          return { value: read, expiresAt: this.now() + this.lifetimeOf(read) };
        });
        entry.ttl = Math.max(1, expiresAt - this.now());
        return fromShared(value);
      },
    });
  }

  /** The user's identities: kept, or read once however many callers ask at the same time. */
  async get(userId: string): Promise<UserIdentities> {
    const status: LRUCache.Status<string, UserIdentities> = {};
    const value = await this.entries.fetch(userId, { status });
    this.options.onLookup?.(status.fetch === 'hit' ? 'hit' : 'miss');
    if (!value) throw new BrokerError('internal_error', 'the identities read was abandoned');
    return value;
  }

  /**
   * What `use` makes of the user's identities when this instance holds a current read (no
   * promise, no read started), counted as a hit once `use` gives something; otherwise undefined.
   */
  held<T>(userId: string, use: (read: UserIdentities) => T | undefined): T | undefined {
    const read = this.entries.get(userId);
    if (!read) return undefined;
    const used = use(read);
    if (used !== undefined) this.options.onLookup?.('hit');
    return used;
  }

  /**
   * Drops the entry if it is still `seen` (the read a caller used), so many callers refused with
   * the same read cause one re-read, not one each. Returns the current read afterwards.
   */
  async reread(seen: UserIdentities): Promise<UserIdentities> {
    if (this.entries.peek(seen.userId) === seen) {
      this.entries.delete(seen.userId);
      // Another instance may have re-read already: only the same read is dropped.
      await this.fleet.drop(seen.userId, (shared) => shared.fetchedAt === seen.fetchedAt);
    }
    return this.get(seen.userId);
  }

  private async read(userId: string): Promise<UserIdentities> {
    const trial = await this.options.gate.check();
    let answer: JsonAnswer<Auth0User>;
    try {
      let token = await this.options.m2m.get();
      answer = await this.getUser(userId, token);
      if (answer.response.status === 401) {
        await this.options.m2m.drop(token);
        token = await this.options.m2m.get();
        answer = await this.getUser(userId, token);
      }
    } catch (error) {
      await trial?.failed();
      throw error;
    }
    if (answer.response.status !== 429) await trial?.succeeded();
    return this.interpret(userId, answer);
  }

  private getUser(userId: string, token: string): Promise<JsonAnswer<Auth0User>> {
    return inSpan(SPAN.getUser, {}, async (span) => {
      const answer = await this.sendGetUser(userId, token);
      span?.setAttribute('http.response.status_code', answer.response.status);
      return answer;
    });
  }

  private sendGetUser(userId: string, token: string): Promise<JsonAnswer<Auth0User>> {
    const url = new URL(`users/${encodeURIComponent(userId)}`, this.options.managementBaseUrl);
    url.search = new URLSearchParams({ fields: USER_FIELDS, include_fields: 'true' }).toString();
    this.options.onGetUser?.();
    return sendJson(
      this.options.client,
      {
        method: 'GET',
        url,
        idempotent: true,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      },
      Auth0User,
      MANAGEMENT_API,
    );
  }

  private async interpret(
    userId: string,
    { response, data }: JsonAnswer<Auth0User>,
  ): Promise<UserIdentities> {
    const fetchedAt = this.now();
    if (response.status === 404) {
      return { userId, identities: [], fetchedAt, refusedConnections: new Set() };
    }
    const wait = retryAfterSeconds(response.headers, fetchedAt, this.options.maxRetryAfterSeconds);
    if (response.status === 429) {
      const applied = await this.options.gate.block(wait ?? 1);
      throw new BrokerError('upstream_rate_limited', `${MANAGEMENT_API} is rate limiting`, {
        retryAfterSeconds: applied,
        limitedBy: 'management',
      });
    }
    if (response.status === 401 || response.status === 403) {
      // Still refused after a fresh M2M token: the broker's client lacks the grant, not a token.
      throw new BrokerError(
        'upstream_error',
        `${MANAGEMENT_API} refused the broker's M2M token (${response.status}): ` +
          "authorise the broker's M2M client for the Management API with read:users and read:user_idp_tokens",
      );
    }
    if (response.status >= 500) {
      throw new BrokerError('upstream_unavailable', `${MANAGEMENT_API} is unavailable`, {
        ...(wait === undefined ? {} : { retryAfterSeconds: wait }),
      });
    }
    if (response.status !== 200) {
      throw new BrokerError('upstream_error', `${MANAGEMENT_API} answered ${response.status}`);
    }
    if (!data || data.user_id !== userId) {
      throw new BrokerError('upstream_error', 'the tenant user record is not understood');
    }
    return toUserIdentities(data, fetchedAt);
  }

  /** How long a read is kept: the configured time, but not past the earliest IdP token expiry. */
  private lifetimeOf(value: UserIdentities): number {
    const now = this.now();
    let ttl = this.options.ttlMs;
    for (const identity of value.identities) {
      const expiresAt = identity.accessTokenExpiresAt;
      // Tokens already expired do not shorten the entry: re-reading would not revive them.
      if (expiresAt !== undefined && expiresAt > now) ttl = Math.min(ttl, expiresAt - now);
    }
    return Math.max(MIN_TTL_MS, ttl);
  }
}
