/**
 * The fixed names of the sandbox tenant. Other parts and their tests hard-code these, so they are
 * constants, not configuration.
 */
export const DESKTOP_CLIENT_ID = 'linkboard-desktop';
export const BROKER_CLIENT_ID = 'linkboard-broker';
export const LIMITED_CLIENT_ID = 'linkboard-limited';
export const GOOGLE_CLIENT_ID = 'linkboard-google.apps.sandbox';
export const MICROSOFT_CLIENT_ID = 'linkboard-microsoft-sandbox';
export const BITBUCKET_CLIENT_ID = 'linkboard-bitbucket-sandbox';
/**
 * The broker's Token Vault client: a Custom API Client of the broker API (same identifier), allowed
 * only the Token Vault grant, with no Management API grant at all.
 */
export const TOKEN_VAULT_CLIENT_ID = 'linkboard-broker-vault';
/**
 * A confidential web application that uses Token Vault's refresh-token exchange: it signs users in
 * (authorization code), holds their Auth0 refresh tokens, and exchanges one for the user's provider
 * token. Refresh-token rotation is off for it, as Auth0 requires for that exchange
 * (docs/architecture.md, "Setting up a real tenant").
 */
export const WEB_VAULT_CLIENT_ID = 'linkboard-web-vault';
/** The web application's one registered callback (matched exactly, like Auth0 does). */
export const WEB_VAULT_REDIRECT_URI = 'http://127.0.0.1:53690/callback';

export const BROKER_AUDIENCE = 'https://broker.linkboard.local/';
export const BROKER_API_SCOPES = ['read:linked_accounts'] as const;

/** The My Account API's Connected Accounts scopes (audience `{domain}/me/`). */
export const MY_ACCOUNT_SCOPES = [
  'create:me:connected_accounts',
  'read:me:connected_accounts',
  'delete:me:connected_accounts',
] as const;
export type MyAccountScope = (typeof MY_ACCOUNT_SCOPES)[number];

/** The My Account API's identifier for a tenant, as auth0-spa-js derives it: `{domain}/me/`. */
export function myAccountAudienceFor(domain: string): string {
  return `${domain}/me/`;
}

export const MANAGEMENT_SCOPES = ['read:users', 'read:user_idp_tokens'] as const;
export type ManagementScope = (typeof MANAGEMENT_SCOPES)[number];

/** What each machine-to-machine client was granted on the Management API (Auth0's "client grants"). */
const MANAGEMENT_GRANTS: Readonly<Record<string, readonly ManagementScope[]>> = {
  [BROKER_CLIENT_ID]: ['read:users', 'read:user_idp_tokens'],
  [LIMITED_CLIENT_ID]: ['read:users'],
};

/**
 * Clients granted the broker API through client credentials. Only the limited client: it lets broker
 * tests show that an M2M token (`gty: client-credentials`) is refused even with the right audience
 * and scope.
 */
const BROKER_API_GRANTS: Readonly<Record<string, readonly string[]>> = {
  [LIMITED_CLIENT_ID]: BROKER_API_SCOPES,
};

/** The scopes a machine-to-machine client was granted for an API (Auth0's client grants), if any. */
export function clientGrantScopes(
  clientId: string,
  audience: string,
  managementAudience: string,
): readonly string[] | undefined {
  if (audience === managementAudience) return MANAGEMENT_GRANTS[clientId];
  if (audience === BROKER_AUDIENCE) return BROKER_API_GRANTS[clientId];
  return undefined;
}

/** Auth0's Management API audience for a tenant: `{issuer}api/v2/`. */
export function managementAudienceFor(issuer: string): string {
  return `${issuer}api/v2/`;
}

/** The custom-scheme sign-in callback of the desktop app. */
export const DESKTOP_CUSTOM_SCHEME_REDIRECT = 'linkboard://callback';

/** The origin of the desktop renderer (a privileged custom protocol). */
export const DESKTOP_RENDERER_ORIGIN = 'app://linkboard';

/** IdP connections the sandbox emulates, keyed by Auth0 connection name. */
export const IDP_CONNECTIONS = ['github', 'google-oauth2', 'windowslive', 'bitbucket'] as const;
export type IdpConnection = (typeof IDP_CONNECTIONS)[number];

/**
 * Where each emulated provider that refreshes tokens has its OAuth token endpoint, below its base
 * URL: as on the real hosts (Google's `oauth2.googleapis.com/token`, the Microsoft identity
 * platform's `/common/oauth2/v2.0/token`, Bitbucket's
 * `bitbucket.org/site/oauth2/access_token`).
 */
export const IDP_TOKEN_PATHS = {
  'google-oauth2': '/token',
  windowslive: '/common/oauth2/v2.0/token',
  bitbucket: '/site/oauth2/access_token',
} as const satisfies Partial<Record<IdpConnection, string>>;
export type RefreshingConnection = keyof typeof IDP_TOKEN_PATHS;
export const REFRESHING_CONNECTIONS = Object.keys(IDP_TOKEN_PATHS) as RefreshingConnection[];

/** What a connected account granted at its provider: the scope the Token Vault exchange reports. */
export const CONNECTED_ACCOUNT_SCOPES: Readonly<Record<IdpConnection, string>> = {
  github: 'read:user repo read:org',
  'google-oauth2': 'openid email profile https://www.googleapis.com/auth/calendar.readonly',
  windowslive: 'openid profile offline_access User.Read Mail.Read',
  bitbucket: 'account repository',
};

/** Lifetimes, in seconds. */
export const ACCESS_TOKEN_TTL = 3600;
export const CLIENT_CREDENTIALS_TTL = 86_400;
export const ID_TOKEN_TTL = 36_000;
export const REFRESH_TOKEN_TTL = 30 * 86_400;
export const IDP_ACCESS_TOKEN_TTL = 3600;
