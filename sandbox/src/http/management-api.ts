import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors as joseErrors, jwtVerify, type CryptoKey } from 'jose';
import type { IdpTokenStore } from '../tenant/idp-token-store.js';
import { bearerToken, sendJson, type HeaderValues } from './http-io.js';
import { profileClaims } from '../oidc/accounts.js';
import type { FixedWindowRateLimiter } from '../tenant/rate-limit.js';
import {
  findSeededUser,
  SEEDED_CREATED_AT,
  type SeededIdentity,
  type SeededUser,
} from '../tenant/seed.js';
import type { StatsRecorder } from '../tenant/stats.js';

/** Auth0's Management API error body. */
export interface ManagementError {
  statusCode: number;
  error: string;
  message: string;
  errorCode: string;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function managementError(
  statusCode: number,
  message: string,
  errorCode: string,
): ManagementError {
  return { statusCode, error: REASONS[statusCode] ?? 'Error', message, errorCode };
}

function sendManagementError(
  res: ServerResponse,
  statusCode: number,
  message: string,
  errorCode: string,
  headers: HeaderValues = {},
): void {
  sendJson(res, statusCode, managementError(statusCode, message, errorCode), headers);
}

export interface ManagementApiOptions {
  issuer: string;
  audience: string;
  publicKey: CryptoKey;
  tokens: IdpTokenStore;
  rateLimiter: FixedWindowRateLimiter;
  stats: StatsRecorder;
}

type Verified = { scopes: Set<string> } | { failure: string };

/** `GET /api/v2/users/{id}` like Auth0's, with its token checks, scopes and rate limit headers. */
export function createManagementApi(options: ManagementApiOptions) {
  const verify = async (req: IncomingMessage): Promise<Verified> => {
    const token = bearerToken(req);
    if (!token) return { failure: 'Missing authentication' };
    try {
      const { payload } = await jwtVerify(token, options.publicKey, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ['RS256'],
        typ: 'at+jwt',
      });
      const scope = typeof payload.scope === 'string' ? payload.scope : '';
      return { scopes: new Set(scope.split(' ').filter(Boolean)) };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired)
        return { failure: 'Expired token received for JSON Web Token validation' };
      if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'aud') {
        return { failure: `Bad audience: ${options.audience}` };
      }
      return { failure: 'Invalid token' };
    }
  };

  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const userMatch = /^\/api\/v2\/users\/([^/]+)$/.exec(url.pathname);
    if (userMatch && req.method === 'GET') options.stats.managementGetUser();

    const limit = options.rateLimiter.consume();
    if (!limit.allowed) {
      sendManagementError(
        res,
        429,
        'Global limit has been reached',
        'too_many_requests',
        limit.headers,
      );
      return;
    }
    const verified = await verify(req);
    if ('failure' in verified) {
      sendManagementError(res, 401, verified.failure, 'invalid_token', {
        ...limit.headers,
        'www-authenticate': 'Bearer error="invalid_token"',
      });
      return;
    }
    if (!userMatch || req.method !== 'GET') {
      sendManagementError(res, 404, 'Not Found', 'not_found', limit.headers);
      return;
    }
    if (!verified.scopes.has('read:users')) {
      sendManagementError(
        res,
        403,
        'Insufficient scope, expected any of: read:users',
        'insufficient_scope',
        limit.headers,
      );
      return;
    }
    let id: string;
    try {
      id = decodeURIComponent(userMatch[1] ?? '');
    } catch {
      sendManagementError(
        res,
        400,
        'Path validation error: invalid user id',
        'invalid_uri',
        limit.headers,
      );
      return;
    }
    const user = findSeededUser(id);
    if (!user) {
      sendManagementError(res, 404, 'The user does not exist.', 'inexistent_user', limit.headers);
      return;
    }
    const profile = userProfile(user, options.tokens, verified.scopes.has('read:user_idp_tokens'));
    sendJson(res, 200, selectFields(profile, url.searchParams), limit.headers);
  };
}

function userProfile(
  user: SeededUser,
  tokens: IdpTokenStore,
  withIdpTokens: boolean,
): Record<string, unknown> {
  const claims = profileClaims(user);
  return {
    user_id: user.id,
    email: claims.email,
    email_verified: true,
    name: claims.name,
    given_name: claims.given_name,
    family_name: claims.family_name,
    nickname: claims.nickname,
    picture: claims.picture,
    created_at: SEEDED_CREATED_AT,
    updated_at: claims.updated_at,
    identities: [
      {
        provider: 'auth0',
        user_id: user.id.slice(user.id.indexOf('|') + 1),
        connection: 'Username-Password-Authentication',
        isSocial: false,
      },
      ...user.identities.map((identity) => linkedIdentity(user, identity, tokens, withIdpTokens)),
    ],
    last_login: '2026-01-15T10:30:00.000Z',
    last_ip: '127.0.0.1',
    logins_count: 42,
  };
}

function linkedIdentity(
  user: SeededUser,
  identity: SeededIdentity,
  tokens: IdpTokenStore,
  withIdpTokens: boolean,
): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    provider: identity.provider,
    user_id: identity.userId,
    connection: identity.connection,
    isSocial: true,
    profileData: profileDataFor(user, identity),
  };
  const stored = tokens.storedFor(user.id, identity.connection);
  if (withIdpTokens && stored) {
    entry.access_token = stored.accessToken.value;
    if (stored.accessToken.expiresAt !== null) {
      entry.expires_in = Math.max(
        0,
        Math.floor((stored.accessToken.expiresAt - Date.now()) / 1000),
      );
    }
    if (stored.refreshToken) entry.refresh_token = stored.refreshToken;
  }
  return entry;
}

function profileDataFor(user: SeededUser, identity: SeededIdentity): Record<string, unknown> {
  switch (identity.connection) {
    case 'github':
      return {
        login: identity.login,
        name: user.name,
        email: user.email,
        avatar_url: `https://avatars.githubusercontent.com/u/${identity.userId}?v=4`,
        html_url: `https://github.com/${identity.login}`,
        nickname: identity.login,
      };
    case 'google-oauth2':
      return {
        email: identity.login,
        email_verified: true,
        name: user.name,
        given_name: user.givenName,
        family_name: user.familyName,
        picture: `https://lh3.googleusercontent.com/a/${identity.userId}=s96-c`,
        locale: 'en',
      };
    case 'windowslive':
      return {
        email: identity.login,
        name: user.name,
        given_name: user.givenName,
        family_name: user.familyName,
        emails: [identity.login],
      };
    case 'bitbucket':
      return {
        account_id: identity.userId,
        nickname: identity.login,
        name: user.name,
        email: user.email,
      };
  }
}

/** Auth0's `fields` (comma-separated) and `include_fields` (default true) on top-level properties. */
function selectFields(
  profile: Record<string, unknown>,
  query: URLSearchParams,
): Record<string, unknown> {
  const fields = (query.get('fields') ?? '')
    .split(',')
    .map((field) => field.trim())
    .filter(Boolean);
  if (fields.length === 0) return profile;
  const include = query.get('include_fields') !== 'false';
  const wanted = new Set(fields);
  return Object.fromEntries(Object.entries(profile).filter(([key]) => wanted.has(key) === include));
}
