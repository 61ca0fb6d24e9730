import { errors as joseErrors, jwtVerify, type CryptoKey } from 'jose';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { INVALID_REFRESH_TOKEN } from './auth0-token-refusals.js';
import type { IdpTokenStore } from '../tenant/idp-token-store.js';
import { findProviderAccount, findSeededUser } from '../tenant/seed.js';
import type { StatsRecorder } from '../tenant/stats.js';
import { BROKER_AUDIENCE, IDP_CONNECTIONS, type IdpConnection } from '../tenant/tenant-config.js';

/**
 * Auth0's Token Vault exchange (an RFC 8693 token exchange at `/oauth/token`). Two variants, which
 * differ only in the subject token:
 * - access token: a backend API authenticates as its Custom API Client (same identifier as the API)
 *   and sends the user's access token for that API;
 * - refresh token: a confidential application authenticates with its own credentials and sends an
 *   Auth0 refresh token the tenant issued to it for the user.
 * Either way Auth0 answers with the access token of the user's connected account at `connection`,
 * refreshed at the provider first if it expired.
 */
export const TOKEN_VAULT_GRANT_TYPE =
  'urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
export const REFRESH_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:refresh_token';
export const FEDERATED_CONNECTION_ACCESS_TOKEN_TYPE =
  'http://auth0.com/oauth/token-type/federated-connection-access-token';

const PARAMETERS = [
  'subject_token',
  'subject_token_type',
  'requested_token_type',
  'connection',
  'login_hint',
];

/** The API each Custom API Client stands for (the client's id → the API identifier it shares). */
export type CustomApiClients = Readonly<Record<string, string>>;

export interface TokenVaultGrantOptions {
  issuer: string;
  /** The tenant's signing key: subject tokens are the tenant's own JWT access tokens. */
  publicKey: CryptoKey;
  customApiClients: CustomApiClients;
  tokens: IdpTokenStore;
  stats: StatsRecorder;
}

interface Refusal {
  status: 400 | 401 | 403;
  error: string;
  description: string;
}

/**
 * How Auth0 refuses the exchange: 401 `federated_connection_refresh_token_not_found` when the user
 * has no connected account for the connection (Auth0's Token Vault "Get Token" reference says 401
 * when no identity matches `connection` and `login_hint`; the error code is the one Auth0 sends),
 * and `federated_connection_refresh_token_flow_failed` when the provider's refresh fails. A subject
 * token that is not the user's current access token for the client's API, or not a current refresh
 * token of this client, is refused like Auth0's other unusable grants (403 `invalid_grant`); missing or unsupported parameters are 400
 * `invalid_request` (RFC 8693 §2.2.2).
 */
function refuse(ctx: KoaContextWithOIDC, refusal: Refusal): void {
  ctx.status = refusal.status;
  ctx.body = { error: refusal.error, error_description: refusal.description };
}

const invalidRequest = (description: string): Refusal => ({
  status: 400,
  error: 'invalid_request',
  description,
});
const invalidSubject = (description: string): Refusal => ({
  status: 403,
  error: 'invalid_grant',
  description,
});

function isConnection(value: string): value is IdpConnection {
  return (IDP_CONNECTIONS as readonly string[]).includes(value);
}

/** The user an access-token subject speaks for, or the refusal. */
async function accessTokenSubject(
  subjectToken: string,
  api: string,
  options: TokenVaultGrantOptions,
): Promise<{ userId: string } | Refusal> {
  try {
    const { payload } = await jwtVerify(subjectToken, options.publicKey, {
      issuer: options.issuer,
      audience: api,
      algorithms: ['RS256'],
      // Access tokens only: ID tokens and other JWTs of the tenant have another `typ`.
      typ: 'at+jwt',
      requiredClaims: ['sub', 'exp'],
    });
    if (payload.gty === 'client-credentials')
      return invalidSubject('The subject token was issued to a client, not a user');
    const userId = payload.sub as string;
    if (!findSeededUser(userId)) return invalidSubject('The subject token names no user');
    return { userId };
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired)
      return invalidSubject('The subject token has expired');
    if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'aud')
      return invalidSubject('The subject token is not for the API of this client');
    return invalidSubject('Invalid subject token');
  }
}

/**
 * The user a refresh-token subject speaks for, or the refusal. The token must be one the tenant
 * issued to this same client, current (not expired, revoked or already rotated away) and of a grant
 * that still exists for the same user — what oidc-provider's own refresh grant checks. Every
 * failure gets Auth0's answer to an unusable refresh token (auth0-token-refusals.ts), so a caller
 * learns nothing about whose token it held.
 */
async function refreshTokenSubject(
  subjectToken: string,
  clientId: string,
  provider: Provider,
): Promise<{ userId: string } | Refusal> {
  const refused: Refusal = {
    status: INVALID_REFRESH_TOKEN.status,
    error: INVALID_REFRESH_TOKEN.body.error,
    description: INVALID_REFRESH_TOKEN.body.error_description,
  };
  const refreshToken = await provider.RefreshToken.find(subjectToken);
  if (!refreshToken || refreshToken.clientId !== clientId || refreshToken.consumed) return refused;
  const grant = refreshToken.grantId ? await provider.Grant.find(refreshToken.grantId) : undefined;
  const userId = refreshToken.accountId;
  if (!grant || grant.clientId !== clientId || !userId || grant.accountId !== userId)
    return refused;
  if (!findSeededUser(userId)) return refused;
  return { userId };
}

export function registerTokenVaultGrant(provider: Provider, options: TokenVaultGrantOptions): void {
  provider.registerGrantType(
    TOKEN_VAULT_GRANT_TYPE,
    async (ctx: KoaContextWithOIDC) => {
      const params = ctx.oidc.params as Record<string, string | undefined>;
      // oidc-provider has authenticated the client and checked it may use this grant.
      const client = ctx.oidc.client as NonNullable<KoaContextWithOIDC['oidc']['client']>;
      for (const name of ['subject_token', 'subject_token_type', 'connection'] as const) {
        if (!params[name])
          return refuse(ctx, invalidRequest(`Missing required parameter: ${name}`));
      }
      const subjectTokenType = params.subject_token_type;
      if (subjectTokenType !== ACCESS_TOKEN_TYPE && subjectTokenType !== REFRESH_TOKEN_TYPE)
        return refuse(ctx, invalidRequest('Unsupported subject_token_type'));
      // The access-token variant is for a backend API: only its Custom API Client may use it.
      const api = options.customApiClients[client.clientId];
      if (subjectTokenType === ACCESS_TOKEN_TYPE && !api)
        return refuse(ctx, {
          status: 403,
          error: 'unauthorized_client',
          description: 'The client is not the Custom API Client of an API',
        });
      if (
        params.requested_token_type !== undefined &&
        params.requested_token_type !== FEDERATED_CONNECTION_ACCESS_TOKEN_TYPE
      )
        return refuse(ctx, invalidRequest('Unsupported requested_token_type'));
      const connection = params.connection as string;
      if (!isConnection(connection))
        return refuse(ctx, invalidRequest(`Unknown connection: ${connection}`));
      options.stats.tokenVaultExchange(connection);

      const subjectToken = params.subject_token as string;
      const subject =
        subjectTokenType === ACCESS_TOKEN_TYPE
          ? await accessTokenSubject(subjectToken, api as string, options)
          : await refreshTokenSubject(subjectToken, client.clientId, provider);
      if ('error' in subject) return refuse(ctx, subject);

      const user = findSeededUser(subject.userId);
      const account = user && findProviderAccount(user, connection);
      const hintMatches = !params.login_hint || params.login_hint === account?.userId;
      const found = hintMatches
        ? options.tokens.vaultAccessToken(subject.userId, connection)
        : 'none';
      if (found === 'none')
        return refuse(ctx, {
          status: 401,
          error: 'federated_connection_refresh_token_not_found',
          description: 'Federated connection refresh token not found.',
        });
      if (found === 'refresh_failed')
        return refuse(ctx, {
          status: 401,
          error: 'federated_connection_refresh_token_flow_failed',
          description: 'Failed to refresh the federated connection access token.',
        });

      const { token, scopes } = found;
      ctx.status = 200;
      ctx.body = {
        access_token: token.value,
        token_type: 'Bearer',
        ...(token.expiresAt === null
          ? {}
          : { expires_in: Math.max(0, Math.floor((token.expiresAt - Date.now()) / 1000)) }),
        scope: scopes.join(' '),
        issued_token_type: FEDERATED_CONNECTION_ACCESS_TOKEN_TYPE,
      };
    },
    PARAMETERS,
  );
}

/** The Custom API Clients of this tenant: the broker's Token Vault client, for the broker API. */
export function customApiClients(tokenVaultClientId: string): CustomApiClients {
  return { [tokenVaultClientId]: BROKER_AUDIENCE };
}
