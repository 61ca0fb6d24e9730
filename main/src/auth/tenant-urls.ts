import { DESKTOP_SCOPE } from '@linkboard/contract/desktop';

/** What main knows of the tenant from configuration: where it is and who the app is there. */
export interface TenantClient {
  /** `https://tenant.eu.auth0.com`, or the sandbox's `http://127.0.0.1:PORT` in development. */
  origin: string;
  clientId: string;
  /** The broker API's audience, the only one the app asks tokens for. */
  audience: string;
}

/** A tenant page main will open, rebuilt from configuration; `state` for a sign-in. */
export type TenantPage =
  { kind: 'authorize'; url: string; state: string } | { kind: 'logout'; url: string };

export type TenantPageResult = { ok: true; page: TenantPage } | { ok: false; reason: string };

/** What auth0-spa-js generates per sign-in (RFC 7636 verifier challenge, opaque state and nonce). */
export const STATE_OR_NONCE = /^[A-Za-z0-9+/=._~-]{16,512}$/;
const CODE_CHALLENGE = /^[A-Za-z0-9_-]{43,128}$/;
/** auth0-spa-js's telemetry: base64 of `{"name":"auth0-spa-js","version":…}`. */
const AUTH0_CLIENT = /^[A-Za-z0-9+/=_-]{1,1024}$/;

const AUTHORIZE_PARAMETERS = new Set([
  'client_id',
  'redirect_uri',
  'audience',
  'scope',
  'response_type',
  'response_mode',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'auth0Client',
]);
const LOGOUT_PARAMETERS = new Set(['client_id', 'auth0Client']);

const SCOPES = new Set(['openid', ...DESKTOP_SCOPE.split(' ')]);

/** The one value of a parameter, or null when it is missing or repeated. */
function single(query: URLSearchParams, name: string): string | null {
  const values = query.getAll(name);
  return values.length === 1 ? (values[0] ?? null) : null;
}

function sameScopes(scope: string): boolean {
  const asked = scope.split(' ').filter(Boolean);
  return (
    asked.length === new Set(asked).size &&
    asked.length === SCOPES.size &&
    asked.every((s) => SCOPES.has(s))
  );
}

/**
 * The `/authorize` or `/v2/logout` URL main opens for a URL the renderer asked for, built from
 * configuration: the client id, audience, scopes and redirect URI are main's own (the redirect URI
 * of the sign-in main is waiting for), and only what auth0-spa-js generates per sign-in (state,
 * nonce, PKCE challenge, its telemetry) is taken from the request, each checked for shape. Any
 * other parameter, a repeated one, or a value that differs from configuration is refused, so a
 * page cannot send the user to the tenant with another client, audience, `returnTo` or redirect.
 * `requested` has already passed the origin and path checks of the external opener.
 */
export function tenantPageFor(
  requested: URL,
  client: TenantClient,
  pendingRedirectUri: string | null,
): TenantPageResult {
  const query = requested.searchParams;
  const allowed = requested.pathname === '/authorize' ? AUTHORIZE_PARAMETERS : LOGOUT_PARAMETERS;
  for (const name of new Set(query.keys())) {
    if (!allowed.has(name)) return { ok: false, reason: 'parameter' };
    if (query.getAll(name).length !== 1) return { ok: false, reason: 'repeated parameter' };
  }
  if (single(query, 'client_id') !== client.clientId) return { ok: false, reason: 'client_id' };
  const telemetry = single(query, 'auth0Client');
  if (telemetry !== null && !AUTH0_CLIENT.test(telemetry))
    return { ok: false, reason: 'auth0Client' };

  if (requested.pathname === '/v2/logout') {
    const url = new URL('/v2/logout', client.origin);
    url.searchParams.set('client_id', client.clientId);
    if (telemetry !== null) url.searchParams.set('auth0Client', telemetry);
    return { ok: true, page: { kind: 'logout', url: url.href } };
  }

  if (pendingRedirectUri === null) return { ok: false, reason: 'no sign-in pending' };
  if (single(query, 'redirect_uri') !== pendingRedirectUri)
    return { ok: false, reason: 'redirect_uri' };
  if (single(query, 'audience') !== client.audience) return { ok: false, reason: 'audience' };
  if (single(query, 'response_type') !== 'code') return { ok: false, reason: 'response_type' };
  if (!['query', null].includes(single(query, 'response_mode')))
    return { ok: false, reason: 'response_mode' };
  if (single(query, 'code_challenge_method') !== 'S256')
    return { ok: false, reason: 'code_challenge_method' };
  const scope = single(query, 'scope');
  if (scope === null || !sameScopes(scope)) return { ok: false, reason: 'scope' };
  const state = single(query, 'state');
  const nonce = single(query, 'nonce');
  const challenge = single(query, 'code_challenge');
  if (state === null || !STATE_OR_NONCE.test(state)) return { ok: false, reason: 'state' };
  if (nonce === null || !STATE_OR_NONCE.test(nonce)) return { ok: false, reason: 'nonce' };
  if (challenge === null || !CODE_CHALLENGE.test(challenge))
    return { ok: false, reason: 'code_challenge' };

  const url = new URL('/authorize', client.origin);
  for (const [name, value] of [
    ['client_id', client.clientId],
    ['audience', client.audience],
    ['scope', scope],
    ['redirect_uri', pendingRedirectUri],
    ['response_type', 'code'],
    ['response_mode', 'query'],
    ['state', state],
    ['nonce', nonce],
    ['code_challenge', challenge],
    ['code_challenge_method', 'S256'],
    ...(telemetry !== null ? [['auth0Client', telemetry]] : []),
  ] as const) {
    url.searchParams.set(name, value);
  }
  return { ok: true, page: { kind: 'authorize', url: url.href, state } };
}
