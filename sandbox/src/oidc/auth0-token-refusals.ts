import type Provider from 'oidc-provider';

/**
 * How Auth0's `/oauth/token` refuses a request, as seen in Auth0's community answers and SDK
 * issues (oidc-provider answers RFC 6749's 400 `invalid_grant` / 401 `invalid_client` instead):
 * - a reused, unknown or expired code: 403 `invalid_grant` "Invalid authorization code"
 *   (https://community.auth0.com/t/authorisation-code-flow-error-403/73029 — Auth0's answer there
 *   also lists a code that "does not match the redirection URI used in the authorization request"
 *   among its causes, so a `redirect_uri` that differs from the authorization request's gets it too);
 * - a wrong PKCE verifier: 403 `invalid_grant` "Failed to verify code verifier" (the message Auth0
 *   users report, e.g. https://viralsfire.com/post/auth0-failed-to-verify-code-verifier-error; the
 *   status is that of Auth0's other `invalid_grant` refusals);
 * - a used (rotated), revoked or unknown refresh token: 403 `invalid_grant` "Unknown or invalid
 *   refresh token."
 *   (https://community.auth0.com/t/refresh-token-unknown-or-invalid-before-expiry-403-unknown-or-invalid-refresh-token/120406);
 * - an unknown client or a wrong client secret: 401 `access_denied` "Unauthorized"
 *   (https://github.com/auth0/node-auth0/issues/682, https://github.com/auth0/laravel-auth0/issues/42,
 *   https://github.com/auth0-samples/auth0-angular-samples/issues/201);
 * - a grant the client may not use: 403 `unauthorized_client` "Grant type 'client_credentials' not
 *   allowed for the client." (https://github.com/auth0/ruby-auth0/issues/190, raised there as
 *   ruby-auth0's AccessDenied, its 403).
 */
export interface Auth0TokenRefusal {
  status: 401 | 403;
  body: {
    error: 'invalid_grant' | 'access_denied' | 'unauthorized_client';
    error_description: string;
  };
}

export const CLIENT_UNAUTHORIZED: Auth0TokenRefusal = {
  status: 401,
  body: { error: 'access_denied', error_description: 'Unauthorized' },
};

const INVALID_CODE: Auth0TokenRefusal = {
  status: 403,
  body: { error: 'invalid_grant', error_description: 'Invalid authorization code' },
};
const CODE_VERIFIER_FAILED: Auth0TokenRefusal = {
  status: 403,
  body: { error: 'invalid_grant', error_description: 'Failed to verify code verifier' },
};
export const INVALID_REFRESH_TOKEN: Auth0TokenRefusal = {
  status: 403,
  body: { error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' },
};

const GRANT_TYPE_NOT_ALLOWED = 'requested grant type is not allowed for this client';

export interface TokenEndpointError {
  /** OAuth `error` code oidc-provider chose. */
  error: string;
  /** oidc-provider's `error_description`. */
  description: string | undefined;
  /** oidc-provider's internal reason (`error_detail`), never sent to the client. */
  detail: string | undefined;
  grantType: string | undefined;
}

/** Auth0's answer for an oidc-provider token-endpoint error, or undefined to keep oidc-provider's. */
function auth0TokenRefusal(refused: TokenEndpointError): Auth0TokenRefusal | undefined {
  if (refused.error === 'invalid_client') return CLIENT_UNAUTHORIZED;
  // oidc-provider refuses a grant the client may not use as invalid_request.
  if (refused.description === GRANT_TYPE_NOT_ALLOWED && refused.grantType) {
    return {
      status: 403,
      body: {
        error: 'unauthorized_client',
        error_description: `Grant type '${refused.grantType}' not allowed for the client.`,
      },
    };
  }
  if (refused.error !== 'invalid_grant') return undefined;
  if (refused.grantType === 'refresh_token') return INVALID_REFRESH_TOKEN;
  if (refused.grantType === 'authorization_code') {
    // oidc-provider's PKCE check: "code_verifier does not match code_challenge", "… must be provided".
    return /code_verifier|code_challenge/.test(refused.detail ?? '')
      ? CODE_VERIFIER_FAILED
      : INVALID_CODE;
  }
  return undefined;
}

/**
 * Rewrites oidc-provider's token-endpoint errors into Auth0's. `grant.error` is emitted by
 * oidc-provider's error handler right after it set the error body and before Koa writes the
 * response, so status and body can still be replaced here.
 */
export function answerTokenErrorsLikeAuth0(provider: Provider): void {
  provider.on('grant.error', (ctx, err) => {
    const grantType = ctx.oidc.params?.grant_type;
    const refusal = auth0TokenRefusal({
      error: err.error,
      description: err.error_description,
      detail: err.error_detail,
      grantType: typeof grantType === 'string' ? grantType : undefined,
    });
    if (!refusal) return;
    ctx.status = refusal.status;
    ctx.body = refusal.body;
  });
}
