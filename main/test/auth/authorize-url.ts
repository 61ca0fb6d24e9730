/** A sign-in state as auth0-spa-js makes one (base64 of 43 random characters). */
export const SIGN_IN_STATE = 'c3RhdGUtb2YtdGhpcy1zaWduLWluLWZyb20tYXV0aDAtc3BhLWpz';

/**
 * An `/authorize` URL as auth0-spa-js builds it for the app (what the renderer asks main to
 * open), for the client, audience and redirect URI given, its parameters in the order main writes
 * them; `changes` replace or (null) drop parameters.
 */
export function authorizeUrl(
  origin: string,
  app: { clientId: string; audience: string; redirectUri: string },
  changes: Record<string, string | null> = {},
): string {
  const url = new URL('/authorize', origin);
  const params: Record<string, string | null> = {
    client_id: app.clientId,
    audience: app.audience,
    scope: 'openid profile email offline_access read:linked_accounts',
    redirect_uri: app.redirectUri,
    response_type: 'code',
    response_mode: 'query',
    state: SIGN_IN_STATE,
    nonce: 'bm9uY2Utb2YtdGhpcy1zaWduLWluLWZyb20tYXV0aDAtc3Bh',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
    auth0Client: 'eyJuYW1lIjoiYXV0aDAtc3BhLWpzIiwidmVyc2lvbiI6IjIuMjguMyJ9',
    ...changes,
  };
  for (const [name, value] of Object.entries(params)) {
    if (value !== null) url.searchParams.set(name, value);
  }
  return url.href;
}
