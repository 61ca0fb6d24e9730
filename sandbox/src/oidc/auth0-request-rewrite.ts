import type { IncomingMessage } from 'node:http';
import { clientGrantScopes } from '../tenant/tenant-config.js';

/**
 * What makes oidc-provider answer Auth0's requests: Auth0 clients speak `audience` where
 * oidc-provider speaks RFC 8707 `resource`, send `returnTo` to `/v2/logout`, may post JSON or use
 * HTTP Basic at `/oauth/token`, and get refresh tokens for `offline_access` without `prompt=consent`.
 */

/** `/authorize`: `audience` → `resource`; `offline_access` kept by asking for (implicit) consent. */
export function rewriteAuthorizeQuery(url: URL): string {
  const query = new URLSearchParams(url.search);
  const audience = query.get('audience');
  if (audience && !query.has('resource')) query.set('resource', audience);
  query.delete('audience');
  const scopes = (query.get('scope') ?? '').split(' ');
  const prompts = new Set((query.get('prompt') ?? '').split(' ').filter(Boolean));
  // oidc-provider drops offline_access unless consent is prompted (OIDC Core §11); Auth0 does not.
  if (scopes.includes('offline_access') && !prompts.has('none') && !prompts.has('consent')) {
    prompts.add('consent');
    query.set('prompt', [...prompts].join(' '));
  }
  return `${url.pathname}?${query.toString()}`;
}

/** `/v2/logout?returnTo=…&client_id=…` → oidc-provider's `post_logout_redirect_uri`. */
export function rewriteLogoutQuery(url: URL): string {
  const query = new URLSearchParams(url.search);
  const returnTo = query.get('returnTo');
  if (returnTo && !query.has('post_logout_redirect_uri'))
    query.set('post_logout_redirect_uri', returnTo);
  query.delete('returnTo');
  query.delete('federated');
  const search = query.toString();
  return search ? `${url.pathname}?${search}` : url.pathname;
}

export type TokenRequestParse =
  | { ok: true; grantType: string; form: URLSearchParams }
  | { ok: false; error: string; description: string };

/**
 * `/oauth/token`: accepts form or JSON bodies and client_secret_basic or _post, and forwards one
 * urlencoded form with `resource` for `audience`; a client-credentials request without `scope`
 * asks for everything the client was granted, as Auth0 does.
 */
export function normaliseTokenRequest(
  req: IncomingMessage,
  body: Buffer,
  managementAudience: string,
): TokenRequestParse {
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  const form = new URLSearchParams();
  if (contentType === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return {
        ok: false,
        error: 'invalid_request',
        description: 'the request body is not valid JSON',
      };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return {
        ok: false,
        error: 'invalid_request',
        description: 'the request body must be a JSON object',
      };
    }
    for (const [key, value] of Object.entries(parsed)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        form.set(key, String(value));
      }
    }
  } else if (contentType === 'application/x-www-form-urlencoded') {
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) form.append(key, value);
  } else {
    return {
      ok: false,
      error: 'invalid_request',
      description: 'only application/x-www-form-urlencoded or application/json bodies are accepted',
    };
  }

  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0)
      return { ok: false, error: 'invalid_client', description: 'malformed Basic credentials' };
    try {
      form.set('client_id', decodeURIComponent(decoded.slice(0, colon)));
      form.set('client_secret', decodeURIComponent(decoded.slice(colon + 1)));
    } catch {
      return { ok: false, error: 'invalid_client', description: 'malformed Basic credentials' };
    }
  }

  const audience = form.get('audience');
  if (audience && !form.has('resource')) form.set('resource', audience);
  form.delete('audience');

  const grantType = form.get('grant_type') ?? '';
  const clientId = form.get('client_id') ?? '';
  const granted = clientGrantScopes(clientId, form.get('resource') ?? '', managementAudience);
  if (grantType === 'client_credentials' && !form.get('scope') && granted) {
    form.set('scope', granted.join(' '));
  }
  return { ok: true, grantType, form };
}
