import { randomUUID } from 'node:crypto';
import type { IdpTokenStore } from '../tenant/idp-token-store.js';
import { bearerToken, sendJson, type HeaderValues } from '../http/http-io.js';
import { providerAccountFor, findSeededUser } from '../tenant/seed.js';
import { intParam, type IdpHandler, type IdpRequest } from './idp-handler.js';
import { microsoftAccountFor, type MicrosoftAccountData } from './microsoft-data.js';
import { createRefreshEndpoint, type RefreshRefusal } from './refresh-endpoint.js';
import { IDP_ACCESS_TOKEN_TTL, IDP_TOKEN_PATHS } from '../tenant/tenant-config.js';

/** How the Microsoft identity platform words each refusal: an AADSTS code and its text. */
const MICROSOFT_REFUSALS: Record<RefreshRefusal, (detail: string) => [number, string]> = {
  invalid_client: () => [7000215, 'Invalid client secret provided.'],
  unsupported_grant_type: () => [70003, 'The app requested an unsupported grant type.'],
  invalid_grant: () => [70000, 'Provided grant is invalid or malformed.'],
  invalid_request: (name) => [
    900144,
    `The request body must contain the following parameter: '${name}'.`,
  ],
};

/**
 * The ids Graph puts on every answer: its own `request-id`, and `client-request-id` echoing the
 * caller's (the SDKs send one) or the same id when none was sent.
 */
function requestIds(req: IdpRequest['req']): { 'request-id': string; 'client-request-id': string } {
  const requestId = randomUUID();
  const sent = req.headers['client-request-id'];
  const clientId = typeof sent === 'string' && /^[\w-]{1,64}$/.test(sent) ? sent : requestId;
  return { 'request-id': requestId, 'client-request-id': clientId };
}

/** Message properties Graph knows but the sandbox does not serve: `$select` may name them. */
const UNSERVED_MESSAGE_PROPERTIES = new Set(['uniqueBody', 'internetMessageHeaders']);

/**
 * What `$select=a,b` keeps of an entity: the named properties, the id (Graph always returns it),
 * and the OData annotations. Undefined when there is no `$select`.
 */
function selected(url: URL): string[] | undefined {
  const value = url.searchParams.get('$select');
  if (value === null || value.trim() === '') return undefined;
  return value.split(',').map((name) => name.trim());
}

function project(
  entity: Record<string, unknown>,
  names: readonly string[],
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(entity).filter(
      ([key]) => key === 'id' || key.startsWith('@odata.') || names.includes(key),
    ),
  );
}

/** Graph's error body: `{"error":{"code","message","innerError"}}`. */
function graphError(
  req: IdpRequest['req'],
  res: IdpRequest['res'],
  status: number,
  code: string,
  message: string,
): void {
  const ids = requestIds(req);
  const requestId = ids['request-id'];
  sendJson(
    res,
    status,
    {
      error: {
        code,
        message,
        innerError: {
          date: new Date().toISOString().replace(/\.\d{3}Z$/, ''),
          'request-id': requestId,
          'client-request-id': ids['client-request-id'],
        },
      },
    },
    {
      ...ids,
      ...(status === 401
        ? {
            'www-authenticate':
              'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"',
          }
        : {}),
    },
  );
}

/**
 * Microsoft Graph subset: `/v1.0/me`, `/v1.0/me/messages` (`$top`, `$skip`, `$select`,
 * `@odata.nextLink`), and the identity platform's token endpoint for `grant_type=refresh_token`.
 */
export function createMicrosoftApi(options: {
  tokens: IdpTokenStore;
  apiBase: string;
  client: { clientId: string; clientSecret: string };
  now?: () => number;
}): IdpHandler {
  const now = options.now ?? Date.now;
  // Refreshing needs the scope again (the v2.0 endpoint refuses a refresh without one), and
  // each refresh hands out a new refresh token as well.
  const tokenEndpoint = createRefreshEndpoint({
    connection: 'windowslive',
    tokens: options.tokens,
    client: options.client,
    clientAuthentication: 'either',
    requiredParameters: ['scope'],
    issuesRefreshToken: true,
    expiresIn: IDP_ACCESS_TOKEN_TTL - 1,
    refusal: (kind, detail) => {
      const [code, text] = MICROSOFT_REFUSALS[kind](detail);
      const traceId = randomUUID();
      return {
        status: kind === 'invalid_client' ? 401 : 400,
        body: {
          error: kind,
          error_description: `AADSTS${code}: ${text} Trace ID: ${traceId}`,
          error_codes: [code],
          timestamp: new Date(now())
            .toISOString()
            .replace('T', ' ')
            .replace(/\.\d{3}Z$/, 'Z'),
          trace_id: traceId,
          correlation_id: randomUUID(),
        },
      };
    },
    answer: (grant) => ({
      token_type: 'Bearer',
      scope: grant.requestedScope ?? '',
      expires_in: grant.expiresIn,
      ext_expires_in: grant.expiresIn,
      access_token: grant.accessToken,
      refresh_token: grant.refreshToken,
    }),
  });
  const accounts = new Map<string, MicrosoftAccountData>();
  const accountOf = (userId: string): MicrosoftAccountData | undefined => {
    const cached = accounts.get(userId);
    if (cached) return cached;
    const user = findSeededUser(userId);
    const identity = user && providerAccountFor(user, 'windowslive');
    if (!user || !identity) return undefined;
    const account = microsoftAccountFor(user, identity, now(), options.apiBase);
    accounts.set(userId, account);
    return account;
  };

  return async (request: IdpRequest) => {
    const { req, res, path, url } = request;
    if (path === IDP_TOKEN_PATHS.windowslive) {
      await tokenEndpoint(request);
      return;
    }
    const value = bearerToken(req);
    const token = value && options.tokens.resolve('windowslive', value);
    if (!token) {
      graphError(
        req,
        res,
        401,
        'InvalidAuthenticationToken',
        'Access token validation failure. Invalid or expired token.',
      );
      return;
    }
    const account = accountOf(token.userId);
    if (!account || req.method !== 'GET') {
      graphError(req, res, 404, 'ResourceNotFound', 'Resource not found.');
      return;
    }
    const headers: HeaderValues = requestIds(req);
    const select = selected(url);
    if (path === '/v1.0/me') {
      if (!select) {
        sendJson(res, 200, account.me, headers);
        return;
      }
      sendJson(
        res,
        200,
        {
          ...project(account.me, select),
          '@odata.context': `${options.apiBase}/v1.0/$metadata#users(${select.join(',')})/$entity`,
        },
        headers,
      );
      return;
    }
    if (path === '/v1.0/me/messages') {
      const known = new Set(Object.keys(account.messages[0] ?? {}));
      const unknown = select?.find(
        (name) => !known.has(name) && !UNSERVED_MESSAGE_PROPERTIES.has(name),
      );
      if (unknown !== undefined) {
        graphError(
          req,
          res,
          400,
          'BadRequest',
          `Could not find a property named '${unknown}' on type 'microsoft.graph.message'.`,
        );
        return;
      }
      const top = intParam(url.searchParams.get('$top'), 10, 1, 1000);
      const skip = intParam(url.searchParams.get('$skip'), 0, 0, Number.MAX_SAFE_INTEGER);
      const page = account.messages.slice(skip, skip + top);
      const context = `${options.apiBase}/v1.0/$metadata#users('${account.me.id as string}')/messages`;
      const body: Record<string, unknown> = {
        '@odata.context': select ? `${context}(${select.join(',')})` : context,
        value: select ? page.map((message) => project(message, select)) : page,
      };
      if (skip + top < account.messages.length) {
        const next = new URL(url);
        next.searchParams.set('$top', String(top));
        next.searchParams.set('$skip', String(skip + top));
        body['@odata.nextLink'] = next.toString();
      }
      sendJson(res, 200, body, headers);
      return;
    }
    graphError(
      req,
      res,
      400,
      'BadRequest',
      `Resource not found for the segment '${path.split('/').pop() ?? ''}'.`,
    );
  };
}
