import type { IdpTokenStore } from '../tenant/idp-token-store.js';
import { bearerToken, sendJson } from '../http/http-io.js';
import { findSeededUser, providerAccountFor } from '../tenant/seed.js';
import { IDP_ACCESS_TOKEN_TTL, IDP_TOKEN_PATHS } from '../tenant/tenant-config.js';
import { bitbucketAccountFor, type BitbucketAccountData } from './bitbucket-data.js';
import { intParam, type IdpHandler, type IdpRequest } from './idp-handler.js';
import { createRefreshEndpoint, type RefreshRefusal } from './refresh-endpoint.js';

/** Bitbucket's error body: `{"type":"error","error":{"message"}}`. */
function bitbucketError(res: IdpRequest['res'], status: number, message: string): void {
  sendJson(res, status, { type: 'error', error: { message } });
}

/** How Bitbucket's token endpoint words each refusal. */
const BITBUCKET_REFUSALS: Record<RefreshRefusal, string> = {
  invalid_client: 'Invalid OAuth client credentials',
  unsupported_grant_type: 'Unsupported grant type',
  invalid_grant: 'Invalid refresh_token',
  invalid_request: 'Invalid request',
};

/**
 * A page of Bitbucket's paginated collections: `values` with `pagelen`, `page`, `size` and the
 * `next` / `previous` page URLs in the body (`page` and `pagelen` in the query, `pagelen` at most
 * 100).
 */
function sendPage(
  res: IdpRequest['res'],
  url: URL,
  values: readonly Record<string, unknown>[],
): void {
  const pagelen = intParam(url.searchParams.get('pagelen'), 10, 1, 100);
  const page = intParam(url.searchParams.get('page'), 1, 1, Number.MAX_SAFE_INTEGER);
  const pageUrl = (number: number) => {
    const target = new URL(url);
    target.searchParams.set('page', String(number));
    return target.toString();
  };
  const last = Math.max(1, Math.ceil(values.length / pagelen));
  sendJson(res, 200, {
    pagelen,
    size: values.length,
    values: values.slice((page - 1) * pagelen, page * pagelen),
    page,
    ...(page < last ? { next: pageUrl(page + 1) } : {}),
    ...(page > 1 ? { previous: pageUrl(Math.min(page - 1, last)) } : {}),
  });
}

/** `sort=-updated_on` and the like: one field, `-` for descending, as Bitbucket's queries take. */
function sorted(
  values: readonly Record<string, unknown>[],
  sort: string | null,
): Record<string, unknown>[] {
  const field = sort?.replace(/^-/, '');
  if (!field) return [...values];
  const direction = sort?.startsWith('-') ? -1 : 1;
  return [...values].sort(
    (a, b) => direction * String(a[field] ?? '').localeCompare(String(b[field] ?? '')),
  );
}

/**
 * Bitbucket Cloud REST API 2.0 subset: `/2.0/user`, the user's repositories (`/2.0/repositories`
 * with `role=member`, and `/2.0/repositories/{workspace}`), and the OAuth token endpoint
 * (`/site/oauth2/access_token`) for `grant_type=refresh_token` with HTTP Basic client credentials.
 */
export function createBitbucketApi(options: {
  tokens: IdpTokenStore;
  apiBase: string;
  client: { clientId: string; clientSecret: string };
}): IdpHandler {
  const accounts = new Map<string, BitbucketAccountData>();
  const accountOf = (userId: string): BitbucketAccountData | undefined => {
    const cached = accounts.get(userId);
    if (cached) return cached;
    const user = findSeededUser(userId);
    const identity = user && providerAccountFor(user, 'bitbucket');
    if (!user || !identity) return undefined;
    const account = bitbucketAccountFor(user, identity, options.apiBase);
    accounts.set(userId, account);
    return account;
  };
  // Bitbucket's refresh: the client as HTTP Basic, a new access token for two hours, the refresh
  // token in the answer again.
  const tokenEndpoint = createRefreshEndpoint({
    connection: 'bitbucket',
    tokens: options.tokens,
    client: options.client,
    clientAuthentication: 'basic',
    issuesRefreshToken: true,
    expiresIn: 2 * IDP_ACCESS_TOKEN_TTL,
    refusal: (kind) => ({
      status: kind === 'invalid_client' ? 401 : 400,
      body: { error: kind, error_description: BITBUCKET_REFUSALS[kind] },
    }),
    answer: (grant) => ({
      access_token: grant.accessToken,
      scopes: 'account repository',
      expires_in: grant.expiresIn,
      refresh_token: grant.refreshToken,
      token_type: 'bearer',
      state: 'refresh_token',
    }),
  });

  return async (request: IdpRequest) => {
    const { req, res, path, url } = request;
    if (path === IDP_TOKEN_PATHS.bitbucket) {
      await tokenEndpoint(request);
      return;
    }
    const value = bearerToken(req);
    const token = value && options.tokens.resolve('bitbucket', value);
    if (!token) {
      bitbucketError(res, 401, 'Token is invalid, expired or not supported for this endpoint.');
      return;
    }
    const account = accountOf(token.userId);
    if (!account || req.method !== 'GET') {
      bitbucketError(res, 404, 'Resource not found');
      return;
    }
    if (path === '/2.0/user') {
      sendJson(res, 200, account.user);
      return;
    }
    const sort = url.searchParams.get('sort');
    if (path === '/2.0/repositories') {
      // Without a role the list is every public repository: here only the user's own are known.
      const mine = url.searchParams.get('role') !== null;
      sendPage(res, url, sorted(mine ? account.repositories : [], sort));
      return;
    }
    const workspaceMatch = /^\/2\.0\/repositories\/([^/]+)$/.exec(path);
    if (workspaceMatch) {
      const workspace = decodeURIComponent(workspaceMatch[1] ?? '');
      const uuid = String(account.user.uuid);
      if (workspace === account.workspace || workspace === uuid) {
        sendPage(res, url, sorted(account.repositories, sort));
        return;
      }
    }
    bitbucketError(res, 404, 'Resource not found');
  };
}
