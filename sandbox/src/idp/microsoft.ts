import { randomUUID } from 'node:crypto';
import type { IdpTokenStore } from '../tenant/idp-token-store.js';
import { bearerToken, sendJson } from '../http/http-io.js';
import { providerAccountFor, findSeededUser } from '../tenant/seed.js';
import { intParam, type IdpHandler, type IdpRequest } from './idp-handler.js';
import { microsoftAccountFor, type MicrosoftAccountData } from './microsoft-data.js';

/** Graph's error body: `{"error":{"code","message","innerError"}}`. */
function graphError(res: IdpRequest['res'], status: number, code: string, message: string): void {
  const requestId = randomUUID();
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
          'client-request-id': requestId,
        },
      },
    },
    {
      'request-id': requestId,
      ...(status === 401
        ? {
            'www-authenticate':
              'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"',
          }
        : {}),
    },
  );
}

/** Microsoft Graph subset: `/v1.0/me`, `/v1.0/me/messages` (`$top`, `$skip`, `@odata.nextLink`). */
export function createMicrosoftApi(options: {
  tokens: IdpTokenStore;
  apiBase: string;
  now?: () => number;
}): IdpHandler {
  const now = options.now ?? Date.now;
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

  return async ({ req, res, path, url }: IdpRequest) => {
    const value = bearerToken(req);
    const token = value && options.tokens.resolve('windowslive', value);
    if (!token) {
      graphError(
        res,
        401,
        'InvalidAuthenticationToken',
        'Access token validation failure. Invalid or expired token.',
      );
      return;
    }
    const account = accountOf(token.userId);
    if (!account || req.method !== 'GET') {
      graphError(res, 404, 'ResourceNotFound', 'Resource not found.');
      return;
    }
    if (path === '/v1.0/me') {
      sendJson(res, 200, account.me);
      return;
    }
    if (path === '/v1.0/me/messages') {
      const top = intParam(url.searchParams.get('$top'), 10, 1, 1000);
      const skip = intParam(url.searchParams.get('$skip'), 0, 0, Number.MAX_SAFE_INTEGER);
      const items = account.messages.slice(skip, skip + top);
      const body: Record<string, unknown> = {
        '@odata.context': `${options.apiBase}/v1.0/$metadata#users('${account.me.id as string}')/messages`,
        value: items,
      };
      if (skip + top < account.messages.length) {
        const next = new URL(url);
        next.searchParams.set('$top', String(top));
        next.searchParams.set('$skip', String(skip + top));
        body['@odata.nextLink'] = next.toString();
      }
      sendJson(res, 200, body);
      return;
    }
    graphError(
      res,
      400,
      'BadRequest',
      `Resource not found for the segment '${path.split('/').pop() ?? ''}'.`,
    );
  };
}
