import {
  createLocalJWKSet,
  errors,
  type FlattenedJWSInput,
  type JSONWebKeySet,
  type JWSHeaderParameters,
  type CryptoKey,
} from 'jose';
import { z } from 'zod';
import { BrokerError } from '../errors/broker-error.js';
import { sendJson } from '../upstream/send-json.js';
import type { UpstreamClient } from '../upstream/upstream-client.js';

const KeySetAnswer = z.object({ keys: z.array(z.record(z.string(), z.unknown())) });

export interface TenantKeySetOptions {
  url: URL;
  client: UpstreamClient;
  /** Age after which the held keys are refreshed (they stay in use while that fails). */
  refreshAfterMs: number;
  /** Age after which held keys are no longer used: past it, no token verifies until a fetch succeeds. */
  maxStaleMs: number;
  /** Least time between two fetches after a successful one (an unknown `kid` waits this long). */
  cooldownMs: number;
  /** Least time between two fetches after a failed one. */
  failureCooldownMs: number;
  now: () => number;
  onFetch?: (outcome: 'ok' | 'failed', fetchedAt: number) => void;
}

/** The key set as readiness reports it. */
export interface KeySetStatus {
  /** Whether tokens can be verified now (keys held and not older than the stale bound). */
  usable: boolean;
  /** Seconds since the held keys were fetched, if any are held. */
  ageSeconds?: number;
  /** Whether the last fetch failed (the held keys, if any, are then older than wanted). */
  lastFetchFailed: boolean;
}

type KeyResolver = ReturnType<typeof createLocalJWKSet>;

/**
 * The tenant's signing keys (docs/architecture.md#security-rules, rule 5), held locally and
 * refreshed by the broker itself rather than by jose's remote set, whose keys expire with no
 * fallback and whose refetch cool-down counts only from a success: here the last good set is
 * kept while refreshes fail (up to `maxStaleMs`), at most one fetch is in flight, and fetches
 * are spaced from the last attempt, so a flood of unknown `kid`s during an outage costs at most
 * one fetch per cool-down.
 */
export class TenantKeySet {
  private held: { resolve: KeyResolver; fetchedAt: number } | undefined;
  private lastAttempt: { at: number; failed: boolean } | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(private readonly options: TenantKeySetOptions) {}

  /** A key resolver for `jwtVerify`. */
  readonly resolve = async (
    header: JWSHeaderParameters,
    token: FlattenedJWSInput,
  ): Promise<CryptoKey> => {
    let keys = this.usable();
    if (!keys) {
      await this.refresh();
      keys = this.usable();
      if (!keys) throw new BrokerError('upstream_unavailable', 'the tenant key set cannot be read');
    } else if (this.options.now() - keys.fetchedAt >= this.options.refreshAfterMs) {
      // Old but usable: verify with what is held, and refresh behind the request.
      void this.refresh();
    }
    try {
      return await keys.resolve(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      // A key the tenant may have just added: refetch, if the cool-down allows.
      await this.refresh();
      const after = this.usable();
      if (!after || after === keys) throw error;
      return after.resolve(header, token);
    }
  };

  /**
   * Fetches the key set unless a fetch is in flight (then waits for it) or the cool-down since
   * the last attempt has not passed. Never throws: the outcome shows in `status()`.
   */
  refresh(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    const now = this.options.now();
    const last = this.lastAttempt;
    if (last) {
      const wait = last.failed ? this.options.failureCooldownMs : this.options.cooldownMs;
      if (now - last.at < wait) return Promise.resolve();
    }
    this.lastAttempt = { at: now, failed: false };
    const attempt = this.fetch().then((json) => {
      // Throws on a key set jose cannot use, which counts as a failed fetch.
      const resolve = createLocalJWKSet(json);
      const fetchedAt = this.options.now();
      this.held = { resolve, fetchedAt };
      this.options.onFetch?.('ok', fetchedAt);
    });
    const settled = attempt.catch(() => {
      if (this.lastAttempt) this.lastAttempt.failed = true;
      this.options.onFetch?.('failed', this.options.now());
    });
    this.inFlight = settled.finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Refreshes the keys if they are due (within the cool-down), then reports them. */
  async status(): Promise<KeySetStatus> {
    const keys = this.usable();
    if (!keys || this.options.now() - keys.fetchedAt >= this.options.refreshAfterMs) {
      await this.refresh();
    }
    const held = this.usable();
    return {
      usable: held !== undefined,
      ...(held ? { ageSeconds: Math.floor((this.options.now() - held.fetchedAt) / 1000) } : {}),
      lastFetchFailed: this.lastAttempt?.failed ?? false,
    };
  }

  private usable() {
    const held = this.held;
    if (!held) return undefined;
    return this.options.now() - held.fetchedAt <= this.options.maxStaleMs ? held : undefined;
  }

  private async fetch(): Promise<JSONWebKeySet> {
    const { response, data } = await sendJson(
      this.options.client,
      {
        method: 'GET',
        url: this.options.url,
        headers: { accept: 'application/json, application/jwk-set+json' },
        // The cool-down spaces attempts; no retries inside one.
        idempotent: false,
      },
      KeySetAnswer,
      'the tenant key set',
    );
    if (!data) throw new Error(`the tenant key set answered ${response.status}`);
    return data as JSONWebKeySet;
  }
}
