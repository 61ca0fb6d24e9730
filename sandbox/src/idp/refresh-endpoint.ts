import type { IdpTokenStore } from '../tenant/idp-token-store.js';
import type { IdpConnection } from '../tenant/tenant-config.js';
import { readBody, sendJson } from '../http/http-io.js';
import type { IdpHandler, IdpRequest } from './idp-handler.js';

/** Why a provider's token endpoint refuses a refresh, in OAuth's words (RFC 6749, 5.2). */
export type RefreshRefusal =
  'invalid_client' | 'unsupported_grant_type' | 'invalid_grant' | 'invalid_request';

/** What a provider's token endpoint answers to a refresh it grants. */
export interface RefreshGrant {
  accessToken: string;
  /** A new refresh token, from providers that give one with each refresh. */
  refreshToken?: string;
  expiresIn: number;
  /** The scope the client asked for (`scope`), if it did. */
  requestedScope: string | undefined;
}

export interface RefreshEndpointOptions {
  connection: IdpConnection;
  tokens: IdpTokenStore;
  client: { clientId: string; clientSecret: string };
  /**
   * Where the client's credentials may be: the form (`client_secret_post`), HTTP Basic
   * (`client_secret_basic`), or either.
   */
  clientAuthentication: 'post' | 'basic' | 'either';
  /** Form parameters the provider insists on besides grant_type and refresh_token. */
  requiredParameters?: readonly string[];
  /** Whether each refresh also hands out a new refresh token (the old one keeps working). */
  issuesRefreshToken: boolean;
  /** Lifetime of a refreshed access token, in seconds. */
  expiresIn: number;
  /** The provider's own refusal: its status and body. */
  refusal(kind: RefreshRefusal, detail: string): { status: number; body: unknown };
  /** The provider's own answer to a granted refresh. */
  answer(grant: RefreshGrant): unknown;
}

/** The client credentials a token request carries, or why they cannot be read. */
function clientCredentials(
  req: IdpRequest['req'],
  form: URLSearchParams,
  allowed: RefreshEndpointOptions['clientAuthentication'],
): { id: string | null; secret: string | null } {
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (basic?.[1] && allowed !== 'post') {
    const [id = '', secret = ''] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    return { id: decodeURIComponent(id), secret: decodeURIComponent(secret) };
  }
  if (allowed === 'basic') return { id: null, secret: null };
  return { id: form.get('client_id'), secret: form.get('client_secret') };
}

/**
 * A provider's OAuth token endpoint for `grant_type=refresh_token`: a new access token for the
 * refresh token's user, in the provider's own answer and refusal shapes.
 */
export function createRefreshEndpoint(options: RefreshEndpointOptions): IdpHandler {
  const refuse = (res: IdpRequest['res'], kind: RefreshRefusal, detail: string) => {
    const { status, body } = options.refusal(kind, detail);
    sendJson(res, status, body);
  };
  return async ({ req, res }) => {
    if (req.method !== 'POST') {
      refuse(res, 'invalid_request', 'Method Not Allowed');
      return;
    }
    const form = new URLSearchParams((await readBody(req)).toString('utf8'));
    const client = clientCredentials(req, form, options.clientAuthentication);
    if (client.id !== options.client.clientId || client.secret !== options.client.clientSecret) {
      refuse(res, 'invalid_client', 'client authentication failed');
      return;
    }
    const grantType = form.get('grant_type') ?? '';
    if (grantType !== 'refresh_token') {
      refuse(res, 'unsupported_grant_type', grantType);
      return;
    }
    const missing = (options.requiredParameters ?? []).find((name) => !form.get(name));
    if (missing !== undefined) {
      refuse(res, 'invalid_request', missing);
      return;
    }
    const refreshed = options.tokens.refresh(options.connection, form.get('refresh_token') ?? '');
    if (!refreshed) {
      refuse(res, 'invalid_grant', 'the refresh token is unknown, expired or revoked');
      return;
    }
    const refreshToken = options.issuesRefreshToken
      ? options.tokens.issueRefreshToken(options.connection, refreshed.userId)
      : undefined;
    sendJson(
      res,
      200,
      options.answer({
        accessToken: refreshed.value,
        ...(refreshToken ? { refreshToken } : {}),
        expiresIn: options.expiresIn,
        requestedScope: form.get('scope') ?? undefined,
      }),
      { 'cache-control': 'no-store', pragma: 'no-cache' },
    );
  };
}
