import type { ClientMetadata } from 'oidc-provider';
import {
  BROKER_CLIENT_ID,
  DESKTOP_CLIENT_ID,
  DESKTOP_CUSTOM_SCHEME_REDIRECT,
  LIMITED_CLIENT_ID,
  TOKEN_VAULT_CLIENT_ID,
  WEB_VAULT_CLIENT_ID,
  WEB_VAULT_REDIRECT_URI,
} from '../tenant/tenant-config.js';
import { TOKEN_VAULT_GRANT_TYPE } from './token-vault-grant.js';

export interface M2mSecrets {
  broker: string;
  limited: string;
  tokenVault: string;
  webVault: string;
}

/**
 * The registered applications. The desktop app's loopback URIs are listed with their usual paths;
 * `desktopRedirectPolicy` widens matching to any port and path of a loopback host (RFC 8252 §7.3).
 */
export function tenantClients(secrets: M2mSecrets): ClientMetadata[] {
  return [
    {
      client_id: DESKTOP_CLIENT_ID,
      client_name: 'Linkboard',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [
        'http://127.0.0.1/callback',
        'http://localhost/callback',
        DESKTOP_CUSTOM_SCHEME_REDIRECT,
      ],
      post_logout_redirect_uris: [
        'http://127.0.0.1/',
        'http://localhost/',
        DESKTOP_CUSTOM_SCHEME_REDIRECT,
      ],
    },
    m2mClient(BROKER_CLIENT_ID, 'Linkboard broker', secrets.broker),
    m2mClient(LIMITED_CLIENT_ID, 'Linkboard limited M2M', secrets.limited),
    {
      ...m2mClient(TOKEN_VAULT_CLIENT_ID, 'Linkboard broker (Token Vault)', secrets.tokenVault),
      grant_types: [TOKEN_VAULT_GRANT_TYPE],
    },
    {
      ...m2mClient(WEB_VAULT_CLIENT_ID, 'Linkboard web (Token Vault)', secrets.webVault),
      grant_types: ['authorization_code', 'refresh_token', TOKEN_VAULT_GRANT_TYPE],
      response_types: ['code'],
      redirect_uris: [WEB_VAULT_REDIRECT_URI],
    },
  ];
}

/** Management API scopes are granted per client in `getResourceServerInfo` (Auth0's client grants). */
function m2mClient(clientId: string, name: string, secret: string): ClientMetadata {
  return {
    client_id: clientId,
    client_name: name,
    client_secret: secret,
    application_type: 'web',
    // `client_secret_basic` requests are rewritten to this method in front of the provider.
    token_endpoint_auth_method: 'client_secret_post',
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
  };
}
