/* global window, document, location */
// The test page's script: the real @auth0/auth0-spa-js, configured the way the desktop renderer
// configures it (docs/architecture.md#sign-in), exposed on `window` for the test to drive.
import { Auth0Client } from '@auth0/auth0-spa-js';

const config = JSON.parse(document.getElementById('config').textContent);

window.makeClient = (redirectUri) =>
  new Auth0Client({
    domain: config.domain,
    clientId: 'linkboard-desktop',
    authorizationParams: {
      audience: config.audience,
      scope: 'openid profile email offline_access read:linked_accounts',
      redirect_uri: redirectUri,
    },
    useRefreshTokens: true,
    useRefreshTokensFallback: false,
    cacheLocation: 'memory',
  });

window.client = window.makeClient(`${location.origin}/callback`);

window.spaReady = (async () => {
  if (location.pathname === '/callback') {
    await window.client.handleRedirectCallback();
    window.signedIn = {
      user: await window.client.getUser(),
      accessToken: await window.client.getTokenSilently(),
    };
  }
})().catch((error) => {
  window.spaError = String(error && error.message ? error.message : error);
});
