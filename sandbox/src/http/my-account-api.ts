import type { IncomingMessage, ServerResponse } from 'node:http';
import { jwtVerify, type CryptoKey } from 'jose';
import { z } from 'zod';
import type { ConnectRequests, CompleteRefusal } from '../tenant/connect-requests.js';
import { CONNECT_TICKET_TTL_SECONDS } from '../tenant/connect-requests.js';
import type { ConnectedAccount, IdpTokenStore } from '../tenant/idp-token-store.js';
import { findSeededUser } from '../tenant/seed.js';
import {
  CONNECTED_ACCOUNT_SCOPES,
  DESKTOP_CLIENT_ID,
  IDP_CONNECTIONS,
  type IdpConnection,
  type MyAccountScope,
} from '../tenant/tenant-config.js';
import type { FixedWindowRateLimiter } from '../tenant/rate-limit.js';
import { bearerToken, readBody, type HeaderValues } from './http-io.js';
import { desktopOriginAllowed, desktopRedirectAllowed } from './desktop-origins.js';

/** Where the connect page lives: `connect_uri` of `POST connected-accounts/connect`. */
export const CONNECT_PAGE_PATH = '/connect';
export const MY_ACCOUNT_PREFIX = '/me/v1/';

export interface MyAccountApiOptions {
  domain: string;
  issuer: string;
  /** `{domain}/me/`, as auth0-spa-js derives it. */
  audience: string;
  publicKey: CryptoKey;
  connectRequests: ConnectRequests;
  tokens: IdpTokenStore;
  /** Like the Management API's: every answer says the window's state, and over it is 429. */
  rateLimiter: FixedWindowRateLimiter;
}

/**
 * RFC 9457 problem details in the My Account API's shape (`type`, `status`, `title`, `detail`,
 * `validation_errors`), which auth0-spa-js's `MyAccountApiError` reads. The `type` URIs follow
 * Auth0's `https://auth0.com/api-errors/A0E-{status}-{n}` pattern; A0E-401-0001 and A0E-404-0001
 * are ones Auth0 is seen to send, the others are this sandbox's.
 */
interface Problem {
  status: 400 | 401 | 403 | 404 | 429;
  type: string;
  title: string;
  detail: string;
  validation_errors?: Array<{ detail: string; field: string }>;
}

const problems = {
  unauthorized: (): Problem => ({
    status: 401,
    type: 'https://auth0.com/api-errors/A0E-401-0001',
    title: 'Unauthorized',
    detail: 'Missing or invalid token.',
  }),
  insufficientScope: (scope: MyAccountScope): Problem => ({
    status: 403,
    type: 'https://auth0.com/api-errors/A0E-403-0001',
    title: 'Forbidden',
    detail: `Insufficient scope, expected: ${scope}.`,
  }),
  /** A body its schema refused, one validation error per issue, named by its field. */
  invalidBody: (error: z.ZodError): Problem => ({
    status: 400,
    type: 'https://auth0.com/api-errors/A0E-400-0001',
    title: 'Bad Request',
    detail: 'Invalid request payload.',
    validation_errors: error.issues.map((issue) => ({
      field: issue.path.join('.') || 'body',
      detail: issue.message,
    })),
  }),
  badRequest: (detail: string): Problem => ({
    status: 400,
    type: 'https://auth0.com/api-errors/A0E-400-0002',
    title: 'Bad Request',
    detail,
  }),
  tooManyRequests: (): Problem => ({
    status: 429,
    type: 'https://auth0.com/api-errors/A0E-429-0001',
    title: 'Too Many Requests',
    detail: 'Rate limit exceeded.',
  }),
  notFound: (detail: string): Problem => ({
    status: 404,
    type: 'https://auth0.com/api-errors/A0E-404-0001',
    title: 'Not Found',
    detail,
  }),
};

const COMPLETE_REFUSALS: Record<CompleteRefusal, Problem> = {
  unknown_session: problems.notFound('The connected account request was not found.'),
  expired: problems.badRequest('The connected account request has expired.'),
  not_approved: problems.badRequest('The connected account request was not approved.'),
  wrong_code: problems.badRequest('Invalid connect_code.'),
  wrong_redirect_uri: problems.badRequest('redirect_uri does not match the connect request.'),
  wrong_verifier: problems.badRequest('Invalid code_verifier.'),
};

const ConnectBody = z.object({
  connection: z.string().min(1).max(128),
  redirect_uri: z.string().url().max(2048),
  state: z.string().max(2048).optional(),
  code_challenge: z.string().min(43).max(128).optional(),
  code_challenge_method: z.literal('S256').optional(),
  scopes: z.array(z.string().min(1).max(256)).max(50).optional(),
  authorization_params: z.record(z.string(), z.unknown()).optional(),
});

const CompleteBody = z.object({
  auth_session: z.string().min(1).max(64),
  connect_code: z.string().min(1).max(46),
  redirect_uri: z.string().url().max(2048),
  code_verifier: z.string().min(43).max(128).optional(),
});

function corsHeaders(req: IncomingMessage): HeaderValues {
  const origin = req.headers.origin;
  if (!origin || !desktopOriginAllowed(origin)) return {};
  return {
    'access-control-allow-origin': origin,
    // The page may read how much of the window is left, and when to come back.
    'access-control-expose-headers':
      'x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset, retry-after',
    vary: 'Origin',
  };
}

function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: unknown,
  contentType = 'application/json; charset=utf-8',
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(text ? { 'content-type': contentType, 'content-length': Buffer.byteLength(text) } : {}),
    'cache-control': 'no-store',
    ...corsHeaders(req),
  });
  res.end(text);
}

function sendProblem(req: IncomingMessage, res: ServerResponse, problem: Problem): void {
  const headers =
    problem.status === 401 ? { 'www-authenticate': 'Bearer realm="My Account API"' } : {};
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  send(req, res, problem.status, problem, 'application/problem+json; charset=utf-8');
}

function isConnection(value: string): value is IdpConnection {
  return (IDP_CONNECTIONS as readonly string[]).includes(value);
}

function describeAccount(account: ConnectedAccount) {
  return {
    id: account.id,
    connection: account.connection,
    access_type: 'offline',
    scopes: [...account.scopes],
    created_at: account.createdAt,
    ...(account.tokens.accessToken.expiresAt === null
      ? {}
      : { expires_at: new Date(account.tokens.accessToken.expiresAt).toISOString() }),
  };
}

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  const text = (await readBody(req)).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The My Account API's Connected Accounts endpoints under `/me/v1/`, for a user's own access token
 * for the My Account API (audience `{domain}/me/`, the `*:me:connected_accounts` scopes): connect,
 * complete, list and delete. What `auth0-spa-js`'s `MyAccountApiClient` and
 * `connectAccountWithRedirect` send.
 */
export function createMyAccountApi(options: MyAccountApiOptions) {
  /** The caller's user id and scopes, or the refusal. */
  async function caller(
    req: IncomingMessage,
  ): Promise<{ userId: string; clientId: string; scopes: Set<string> } | Problem> {
    const token = bearerToken(req);
    if (!token) return problems.unauthorized();
    try {
      const { payload } = await jwtVerify(token, options.publicKey, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ['RS256'],
        typ: 'at+jwt',
        requiredClaims: ['sub', 'exp'],
      });
      const userId = String(payload.sub);
      if (payload.gty === 'client-credentials' || !findSeededUser(userId))
        return problems.unauthorized();
      const scopes = new Set(
        String(payload.scope ?? '')
          .split(' ')
          .filter(Boolean),
      );
      return { userId, clientId: String(payload.azp ?? payload.client_id ?? ''), scopes };
    } catch {
      return problems.unauthorized();
    }
  }

  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...corsHeaders(req),
        'access-control-allow-methods': 'GET, POST, DELETE',
        'access-control-allow-headers': 'authorization, content-type, dpop',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }
    const limit = options.rateLimiter.consume();
    for (const [name, value] of Object.entries(limit.headers)) res.setHeader(name, value);
    if (!limit.allowed) return sendProblem(req, res, problems.tooManyRequests());
    const path = url.pathname.slice(MY_ACCOUNT_PREFIX.length - 1);
    const route = `${req.method ?? ''} ${path.replace(/^\/connected-accounts\/accounts\/[^/]+$/, '/connected-accounts/accounts/{id}')}`;
    const needs: Record<string, MyAccountScope> = {
      'POST /connected-accounts/connect': 'create:me:connected_accounts',
      'POST /connected-accounts/complete': 'create:me:connected_accounts',
      'GET /connected-accounts/accounts': 'read:me:connected_accounts',
      'DELETE /connected-accounts/accounts/{id}': 'delete:me:connected_accounts',
    };
    const scope = needs[route];
    if (!scope)
      return sendProblem(
        req,
        res,
        problems.notFound(
          `The requested resource ${req.method ?? ''} ${url.pathname} was not found.`,
        ),
      );
    const who = await caller(req);
    if ('status' in who) return sendProblem(req, res, who);
    if (!who.scopes.has(scope)) return sendProblem(req, res, problems.insufficientScope(scope));

    if (route === 'POST /connected-accounts/connect') {
      const body = ConnectBody.safeParse(await jsonBody(req));
      if (!body.success) return sendProblem(req, res, problems.invalidBody(body.error));
      const request = body.data;
      if (!isConnection(request.connection))
        return sendProblem(
          req,
          res,
          problems.badRequest(`Unknown connection: ${request.connection}`),
        );
      // A public client (the desktop app) must prove possession with PKCE.
      if (who.clientId === DESKTOP_CLIENT_ID && !request.code_challenge)
        return sendProblem(
          req,
          res,
          problems.badRequest('code_challenge is required for public clients.'),
        );
      if (who.clientId === DESKTOP_CLIENT_ID && !desktopRedirectAllowed(request.redirect_uri))
        return sendProblem(
          req,
          res,
          problems.badRequest('redirect_uri is not allowed for this client.'),
        );
      const started = options.connectRequests.start({
        userId: who.userId,
        connection: request.connection,
        redirectUri: request.redirect_uri,
        state: request.state,
        codeChallenge: request.code_challenge,
        scopes: request.scopes ?? CONNECTED_ACCOUNT_SCOPES[request.connection].split(' '),
      });
      return send(req, res, 201, {
        connect_uri: `${options.domain}${CONNECT_PAGE_PATH}`,
        auth_session: started.authSession,
        connect_params: { ticket: started.ticket },
        expires_in: CONNECT_TICKET_TTL_SECONDS,
      });
    }

    if (route === 'POST /connected-accounts/complete') {
      const body = CompleteBody.safeParse(await jsonBody(req));
      if (!body.success) return sendProblem(req, res, problems.invalidBody(body.error));
      const completed = options.connectRequests.complete(who.userId, {
        authSession: body.data.auth_session,
        connectCode: body.data.connect_code,
        redirectUri: body.data.redirect_uri,
        ...(body.data.code_verifier ? { codeVerifier: body.data.code_verifier } : {}),
      });
      if (typeof completed === 'string') return sendProblem(req, res, COMPLETE_REFUSALS[completed]);
      const account = options.tokens.connect(who.userId, completed.connection, completed.scopes);
      return send(req, res, 201, describeAccount(account));
    }

    if (route === 'GET /connected-accounts/accounts') {
      return send(req, res, 200, {
        accounts: options.tokens.connectedAccounts(who.userId).map(describeAccount),
      });
    }

    const id = decodeURIComponent(path.slice('/connected-accounts/accounts/'.length));
    if (!options.tokens.disconnect(who.userId, id))
      return sendProblem(req, res, problems.notFound('The connected account was not found.'));
    return send(req, res, 204, undefined);
  };
}
