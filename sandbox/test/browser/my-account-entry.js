/* global window, document, location */
// The Connected Accounts test page: the real @auth0/auth0-spa-js signed in for the My Account API
// (audience `{domain}/me/`), driving connectAccountWithRedirect and the redirect back. The cache is
// localStorage here because the flow leaves the page and comes back (the desktop app keeps its
// cache in main instead).
import { Auth0Client } from '@auth0/auth0-spa-js';

const config = JSON.parse(document.getElementById('config').textContent);
const myAccount = `${config.domain}/me/`;

window.client = new Auth0Client({
  domain: config.domain,
  clientId: 'linkboard-desktop',
  authorizationParams: {
    audience: myAccount,
    scope:
      'openid profile offline_access create:me:connected_accounts read:me:connected_accounts delete:me:connected_accounts',
    redirect_uri: `${location.origin}/callback`,
  },
  useRefreshTokens: true,
  useRefreshTokensFallback: false,
  cacheLocation: 'localstorage',
});

/** Calls the My Account API with the SDK's token for it (list and delete have no SDK method). */
window.myAccountCall = async (method, path) => {
  const token = await window.client.getTokenSilently();
  const response = await fetch(`${myAccount}v1/${path}`, {
    method,
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
};

window.spaReady = (async () => {
  if (location.pathname === '/callback') {
    window.redirectResult = await window.client.handleRedirectCallback();
  }
})().catch((error) => {
  window.spaError = String(error && error.message ? error.message : error);
  window.spaErrorCode = error && error.error;
});
