import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { CompiledProvider } from '../catalogue/compiled-provider.js';
import type { IdpClientCredentials } from '../config/broker-config.js';
import { BrokerError } from '../errors/broker-error.js';
import type { IdentityRecord } from '../management/user-identities.js';
import { sendJson, tokenRequest } from '../upstream/send-json.js';
import type { UpstreamClient } from '../upstream/upstream-client.js';

const RefreshAnswer = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive().optional(),
});

interface RefreshedToken {
  accessToken: string;
  /** The refresh token it came from: a new one in Auth0 (re-link) makes this one stale. */
  fromRefreshToken: string;
}

/** What a refresh needs besides the key: the provider and the identity as last read. */
interface RefreshContext {
  provider: CompiledProvider;
  identity: IdentityRecord;
}

/** Assumed life of a refreshed token when the IdP does not say. */
const DEFAULT_LIFETIME_MS = 3600_000;
/** A refreshed token is no longer handed out this long before it expires. */
const EXPIRY_MARGIN_MS = 30_000;
const MAX_KEPT_TOKENS = 10_000;

/**
 * Refreshes IdP access tokens where Auth0 keeps an IdP refresh token and the broker has the IdP
 * client credentials. New tokens live only in the broker's memory, per user and connection,
 * until shortly before they expire; one refresh in flight per user and connection.
 */
export class IdpTokenRefresher {
  private readonly tokens: LRUCache<string, RefreshedToken, RefreshContext>;

  constructor(
    private readonly options: {
      client: UpstreamClient;
      idpClients: Record<string, IdpClientCredentials>;
      now?: () => number;
      onRefresh?: (connection: string, outcome: 'ok' | 'refused' | 'failed') => void;
    },
  ) {
    this.tokens = new LRUCache<string, RefreshedToken, RefreshContext>({
      max: MAX_KEPT_TOKENS,
      perf: { now: options.now ?? Date.now },
      ttlResolution: 0,
      ignoreFetchAbort: true,
      fetchMethod: async (_key, _stale, { context, options: entry }) => {
        const { token, lifetimeMs } = await this.requestToken(context.provider, context.identity);
        entry.ttl = Math.max(1, lifetimeMs - EXPIRY_MARGIN_MS);
        return token;
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
      context: { provider, identity },
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
        tokenRequest(new URL(tokenUrl), {
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          client_id: credentials.clientId,
          client_secret: credentials.clientSecret,
        }),
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

function key(userId: string, connection: string): string {
  return `${userId}\n${connection}`;
}
