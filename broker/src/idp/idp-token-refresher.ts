import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { FleetCache, type FleetCacheOutcome } from '../cache/fleet-cache.js';
import type { SharedStore } from '../cache/shared-store.js';
import type { ValueSealer } from '../cache/value-sealer.js';
import type { CompiledProvider } from '../catalogue/compiled-provider.js';
import type { IdpClientCredentials } from '../config/broker-config.js';
import { BrokerError } from '../errors/broker-error.js';
import type { IdentityRecord } from '../management/user-identities.js';
import { sendJson, tokenRequest } from '../upstream/send-json.js';
import type { UpstreamClient } from '../upstream/upstream-client.js';
import { inSpan, SPAN } from '../observability/tracing.js';

const RefreshAnswer = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive().optional(),
});

const RefreshedToken = z.object({
  accessToken: z.string().min(1),
  /** The refresh token it came from: a new one in Auth0 (re-link) makes this one stale. */
  fromRefreshToken: z.string().min(1),
});
type RefreshedToken = z.infer<typeof RefreshedToken>;

/**
 * What a refresh needs besides the key: the provider, the identity as last read, and the token the
 * provider just refused (never taken from another instance).
 */
interface RefreshContext {
  provider: CompiledProvider;
  identity: IdentityRecord;
  refused: string | undefined;
}

export interface IdpTokenRefresherOptions {
  client: UpstreamClient;
  idpClients: Record<string, IdpClientCredentials>;
  /** Where the fleet shares refreshed tokens, sealed. */
  store: SharedStore;
  sealer: ValueSealer;
  /** Longest one instance holds the fleet's lock on a refresh: past the refresh's budget. */
  lockTtlMs: number;
  now?: () => number;
  onRefresh?: (connection: string, outcome: 'ok' | 'refused' | 'failed') => void;
  onFleetCache?: (outcome: FleetCacheOutcome) => void;
}

/** Assumed life of a refreshed token when the IdP does not say. */
const DEFAULT_LIFETIME_MS = 3600_000;
/** A refreshed token is no longer handed out this long before it expires. */
const EXPIRY_MARGIN_MS = 30_000;
const MAX_KEPT_TOKENS = 10_000;

/**
 * Refreshes IdP access tokens where Auth0 keeps an IdP refresh token and the broker has the IdP
 * client credentials. New tokens are kept per user and connection until shortly before they
 * expire: in each instance's memory, and sealed in the shared store so the fleet sends one refresh
 * per expired token (providers that rotate refresh tokens would otherwise see concurrent
 * refreshes invalidate each other).
 */
export class IdpTokenRefresher {
  private readonly tokens: LRUCache<string, RefreshedToken, RefreshContext>;
  private readonly fleet: FleetCache<RefreshedToken>;

  constructor(private readonly options: IdpTokenRefresherOptions) {
    const now = options.now ?? Date.now;
    this.fleet = new FleetCache({
      store: options.store,
      sealer: options.sealer,
      namespace: 'idp-refreshed',
      schema: RefreshedToken,
      lockTtlMs: options.lockTtlMs,
      now,
      onOutcome: options.onFleetCache,
    });
    this.tokens = new LRUCache<string, RefreshedToken, RefreshContext>({
      max: MAX_KEPT_TOKENS,
      perf: { now },
      ttlResolution: 0,
      ignoreFetchAbort: true,
      fetchMethod: async (key, _stale, { context, options: entry }) => {
        const { provider, identity, refused } = context;
        const { value, expiresAt } = await this.fleet.get(
          key,
          async () => {
            const { token, lifetimeMs } = await inSpan(
              SPAN.providerRefresh,
              { 'linkboard.connection': provider.entry.connection },
              () => this.requestToken(provider, identity),
            );
            return { value: token, expiresAt: now() + lifetimeMs - EXPIRY_MARGIN_MS };
          },
          // Another instance's refresh of the same refresh token, unless it is the refused one.
          (shared) =>
            shared.fromRefreshToken === identity.refreshToken && shared.accessToken !== refused,
        );
        entry.ttl = Math.max(1, expiresAt - now());
        return value;
      },
    });
  }

  canRefresh(provider: CompiledProvider, identity: IdentityRecord): boolean {
    return Boolean(
      identity.refreshToken &&
      provider.entry.tokenUrl &&
      this.options.idpClients[provider.entry.connection],
    );
  }

  /** A refreshed token still usable for this identity, if the broker holds one. */
  current(userId: string, identity: IdentityRecord): string | undefined {
    // Only a refresh token's identity can have one: most identities (GitHub's) are not looked up.
    if (!identity.refreshToken) return undefined;
    const kept = this.tokens.get(key(userId, identity.connection));
    return kept && kept.fromRefreshToken === identity.refreshToken ? kept.accessToken : undefined;
  }

  /** A fresh token; `refused` is the token the IdP just refused, so it is not handed back. */
  async refresh(
    userId: string,
    provider: CompiledProvider,
    identity: IdentityRecord,
    refused?: string,
  ): Promise<string> {
    const held = this.current(userId, identity);
    if (held && held !== refused) return held;
    // A refresh already in flight for this user and connection is shared, not repeated.
    const fresh = await this.tokens.fetch(key(userId, identity.connection), {
      forceRefresh: true,
      context: { provider, identity, refused },
    });
    if (!fresh) throw new BrokerError('internal_error', 'the token refresh was abandoned');
    return fresh.accessToken;
  }

  private async requestToken(
    provider: CompiledProvider,
    identity: IdentityRecord,
  ): Promise<{ token: RefreshedToken; lifetimeMs: number }> {
    const connection = provider.entry.connection;
    const credentials = this.options.idpClients[connection];
    const tokenUrl = provider.entry.tokenUrl;
    const refreshToken = identity.refreshToken;
    if (!credentials || !tokenUrl || !refreshToken) {
      throw new BrokerError('idp_reauth_required', 'the provider token cannot be refreshed');
    }
    let answer;
    try {
      answer = await sendJson(
        this.options.client,
        refreshRequest(provider, new URL(tokenUrl), refreshToken, credentials),
        RefreshAnswer,
        'the provider token endpoint',
      );
    } catch (error) {
      this.options.onRefresh?.(connection, 'failed');
      throw error;
    }
    const { response, data } = answer;
    if (response.status === 400 || response.status === 401) {
      this.options.onRefresh?.(connection, 'refused');
      throw new BrokerError('idp_reauth_required', 'the provider refused to refresh the token');
    }
    if (!data) {
      this.options.onRefresh?.(connection, 'failed');
      throw new BrokerError(
        response.status >= 500 ? 'upstream_unavailable' : 'upstream_error',
        'the provider token endpoint did not give a token',
      );
    }
    this.options.onRefresh?.(connection, 'ok');
    return {
      token: { accessToken: data.access_token, fromRefreshToken: refreshToken },
      lifetimeMs: (data.expires_in ?? 0) * 1000 || DEFAULT_LIFETIME_MS,
    };
  }
}

/**
 * The refresh grant as the provider wants it: the client's credentials in the form or as HTTP
 * Basic (RFC 6749, 2.3.1: each half form-encoded first), and the scope again where the catalogue
 * names one (the Microsoft identity platform refuses a refresh without it).
 */
function refreshRequest(
  provider: CompiledProvider,
  tokenUrl: URL,
  refreshToken: string,
  credentials: IdpClientCredentials,
) {
  const { tokenClientAuthentication, tokenScope } = provider.entry;
  const fields: Record<string, string> = {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    ...(tokenScope ? { scope: tokenScope } : {}),
  };
  if (tokenClientAuthentication === 'client_secret_basic') {
    const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
    const basic = Buffer.from(
      `${encode(credentials.clientId)}:${encode(credentials.clientSecret)}`,
    ).toString('base64');
    return tokenRequest(tokenUrl, fields, { authorization: `Basic ${basic}` });
  }
  return tokenRequest(tokenUrl, {
    ...fields,
    client_id: credentials.clientId,
    client_secret: credentials.clientSecret,
  });
}

function key(userId: string, connection: string): string {
  return `${userId}\n${connection}`;
}
