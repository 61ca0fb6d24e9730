import type { CompiledProvider } from '../catalogue/compiled-provider.js';
import { BrokerError } from '../errors/broker-error.js';
import type { IdentityCache } from '../management/identity-cache.js';
import type { IdentityRecord, UserIdentities } from '../management/user-identities.js';
import type { IdpTokenRefresher } from '../idp/idp-token-refresher.js';
import {
  headerValue,
  UpstreamTooLargeError,
  UpstreamUnreachableError,
  type UpstreamClient,
  type UpstreamResponse,
} from '../upstream/upstream-client.js';
import { matchAllowedCall, pinnedUpstreamUrl } from './allowlist.js';
import { paginate } from './pagination.js';
import { guardProxyUrl } from './path-guard.js';
import {
  rateLimitHeaders,
  retryAfterSeconds,
  safeResponseHeaders,
} from '../upstream/response-headers.js';

export interface ProxyCall {
  userId: string;
  method: string;
  /** The request URL exactly as received (path and query, still encoded). */
  rawUrl: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer | undefined;
}

export interface ProxyAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Filled while a call goes through, for the audit line, whatever the outcome. */
export interface ProxyAudit {
  connection?: string;
  pattern?: string;
  upstreamStatus?: number;
  refreshed?: boolean;
}

/** Request headers a caller may send on to the provider. */
const FORWARDED_REQUEST_HEADERS = ['accept-language', 'if-none-match', 'if-modified-since'];
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/**
 * The proxy `ANY /v1/idp/{connection}/{path}`: checks the call against the catalogue, finds the
 * caller's identity for the connection, calls the provider with its token and answers with the
 * provider's JSON, pagination pointing back at the broker. The IdP token goes only to the pinned
 * provider URL and never into the answer.
 */
export class IdpProxy {
  constructor(
    private readonly options: {
      providers: Map<string, CompiledProvider>;
      identities: IdentityCache;
      refresher: IdpTokenRefresher;
      client: UpstreamClient;
      now?: () => number;
    },
  ) {}

  async call(call: ProxyCall, audit: ProxyAudit): Promise<ProxyAnswer> {
    const target = guardProxyUrl(call.rawUrl);
    const provider = this.options.providers.get(target.connection);
    if (!provider) {
      throw new BrokerError('provider_unknown', `"${target.connection}" is not in the catalogue`);
    }
    audit.connection = provider.entry.connection;
    const allowed = matchAllowedCall(provider, call.method, target.segments);
    audit.pattern = allowed.call.pattern;
    const url = pinnedUpstreamUrl(provider, allowed.encodedPath, target.query);

    let read = await this.options.identities.get(call.userId);
    let identity = findIdentity(read, provider);
    let token = await this.tokenFor(call.userId, provider, identity, read, audit);
    let response = await this.send(provider, url, call, token);

    if (response.status === 401) {
      if (this.options.refresher.canRefresh(provider, identity)) {
        token = await this.options.refresher.refresh(call.userId, provider, identity, token);
        audit.refreshed = true;
        response = await this.send(provider, url, call, token);
      } else {
        // Auth0 may hold a newer token (the user linked the account again): read once more. Many
        // callers refused with the same read share one re-read (compare-and-drop, single flight).
        read = await this.options.identities.reread(read);
        identity = findIdentity(read, provider);
        const fresh = identity.accessToken;
        if (fresh && fresh !== token && !read.refusedConnections.has(provider.entry.connection)) {
          token = fresh;
          response = await this.send(provider, url, call, token);
        }
      }
      if (response.status === 401) {
        read.refusedConnections.add(provider.entry.connection);
        throw new BrokerError(
          'idp_reauth_required',
          `${provider.entry.displayName} refused the stored token`,
        );
      }
    }
    audit.upstreamStatus = response.status;
    const answer = this.answer(provider, allowed.encodedPath, target.query, call.method, response);
    if (
      answer.body.includes(token) ||
      Object.values(answer.headers).some((v) => v.includes(token))
    ) {
      // A provider echoing the token back (in the body or, say, a next-page URL) must not make
      // the broker leak it (rule 3).
      throw new BrokerError(
        'upstream_error',
        `${provider.entry.displayName} answered unexpectedly`,
      );
    }
    return answer;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** The token to send: a refreshed one if the broker holds it, else Auth0's, refreshed if expired. */
  private async tokenFor(
    userId: string,
    provider: CompiledProvider,
    identity: IdentityRecord,
    read: UserIdentities,
    audit: ProxyAudit,
  ): Promise<string> {
    const refresher = this.options.refresher;
    const refreshable = refresher.canRefresh(provider, identity);
    const held = refresher.current(userId, identity);
    if (held) return held;
    const expired =
      identity.accessTokenExpiresAt !== undefined && identity.accessTokenExpiresAt <= this.now();
    const refused = read.refusedConnections.has(provider.entry.connection);
    if (!identity.accessToken || expired || refused) {
      if (refreshable) {
        audit.refreshed = true;
        return refresher.refresh(userId, provider, identity);
      }
      if (!identity.accessToken) {
        throw new BrokerError(
          'idp_token_unavailable',
          `the tenant gives no ${provider.entry.displayName} token for this identity: the ` +
            "broker's M2M client must be granted read:user_idp_tokens on the Management API",
        );
      }
      throw new BrokerError(
        'idp_reauth_required',
        `the ${provider.entry.displayName} token has expired: link the account again`,
      );
    }
    return identity.accessToken;
  }

  private async send(
    provider: CompiledProvider,
    url: URL,
    call: ProxyCall,
    token: string,
  ): Promise<UpstreamResponse> {
    const entry = provider.entry;
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': 'linkboard-broker',
      ...provider.requestHeaders,
    };
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = call.headers[name];
      if (typeof value === 'string' && !/[\r\n]/.test(value)) headers[name] = value;
    }
    const withBody = METHODS_WITH_BODY.has(call.method) && call.body !== undefined;
    if (withBody) headers['content-type'] = 'application/json';
    headers[provider.tokenHeader] = `${entry.token.prefix}${token}`;
    try {
      return await this.options.client.send({
        method: call.method,
        url,
        headers,
        ...(withBody ? { body: call.body } : {}),
        idempotent: IDEMPOTENT_METHODS.has(call.method),
      });
    } catch (error) {
      if (error instanceof UpstreamTooLargeError) {
        throw new BrokerError(
          'payload_too_large',
          `${entry.displayName} answered with too much data`,
        );
      }
      if (error instanceof UpstreamUnreachableError) {
        throw new BrokerError('upstream_unavailable', `${entry.displayName} cannot be reached`);
      }
      throw error;
    }
  }

  private answer(
    provider: CompiledProvider,
    encodedPath: string,
    query: URLSearchParams,
    method: string,
    response: UpstreamResponse,
  ): ProxyAnswer {
    const name = provider.entry.displayName;
    const { status } = response;
    // GitHub signals an exhausted primary rate limit with 403 and no requests remaining.
    const exhausted =
      status === 403 && headerValue(response.headers, 'x-ratelimit-remaining') === '0';
    if (status === 429 || exhausted) {
      const wait = retryAfterSeconds(response.headers, this.now());
      throw new BrokerError('upstream_rate_limited', `${name} is rate limiting`, {
        ...(wait === undefined ? {} : { retryAfterSeconds: wait }),
        headers: rateLimitHeaders(response.headers),
      });
    }
    if (status >= 300 && status < 400 && status !== 304) {
      throw new BrokerError(
        'upstream_error',
        `${name} answered with a redirect, which is not followed`,
      );
    }
    if (status === 503 || status === 504 || status === 502) {
      throw new BrokerError('upstream_unavailable', `${name} is unavailable (${status})`);
    }
    if (status >= 500) throw new BrokerError('upstream_error', `${name} failed (${status})`);

    const headers = safeResponseHeaders(response.headers);
    if (status >= 400) return { status, headers, body: response.body };
    const contentType = headerValue(response.headers, 'content-type') ?? '';
    const page = paginate(
      provider,
      { encodedPath, query },
      {
        link: headerValue(response.headers, 'link'),
        body: response.body,
        isJson: /\bjson\b/i.test(contentType),
      },
    );
    if (page.link) headers.link = page.link;
    return { status, headers, body: method === 'HEAD' ? Buffer.alloc(0) : page.body };
  }
}

function findIdentity(read: UserIdentities, provider: CompiledProvider): IdentityRecord {
  // By connection, never identities[0]: a user may have linked several accounts.
  const identity = read.identities.find((i) => i.connection === provider.entry.connection);
  if (!identity) {
    throw new BrokerError(
      'identity_not_linked',
      `no ${provider.entry.displayName} account is linked to this user`,
    );
  }
  return identity;
}
