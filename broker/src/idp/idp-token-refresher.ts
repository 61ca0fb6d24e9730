import { z } from 'zod';
import { SingleFlight } from '../cache/single-flight.js';
import type { CompiledProvider } from '../catalogue/compiled-provider.js';
import type { IdpClientCredentials } from '../config/broker-config.js';
import { BrokerError } from '../errors/broker-error.js';
import type { IdentityRecord } from '../management/user-identities.js';
import { UpstreamUnreachableError, type UpstreamClient } from '../upstream/upstream-client.js';

const RefreshAnswer = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive().optional(),
});

interface RefreshedToken {
  accessToken: string;
  expiresAt: number;
  /** The refresh token it came from: a new one in Auth0 (re-link) makes this one stale. */
  fromRefreshToken: string;
}

/** Assumed life of a refreshed token when the IdP does not say. */
const DEFAULT_LIFETIME_MS = 3600_000;
const EXPIRY_MARGIN_MS = 30_000;
const MAX_KEPT_TOKENS = 10_000;

/**
 * Refreshes IdP access tokens where Auth0 keeps an IdP refresh token and the broker has the IdP
 * client credentials. New tokens live only in the broker's memory, per user and connection,
 * until shortly before they expire; one refresh in flight per user and connection.
 */
export class IdpTokenRefresher {
  private readonly tokens = new Map<string, RefreshedToken>();
  private readonly flight = new SingleFlight<string>();
  private readonly now: () => number;

  constructor(
    private readonly options: {
      client: UpstreamClient;
      idpClients: Record<string, IdpClientCredentials>;
      now?: () => number;
      onRefresh?: (connection: string, outcome: 'ok' | 'refused' | 'failed') => void;
    },
  ) {
    this.now = options.now ?? Date.now;
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
    if (!kept || kept.fromRefreshToken !== identity.refreshToken) return undefined;
    return kept.expiresAt - EXPIRY_MARGIN_MS > this.now() ? kept.accessToken : undefined;
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
    return this.flight.run(key(userId, identity.connection), async () => {
      const again = this.current(userId, identity);
      if (again && again !== refused) return again;
      return this.requestToken(userId, provider, identity);
    });
  }

  private async requestToken(
    userId: string,
    provider: CompiledProvider,
    identity: IdentityRecord,
  ): Promise<string> {
    const credentials = this.options.idpClients[provider.entry.connection];
    const tokenUrl = provider.entry.tokenUrl;
    const refreshToken = identity.refreshToken;
    if (!credentials || !tokenUrl || !refreshToken) {
      throw new BrokerError('idp_reauth_required', 'the provider token cannot be refreshed');
    }
    let response;
    try {
      response = await this.options.client.send({
        method: 'POST',
        url: new URL(tokenUrl),
        idempotent: true,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          client_id: credentials.clientId,
          client_secret: credentials.clientSecret,
        }).toString(),
      });
    } catch (error) {
      this.options.onRefresh?.(provider.entry.connection, 'failed');
      throw new BrokerError(
        'upstream_unavailable',
        error instanceof UpstreamUnreachableError
          ? 'the provider token endpoint cannot be reached'
          : 'the provider token endpoint answered badly',
      );
    }
    if (response.status === 400 || response.status === 401) {
      this.options.onRefresh?.(provider.entry.connection, 'refused');
      throw new BrokerError('idp_reauth_required', 'the provider refused to refresh the token');
    }
    let parsed;
    try {
      parsed = RefreshAnswer.safeParse(JSON.parse(response.body.toString('utf8')));
    } catch {
      parsed = undefined;
    }
    if (response.status !== 200 || !parsed?.success) {
      this.options.onRefresh?.(provider.entry.connection, 'failed');
      throw new BrokerError(
        response.status >= 500 ? 'upstream_unavailable' : 'upstream_error',
        'the provider token endpoint did not give a token',
      );
    }
    this.options.onRefresh?.(provider.entry.connection, 'ok');
    const lifetime = (parsed.data.expires_in ?? 0) * 1000 || DEFAULT_LIFETIME_MS;
    if (this.tokens.size >= MAX_KEPT_TOKENS) {
      const oldest = this.tokens.keys().next();
      if (!oldest.done) this.tokens.delete(oldest.value);
    }
    this.tokens.set(key(userId, identity.connection), {
      accessToken: parsed.data.access_token,
      expiresAt: this.now() + lifetime,
      fromRefreshToken: refreshToken,
    });
    return parsed.data.access_token;
  }
}

function key(userId: string, connection: string): string {
  return `${userId}\n${connection}`;
}
