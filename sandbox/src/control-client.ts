import type { IdpTokenAction } from './control-schemas.js';

/**
 * Asks the sandbox at `origin` to change a user's stored IdP token (`POST /_sandbox/idp-tokens`),
 * for tests that need a provider to stop taking a token; the caller checks the answer's status.
 */
export function changeIdpToken(origin: string | URL, change: IdpTokenAction): Promise<Response> {
  return fetch(new URL('/_sandbox/idp-tokens', origin), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(change),
  });
}
