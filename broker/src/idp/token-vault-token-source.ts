import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { FleetCache, type FleetCacheOutcome } from '../cache/fleet-cache.js';
import type { SharedStore } from '../cache/shared-store.js';
import type { ValueSealer } from '../cache/value-sealer.js';
import type { VerifiedCaller } from '../auth/verify-access-token.js';
import type { CompiledProvider } from '../catalogue/compiled-provider.js';
import { BrokerError } from '../errors/broker-error.js';
import { retryAfterSeconds } from '../upstream/response-headers.js';
import { sendJson, tokenRequest, type JsonAnswer } from '../upstream/send-json.js';
import type { UpstreamClient } from '../upstream/upstream-client.js';
import type { IdpTokenLease, IdpTokenSource } from './idp-token-source.js';
import type { CacheLookup } from '../observability/metrics.js';
import { inSpan, SPAN } from '../observability/tracing.js';

/** Auth0's Token Vault grant: an RFC 8693 exchange for a connected account's access token. */
export const TOKEN_VAULT_GRANT_TYPE =
  'urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const FEDERATED_CONNECTION_ACCESS_TOKEN_TYPE =
  'http://auth0.com/oauth/token-type/federated-connection-access-token';

const ExchangeAnswer = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().nonnegative().optional(),
});
const OAuthError = z.object({ error: z.string() });
/**
 * What an exchange gave for a user and connection, as this instance keeps it and the fleet shares
 * it (sealed): the exchanged token, or that the user has no connected account there (no token, no
 * Auth0 text: only the fact).
 */
const Exchanged = z.union([
  z.object({ token: z.string().min(1) }).strict(),
  z.object({ notConnected: z.literal(true) }).strict(),
]);
type Exchanged = z.infer<typeof Exchanged>;

const TOKEN_ENDPOINT = 'the tenant token endpoint (Token Vault)';
/**
 * A 401 whose error says the client itself failed to authenticate: Auth0's `access_denied`
 * "Unauthorized" for a wrong client secret, RFC 6749's `invalid_client` (§5.2).
 */
const CLIENT_REFUSED = new Set(['access_denied', 'invalid_client']);
/**
 * How long an exchanged token is reused when Auth0 gives no expiry (a GitHub OAuth token does not
 * expire): short, so a disconnected account stops being served soon.
 */
const DEFAULT_LIFETIME_MS = 5 * 60_000;
/** An exchanged token is no longer handed out this long before it expires (half a short life). */
const EXPIRY_MARGIN_MS = 30_000;
/**
 * How long "no connected account" is remembered per user and connection. Without it, every
 * account list of a user who has not connected everything costs one exchange per unconnected
 * connection. Short, because an account connected outside this app (another device, Auth0's own
 * pages) stays unseen that long; the app's own Connect and Disconnect ask for a fresh answer,
 * which replaces it at once (docs/architecture.md#provider-token-sources).
 */
export const NOT_CONNECTED_TTL_MS = 30_000;
const MAX_KEPT_TOKENS = 10_000;

interface VaultLease extends IdpTokenLease {
  caller: VerifiedCaller;
  provider: CompiledProvider;
}

/** What one fetch of a user and connection's entry knows. */
interface FetchContext {
  caller: VerifiedCaller;
  provider: CompiledProvider;
  /** The token a provider just refused: never taken from the fleet again. */
  refusedToken?: string;
  /** The caller asked for a fresh answer: the fleet's shared entry is not taken either. */
  fresh: boolean;
  /** When the request began, on this source's `ticks`. */
  startedAt: number;
}

/** The exchange in flight for a user and connection, as it began. */
interface Flight {
  fresh: boolean;
  /** When it began, on the source's `ticks`. */
  begunAt: number;
}

export interface AcquireOptions {
  /**
   * Exchange again even if this instance or the fleet holds an answer for the user and
   * connection, and replace it with the new one (after the user connected or disconnected it).
   */
  fresh?: boolean;
}

export interface TokenVaultTokenSourceOptions {
  /** Where the fleet shares exchanged tokens, sealed. */
  store: SharedStore;
  sealer: ValueSealer;
  /** Longest one instance holds the fleet's lock on an exchange: past the exchange's budget. */
  lockTtlMs: number;
  onFleetCache?: (outcome: FleetCacheOutcome) => void;
  client: UpstreamClient;
  /** `{tenant}/oauth/token`. */
  tokenUrl: URL;
  /** The broker API's own client (a Custom API Client of the broker's API). */
  clientId: string;
  clientSecret: string;
  maxRetryAfterSeconds: number;
  now?: () => number;
  /** Called once per exchange sent, with how it ended (metrics). */
  onExchange?: (connection: string, outcome: 'ok' | 'not_connected' | 'refused' | 'failed') => void;
  /** Called once per token asked for: kept in memory (`hit`) or not (`miss`) (metrics). */
  onTokenLookup?: (result: CacheLookup) => void;
}

/**
 * Provider tokens from Auth0 Token Vault: the caller's own access token is exchanged for their
 * connected account's token (docs/architecture.md#provider-token-sources). The broker holds no
 * tenant-wide power: without a user's valid access token it can obtain nothing for that user.
 * Exchanged tokens are kept per user and connection until shortly before they expire, in each
 * instance's memory and sealed in the shared store; one exchange in flight per user and connection
 * across the fleet. A fresh answer on one instance drops the others' copies of what it replaced
 * (docs/architecture.md#fleet-state).
 */
export class TokenVaultTokenSource implements IdpTokenSource<VaultLease> {
  private readonly tokens: LRUCache<string, Exchanged, FetchContext>;
  private readonly fleet: FleetCache<Exchanged>;
  private readonly now: () => number;
  /**
   * Orders requests and the exchanges they begin: a fresh request may share only a fresh exchange
   * begun after it (`fetch`).
   */
  private ticks = 0;
  private readonly flights = new Map<string, Flight>();

  constructor(private readonly options: TokenVaultTokenSourceOptions) {
    this.now = options.now ?? Date.now;
    this.fleet = new FleetCache({
      store: options.store,
      sealer: options.sealer,
      namespace: 'token-vault',
      schema: Exchanged,
      lockTtlMs: options.lockTtlMs,
      now: this.now,
      onOutcome: options.onFleetCache,
      // Another instance's fresh answer replaced an entry: this instance's copy is out of date.
      onReplacedElsewhere: (key) =>
        key === undefined ? this.tokens.clear() : this.tokens.delete(key),
    });
    this.tokens = new LRUCache<string, Exchanged, FetchContext>({
      max: MAX_KEPT_TOKENS,
      perf: { now: this.now },
      ttlResolution: 0,
      // Evicting or dropping an entry whose exchange is in flight must not fail its waiters.
      ignoreFetchAbort: true,
      fetchMethod: async (key, _stale, { context, options: entry }) => {
        const flight = { fresh: context.fresh, begunAt: (this.ticks += 1) };
        this.flights.set(key, flight);
        try {
          return await this.exchangeForFleet(key, context, entry);
        } finally {
          if (this.flights.get(key) === flight) this.flights.delete(key);
        }
      },
    });
  }

  /** The fleet's entry for `key`, from an exchange when there is none (or `context` wants fresh). */
  private async exchangeForFleet(
    key: string,
    context: FetchContext,
    entry: LRUCache.FetcherOptions<string, Exchanged, FetchContext>['options'],
  ): Promise<Exchanged> {
    const { value, expiresAt } = await this.fleet.get(
      key,
      async () => {
        const exchanged = await inSpan(
          SPAN.tokenVaultExchange,
          { 'linkboard.connection': context.provider.entry.connection },
          () => this.exchange(context.caller, context.provider),
        );
        if (exchanged === 'not_connected')
          return {
            value: { notConnected: true },
            expiresAt: this.now() + NOT_CONNECTED_TTL_MS,
          };
        const { token, lifetimeMs } = exchanged;
        // A short life keeps at least half of it usable.
        const usableMs = Math.max(1, lifetimeMs - Math.min(EXPIRY_MARGIN_MS, lifetimeMs / 2));
        return { value: { token }, expiresAt: this.now() + usableMs };
      },
      (shared) => !context.fresh && !('token' in shared && shared.token === context.refusedToken),
    );
    entry.ttl = Math.max(1, expiresAt - this.now());
    // A fresh answer (after a Connect or Disconnect) replaced the fleet's entry: the other
    // instances drop their copies before the caller is answered.
    if (context.fresh) await this.fleet.announceReplaced(key);
    return value;
  }

  async acquire(
    caller: VerifiedCaller,
    provider: CompiledProvider,
    options: AcquireOptions = {},
  ): Promise<VaultLease> {
    const fresh = options.fresh === true;
    const status: LRUCache.Status<string, Exchanged, FetchContext> = {};
    const token = tokenOf(
      await this.fetch({ caller, provider, fresh, startedAt: (this.ticks += 1) }, fresh, status),
      provider,
    );
    this.options.onTokenLookup?.(status.fetch === 'hit' ? 'hit' : 'miss');
    return { caller, provider, token, refreshed: false };
  }

  held(caller: VerifiedCaller, provider: CompiledProvider): VaultLease | undefined {
    const kept = this.tokens.get(keyOf({ caller, provider }));
    if (kept === undefined || !('token' in kept)) return undefined;
    this.options.onTokenLookup?.('hit');
    return { caller, provider, token: kept.token, refreshed: false };
  }

  async renew(lease: VaultLease): Promise<VaultLease | undefined> {
    const held = this.tokens.get(keyOf(lease));
    // Another caller refused with the same token has already exchanged again: share its token.
    if (held !== undefined && 'token' in held && held.token !== lease.token)
      return { ...lease, token: held.token, refreshed: true };
    const { caller, provider } = lease;
    const fresh = tokenOf(
      await this.fetch(
        { caller, provider, refusedToken: lease.token, fresh: false, startedAt: (this.ticks += 1) },
        true,
      ),
      provider,
    );
    if (fresh === lease.token) {
      this.refused(lease);
      return undefined;
    }
    return { ...lease, token: fresh, refreshed: true };
  }

  refused(lease: VaultLease): void {
    // Compare and drop: a newer token another caller got stays.
    const held = this.tokens.peek(keyOf(lease));
    if (held && 'token' in held && held.token === lease.token) this.tokens.delete(keyOf(lease));
    void this.fleet.drop(
      keyOf(lease),
      (shared) => 'token' in shared && shared.token === lease.token,
    );
  }

  /**
   * Whether the token endpoint answers and takes the broker's client (readiness): an exchange with
   * no subject, which Auth0 refuses as `invalid_request` only after authenticating the client.
   * No user's token is involved.
   */
  async endpointReady(): Promise<boolean> {
    try {
      const { response } = await sendJson(
        this.options.client,
        tokenRequest(this.options.tokenUrl, {
          grant_type: TOKEN_VAULT_GRANT_TYPE,
          client_id: this.options.clientId,
          client_secret: this.options.clientSecret,
        }),
        OAuthError,
        TOKEN_ENDPOINT,
      );
      return response.status === 400 && oauthErrorOf(response.body) === 'invalid_request';
    } catch {
      return false;
    }
  }

  private async fetch(
    context: FetchContext,
    forceRefresh: boolean,
    status?: LRUCache.Status<string, Exchanged, FetchContext>,
  ): Promise<Exchanged> {
    const key = keyOf(context);
    for (;;) {
      const lookup = status ?? {};
      // Concurrent callers for one user and connection share the exchange in flight…
      const pending = this.tokens.fetch(key, { forceRefresh, context, status: lookup });
      // …except a fresh request: an exchange begun before it may answer from before the change
      // it follows, and an ordinary one may take the fleet's kept entry. It waits for that one to
      // end, then exchanges itself (or shares a fresh exchange begun since).
      const joined = lookup.fetch === 'inflight' ? this.flights.get(key) : undefined;
      if (context.fresh && joined && !(joined.fresh && joined.begunAt > context.startedAt)) {
        await pending.catch(() => undefined);
        continue;
      }
      const exchanged = await pending;
      if (exchanged === undefined)
        throw new BrokerError('internal_error', 'the exchange was abandoned');
      return exchanged;
    }
  }

  private async exchange(
    caller: VerifiedCaller,
    provider: CompiledProvider,
  ): Promise<{ token: string; lifetimeMs: number } | 'not_connected'> {
    const connection = provider.entry.connection;
    let answer: JsonAnswer<z.infer<typeof ExchangeAnswer>>;
    try {
      answer = await sendJson(
        this.options.client,
        tokenRequest(this.options.tokenUrl, {
          grant_type: TOKEN_VAULT_GRANT_TYPE,
          client_id: this.options.clientId,
          client_secret: this.options.clientSecret,
          subject_token: caller.accessToken,
          subject_token_type: ACCESS_TOKEN_TYPE,
          requested_token_type: FEDERATED_CONNECTION_ACCESS_TOKEN_TYPE,
          connection,
        }),
        ExchangeAnswer,
        TOKEN_ENDPOINT,
      );
    } catch (error) {
      this.options.onExchange?.(connection, 'failed');
      throw error;
    }
    const { response, data } = answer;
    if (data) {
      this.options.onExchange?.(connection, 'ok');
      const lifetimeMs =
        data.expires_in === undefined ? DEFAULT_LIFETIME_MS : data.expires_in * 1000;
      return { token: data.access_token, lifetimeMs };
    }
    const refusal = this.refusal(response, provider);
    if (refusal === 'not_connected') {
      this.options.onExchange?.(connection, 'not_connected');
      return 'not_connected';
    }
    // A connected account the provider no longer refreshes counts with the unconnected ones:
    // the user's to fix by connecting again. Anything else is refused.
    this.options.onExchange?.(
      connection,
      refusal.code === 'idp_reauth_required' ? 'not_connected' : 'refused',
    );
    throw refusal;
  }

  /**
   * What an exchange refusal means for the caller: `not_connected` (remembered a while), or the
   * error to answer. Auth0's error text is never passed on.
   */
  private refusal(
    response: JsonAnswer<unknown>['response'],
    provider: CompiledProvider,
  ): BrokerError | 'not_connected' {
    const { connection, displayName } = provider.entry;
    if (response.status === 401 && CLIENT_REFUSED.has(oauthErrorOf(response.body) ?? '')) {
      // The broker's own credentials were refused, for every user alike: the operator's to fix.
      // Read as "not connected" it would send each user to connect an account that is fine.
      return new BrokerError(
        'upstream_error',
        `${TOKEN_ENDPOINT} refused the broker's client credentials: check ` +
          'AUTH0_TOKEN_VAULT_CLIENT_ID and AUTH0_TOKEN_VAULT_CLIENT_SECRET',
      );
    }
    if (response.status === 401) {
      // Auth0 answers 401 when the user has no connected account for the connection, and when
      // the provider would not refresh the stored one: either way, connecting again fixes it.
      const reauth =
        oauthErrorOf(response.body) === 'federated_connection_refresh_token_flow_failed';
      return reauth
        ? new BrokerError(
            'idp_reauth_required',
            `the ${displayName} connection has expired: connect the account again`,
            { connect: connection },
          )
        : 'not_connected';
    }
    const wait = retryAfterSeconds(response.headers, this.now(), this.options.maxRetryAfterSeconds);
    const retryAfter = wait === undefined ? {} : { retryAfterSeconds: wait };
    if (response.status === 429) {
      return new BrokerError('upstream_rate_limited', `${TOKEN_ENDPOINT} is rate limiting`, {
        ...retryAfter,
        limitedBy: 'token_endpoint',
      });
    }
    if (response.status >= 500) {
      return new BrokerError(
        'upstream_unavailable',
        `${TOKEN_ENDPOINT} is unavailable`,
        retryAfter,
      );
    }
    // 400/403: the broker's client is not allowed the grant, or not the Custom API Client of the
    // API the caller's token is for. The operator's to fix, not the user's.
    return new BrokerError(
      'upstream_error',
      `${TOKEN_ENDPOINT} refused the exchange (${response.status}): the broker's client must be ` +
        "the broker API's Custom API Client with the Token Vault grant",
    );
  }
}

function keyOf({ caller, provider }: { caller: VerifiedCaller; provider: CompiledProvider }) {
  return `${caller.userId}\n${provider.entry.connection}`;
}

/** The exchanged token, or the caller's answer when the user has no connected account there. */
function tokenOf(exchanged: Exchanged, provider: CompiledProvider): string {
  if ('token' in exchanged) return exchanged.token;
  const { connection, displayName } = provider.entry;
  throw new BrokerError(
    'identity_not_linked',
    `no ${displayName} account is connected to this user: connect it from the app`,
    { connect: connection },
  );
}

function oauthErrorOf(body: Buffer): string | undefined {
  try {
    const parsed = OAuthError.safeParse(JSON.parse(body.toString('utf8')));
    return parsed.success ? parsed.data.error : undefined;
  } catch {
    return undefined;
  }
}
