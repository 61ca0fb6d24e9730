import { SingleFlight } from '../cache/single-flight.js';
import { BrokerError } from '../errors/broker-error.js';
import { retryAfterSeconds } from '../upstream/response-headers.js';
import {
  UpstreamUnreachableError,
  type UpstreamClient,
  type UpstreamResponse,
} from '../upstream/upstream-client.js';
import type { M2mTokenProvider } from './m2m-token-provider.js';
import type { ManagementRateGate } from './management-rate-gate.js';
import {
  Auth0User,
  toUserIdentities,
  USER_FIELDS,
  type UserIdentities,
} from './user-identities.js';

export interface IdentityCacheOptions {
  client: UpstreamClient;
  m2m: M2mTokenProvider;
  gate: ManagementRateGate;
  /** `https://tenant/api/v2/`. */
  managementBaseUrl: string;
  ttlMs: number;
  maxEntries?: number;
  now?: () => number;
  /** Called once per Get User request sent (metrics). */
  onGetUser?: () => void;
}

/** Shortest life of an entry, so an IdP token about to expire does not cause a read per request. */
const MIN_TTL_MS = 1000;

/**
 * Each user's identities from the Management API: one Get User in flight per user, kept briefly and
 * never past the earliest known expiry of the user's IdP access tokens.
 */
export class IdentityCache {
  private readonly entries = new Map<string, { value: UserIdentities; expiresAt: number }>();
  private readonly flight = new SingleFlight<UserIdentities>();
  private readonly now: () => number;
  private readonly maxEntries: number;

  constructor(private readonly options: IdentityCacheOptions) {
    this.now = options.now ?? Date.now;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  async get(userId: string): Promise<UserIdentities> {
    const entry = this.entries.get(userId);
    if (entry && entry.expiresAt > this.now()) return entry.value;
    if (entry) this.entries.delete(userId);
    return this.flight.run(userId, () => this.read(userId));
  }

  /**
   * Drops the entry if it is still `seen` (the read a caller used), so many callers refused with
   * the same read cause one re-read, not one each. Returns the current read afterwards.
   */
  async reread(seen: UserIdentities): Promise<UserIdentities> {
    const entry = this.entries.get(seen.userId);
    if (entry?.value === seen) this.entries.delete(seen.userId);
    return this.get(seen.userId);
  }

  private async read(userId: string): Promise<UserIdentities> {
    await this.options.gate.check();
    let token = await this.options.m2m.get();
    let response = await this.getUser(userId, token);
    if (response.status === 401) {
      await this.options.m2m.drop(token);
      token = await this.options.m2m.get();
      response = await this.getUser(userId, token);
    }
    const value = await this.interpret(userId, response);
    this.remember(value);
    return value;
  }

  private async getUser(userId: string, token: string): Promise<UpstreamResponse> {
    const url = new URL(`users/${encodeURIComponent(userId)}`, this.options.managementBaseUrl);
    url.search = new URLSearchParams({ fields: USER_FIELDS, include_fields: 'true' }).toString();
    this.options.onGetUser?.();
    try {
      return await this.options.client.send({
        method: 'GET',
        url,
        idempotent: true,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      });
    } catch (error) {
      if (error instanceof UpstreamUnreachableError) {
        throw new BrokerError(
          'upstream_unavailable',
          'the tenant Management API cannot be reached',
        );
      }
      throw new BrokerError('upstream_error', 'the tenant Management API answered badly');
    }
  }

  private async interpret(userId: string, response: UpstreamResponse): Promise<UserIdentities> {
    const fetchedAt = this.now();
    if (response.status === 404) {
      return { userId, identities: [], fetchedAt, refusedConnections: new Set() };
    }
    if (response.status === 429) {
      const wait = retryAfterSeconds(response.headers, fetchedAt) ?? 1;
      await this.options.gate.block(wait);
      throw new BrokerError('upstream_rate_limited', 'the tenant Management API is rate limiting', {
        retryAfterSeconds: wait,
      });
    }
    if (response.status === 401 || response.status === 403) {
      // Still refused after a fresh M2M token: the broker's client lacks the grant, not a token.
      throw new BrokerError(
        'upstream_error',
        `the tenant Management API refused the broker's M2M token (${response.status}): ` +
          "authorise the broker's M2M client for the Management API with read:users and read:user_idp_tokens",
      );
    }
    if (response.status >= 500) {
      throw new BrokerError('upstream_unavailable', 'the tenant Management API is unavailable');
    }
    if (response.status !== 200) {
      throw new BrokerError(
        'upstream_error',
        `the tenant Management API answered ${response.status}`,
      );
    }
    let parsed;
    try {
      parsed = Auth0User.safeParse(JSON.parse(response.body.toString('utf8')));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success || parsed.data.user_id !== userId) {
      throw new BrokerError('upstream_error', 'the tenant user record is not understood');
    }
    return toUserIdentities(parsed.data, fetchedAt);
  }

  private remember(value: UserIdentities): void {
    const now = this.now();
    let ttl = this.options.ttlMs;
    for (const identity of value.identities) {
      const expiresAt = identity.accessTokenExpiresAt;
      // Tokens already expired do not shorten the entry: re-reading would not revive them.
      if (expiresAt !== undefined && expiresAt > now) ttl = Math.min(ttl, expiresAt - now);
    }
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(value.userId, { value, expiresAt: now + Math.max(MIN_TTL_MS, ttl) });
  }
}
