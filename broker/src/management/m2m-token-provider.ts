import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { FleetCache, type FleetCacheOutcome } from '../cache/fleet-cache.js';
import type { SharedStore } from '../cache/shared-store.js';
import type { ValueSealer } from '../cache/value-sealer.js';
import { BrokerError } from '../errors/broker-error.js';
import { retryAfterSeconds } from '../upstream/response-headers.js';
import { sendJson, tokenRequest } from '../upstream/send-json.js';
import type { UpstreamClient } from '../upstream/upstream-client.js';
import { inSpan, SPAN } from '../observability/tracing.js';

const TokenAnswer = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
});

const TOKEN_ENDPOINT = 'the tenant token endpoint';
/** The one M2M token's id in the fleet cache. */
const FLEET_ID = 'current';
const SharedToken = z.object({ token: z.string().min(1) });

export interface M2mTokenProviderOptions {
  store: SharedStore;
  /** Seals the token before it goes to a store outside the process. */
  sealer: ValueSealer;
  client: UpstreamClient;
  tokenUrl: URL;
  clientId: string;
  clientSecret: string;
  audience: string;
  /** Seconds before expiry at which a token is no longer handed out. */
  marginSeconds: number;
  /**
   * How long the fleet-wide grant lock is held at most: longer than the longest grant (the
   * upstream client's budget), so no other instance grants while this one still waits.
   */
  lockTtlMs: number;
  /** Longest upstream `Retry-After` honoured and passed on, in seconds. */
  maxRetryAfterSeconds: number;
  /**
   * How long a failed grant is remembered, in ms: longer when the endpoint said to wait (up to
   * `maxRetryAfterSeconds`); 0 remembers nothing.
   */
  failureMemoryMs: number;
  now?: () => number;
  /** Called once per client-credentials grant the broker sends (metrics). */
  onGrant?: () => void;
  onFleetCache?: (outcome: FleetCacheOutcome) => void;
}

interface StoredToken {
  token: string;
  /** Epoch ms after which the token is not used (expiry minus the margin). */
  usableUntil: number;
}

/**
 * The Management API token: a client-credentials grant, kept until shortly before expiry, fetched
 * by one caller at a time in this process (single flight) and across a fleet (`FleetCache`: sealed
 * in the shared store, one grant under a fleet-wide lock), dropped on a Management 401.
 */
export class M2mTokenProvider {
  /** This instance's copy, kept until it is no longer usable; one fetch in flight at a time. */
  private readonly local: LRUCache<'m2m', StoredToken>;
  /** The last grant's failure, answered again until `until` (epoch ms). */
  private failure: { error: BrokerError; until: number } | undefined;
  private readonly now: () => number;
  private readonly fleet: FleetCache<z.infer<typeof SharedToken>>;

  constructor(private readonly options: M2mTokenProviderOptions) {
    const now = options.now ?? Date.now;
    this.now = now;
    this.fleet = new FleetCache({
      store: options.store,
      sealer: options.sealer,
      namespace: 'm2m-token',
      schema: SharedToken,
      lockTtlMs: options.lockTtlMs,
      now,
      onOutcome: options.onFleetCache,
    });
    this.local = new LRUCache<'m2m', StoredToken>({
      max: 1,
      perf: { now },
      ttlResolution: 0,
      // A drop while a fetch is in flight must not abandon the callers waiting for it.
      ignoreFetchAbort: true,
      fetchMethod: async (_key, _stale, { options: entry }) => {
        const { value, expiresAt } = await this.fleet.get(FLEET_ID, async () => {
          const granted = await inSpan(SPAN.m2mGrant, {}, () => this.grant());
          return { value: { token: granted.token }, expiresAt: granted.usableUntil };
        });
        const token: StoredToken = { token: value.token, usableUntil: expiresAt };
        // lru-cache still serves an entry in its last millisecond: end one earlier.
        entry.ttl = Math.max(1, token.usableUntil - now() - 1);
        return token;
      },
    });
  }

  async get(): Promise<string> {
    const failure = this.failure;
    const now = this.now();
    if (failure && failure.until > now) {
      // The same refusal, with the time left, rather than one more grant to a failing endpoint.
      const { code, detail, extra } = failure.error;
      throw new BrokerError(code, detail, {
        ...extra,
        retryAfterSeconds: Math.ceil((failure.until - now) / 1000),
      });
    }
    let token: StoredToken | undefined;
    try {
      token = await this.local.fetch('m2m');
    } catch (error) {
      const remember = this.options.failureMemoryMs > 0;
      if (remember && error instanceof BrokerError && error.code !== 'internal_error') {
        const waitMs = (error.extra.retryAfterSeconds ?? 0) * 1000;
        this.failure = {
          error,
          until: this.now() + Math.max(this.options.failureMemoryMs, waitMs),
        };
      }
      throw error;
    }
    if (!token) throw new BrokerError('internal_error', 'the Management API token was not kept');
    this.failure = undefined;
    return token.token;
  }

  /** Forgets `token` (here and in the shared store) after the Management API refused it. */
  async drop(token: string): Promise<void> {
    if (this.local.peek('m2m')?.token === token) this.local.delete('m2m');
    await this.fleet.drop(FLEET_ID, (shared) => shared.token === token);
  }

  private async grant(): Promise<StoredToken> {
    const { client, tokenUrl, clientId, clientSecret, audience } = this.options;
    this.options.onGrant?.();
    const { response, data } = await sendJson(
      client,
      tokenRequest(tokenUrl, {
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
        audience,
      }),
      TokenAnswer,
      TOKEN_ENDPOINT,
    );
    const wait = retryAfterSeconds(response.headers, this.now(), this.options.maxRetryAfterSeconds);
    const retryAfter = wait === undefined ? {} : { retryAfterSeconds: wait };
    if (response.status === 429) {
      throw new BrokerError('upstream_rate_limited', `${TOKEN_ENDPOINT} is rate limiting`, {
        ...retryAfter,
        limitedBy: 'token_endpoint',
      });
    }
    if (response.status >= 500) {
      throw new BrokerError('upstream_unavailable', `${TOKEN_ENDPOINT} is unavailable`, retryAfter);
    }
    if (response.status !== 200) {
      throw new BrokerError('upstream_error', 'the tenant refused the broker credentials');
    }
    if (!data) throw new BrokerError('upstream_error', 'the tenant token answer is not understood');
    const lifetimeMs = data.expires_in * 1000;
    // Short-lived tokens keep at least half their life usable.
    const marginMs = Math.min(this.options.marginSeconds * 1000, lifetimeMs / 2);
    return { token: data.access_token, usableUntil: this.now() + lifetimeMs - marginMs };
  }
}
