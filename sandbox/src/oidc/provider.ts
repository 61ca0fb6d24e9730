import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { desktopOriginAllowed, desktopRedirectAllowed } from '../http/desktop-origins.js';
import {
  ACCESS_TOKEN_TTL,
  BROKER_API_SCOPES,
  BROKER_AUDIENCE,
  CLIENT_CREDENTIALS_TTL,
  DESKTOP_CLIENT_ID,
  ID_TOKEN_TTL,
  clientGrantScopes,
  REFRESH_TOKEN_TTL,
  managementAudienceFor,
  MY_ACCOUNT_SCOPES,
  myAccountAudienceFor,
  WEB_VAULT_CLIENT_ID,
} from '../tenant/tenant-config.js';
import { randomSecret } from '../tenant/random-secret.js';
import { findAccount } from './accounts.js';
import { answerTokenErrorsLikeAuth0 } from './auth0-token-refusals.js';
import { tenantClients, type M2mSecrets } from './clients.js';
import { ECHOED_OIDC_SCOPES } from './refresh-token-policies.js';
import { escapeHtml, renderPage } from './page-layout.js';
import type { SigningKey } from './signing-key.js';

/** Where the tenant's interactions (the sign-in page) live, like Auth0's Universal Login. */
export const INTERACTION_PATH_PREFIX = '/u/login/';

/** Auth0's route names in place of oidc-provider's defaults. */
const AUTH0_ROUTES = {
  authorization: '/authorize',
  token: '/oauth/token',
  userinfo: '/userinfo',
  jwks: '/.well-known/jwks.json',
  end_session: '/v2/logout',
  revocation: '/oauth/revoke',
} as const;
export const TENANT_ROUTES = AUTH0_ROUTES;

export interface TenantProviderOptions {
  issuer: string;
  signingKey: SigningKey;
  m2mSecrets: M2mSecrets;
}

export function createTenantProvider(options: TenantProviderOptions): Provider {
  const managementAudience = managementAudienceFor(options.issuer);
  const myAccountAudience = myAccountAudienceFor(options.issuer.replace(/\/$/, ''));

  const configuration: Configuration = {
    clients: tenantClients(options.m2mSecrets),
    findAccount,
    jwks: { keys: [options.signingKey.privateJwk] },
    cookies: { keys: [randomSecret(), randomSecret()] },
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name', 'nickname', 'picture', 'updated_at'],
      email: ['email', 'email_verified'],
    },
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    // Auth0 puts the profile claims in the ID token even when an access token is issued too.
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    pkce: { required: () => true },
    routes: AUTH0_ROUTES,
    interactions: { url: (_ctx, interaction) => `${INTERACTION_PATH_PREFIX}${interaction.uid}` },
    clientBasedCORS: (_ctx, origin, client) =>
      client.clientId === DESKTOP_CLIENT_ID && desktopOriginAllowed(origin),
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL,
      ClientCredentials: CLIENT_CREDENTIALS_TTL,
      IdToken: ID_TOKEN_TTL,
      RefreshToken: REFRESH_TOKEN_TTL,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 86_400,
      Grant: REFRESH_TOKEN_TTL,
    },
    // Auth0's refresh token rotation: every use returns a new refresh token, a used one is refused
    // (and reusing it revokes the family). Off for the application that uses Token Vault's
    // refresh-token exchange, as Auth0 requires: its refresh token stays the same on every use.
    rotateRefreshToken: (ctx) => ctx.oidc.client?.clientId !== WEB_VAULT_CLIENT_ID,
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: {
        enabled: true,
        // A client revokes only its own tokens (Auth0 does the same).
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.body = renderAutoSubmittingLogout(form);
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.body = renderPage(
            'Signed out',
            '<h1>You are signed out</h1><p class="lead">You can close this tab.</p>',
          );
        },
      },
      resourceIndicators: {
        enabled: true,
        // `audience` is rewritten to `resource` in front of the provider (see auth0-request-rewrite).
        // A refresh token widened by an MRRT policy holds several resources; without `audience`
        // its refresh serves the one it signed in for, listed first (refresh-token-policies.ts).
        defaultResource: async (_ctx, _client, oneOf) => (Array.isArray(oneOf) ? oneOf[0] : oneOf),
        useGrantedResource: async () => true,
        getResourceServerInfo: async (ctx, resource, client) => {
          // The My Account API, for the user's own connected accounts (Connected Accounts flow).
          if (resource === myAccountAudience && client.clientId === DESKTOP_CLIENT_ID) {
            return {
              audience: myAccountAudience,
              // Auth0 echoes the OIDC scopes in the answer's `scope`; auth0-spa-js's MRRT refresh
              // checks every scope it asked for came back (refresh-token-policies.ts).
              scope: [...ECHOED_OIDC_SCOPES, ...MY_ACCOUNT_SCOPES].join(' '),
              accessTokenTTL: ACCESS_TOKEN_TTL,
              accessTokenFormat: 'jwt',
              jwt: { sign: { alg: 'RS256' } },
            };
          }
          if (resource === BROKER_AUDIENCE && client.clientId === DESKTOP_CLIENT_ID) {
            return {
              audience: BROKER_AUDIENCE,
              scope: BROKER_API_SCOPES.join(' '),
              accessTokenTTL: ACCESS_TOKEN_TTL,
              accessTokenFormat: 'jwt',
              jwt: { sign: { alg: 'RS256' } },
            };
          }
          const granted =
            ctx.oidc.route === 'token'
              ? clientGrantScopes(client.clientId, resource, managementAudience)
              : undefined;
          if (granted) {
            return {
              audience: resource,
              scope: granted.join(' '),
              accessTokenTTL: CLIENT_CREDENTIALS_TTL,
              accessTokenFormat: 'jwt',
              jwt: { sign: { alg: 'RS256' } },
            };
          }
          throw new errors.InvalidTarget(
            `Service not found or not granted to this client: ${resource}`,
          );
        },
      },
    },
    formats: {
      customizers: {
        // Auth0's claims on JWT access tokens: `azp` always; M2M tokens have `gty` and `{client}@clients`.
        jwt: async (_ctx, token, jwt) => {
          const clientId = token.clientId;
          if (!clientId) return;
          jwt.payload.azp = clientId;
          if (token.kind === 'ClientCredentials') {
            jwt.payload.sub = `${clientId}@clients`;
            jwt.payload.gty = 'client-credentials';
          }
        },
      },
    },
    renderError: async (ctx: KoaContextWithOIDC, out) => {
      ctx.type = 'html';
      ctx.body = renderPage(
        'Something went wrong',
        `<h1>Something went wrong</h1>
<p class="alert" role="alert"><strong>${escapeHtml(out.error)}</strong>: ${escapeHtml(out.error_description ?? '')}</p>
<p class="note">The application that sent you here made a request this tenant refuses.</p>`,
      );
    },
  };

  const provider = new Provider(options.issuer, configuration);

  // RFC 8252 §7.3: native apps listen on a random loopback port, so any port (and path) of a
  // loopback host is accepted for the desktop app, plus its custom scheme. Other clients keep the
  // exact matching oidc-provider does.
  const clientPrototype = provider.Client.prototype;
  const exactRedirect = clientPrototype.redirectUriAllowed;
  const exactPostLogout = clientPrototype.postLogoutRedirectUriAllowed;
  clientPrototype.redirectUriAllowed = function (this: InstanceType<typeof provider.Client>, uri) {
    if (this.clientId === DESKTOP_CLIENT_ID) return desktopRedirectAllowed(uri);
    return exactRedirect.call(this, uri);
  };
  clientPrototype.postLogoutRedirectUriAllowed = function (
    this: InstanceType<typeof provider.Client>,
    uri,
  ) {
    if (this.clientId === DESKTOP_CLIENT_ID) return desktopRedirectAllowed(uri);
    return exactPostLogout.call(this, uri);
  };

  answerTokenErrorsLikeAuth0(provider);
  return provider;
}

/** Auth0 signs out at once on `/v2/logout`; oidc-provider asks first, so the form submits itself. */
function renderAutoSubmittingLogout(form: string): string {
  const confirmedForm = form.replace(
    '</form>',
    '<input type="hidden" name="logout" value="yes"></form>',
  );
  return renderPage(
    'Signing out',
    `<h1>Signing you out…</h1>
${confirmedForm}
<noscript><button type="submit" class="primary" form="op.logoutForm">Sign out</button></noscript>
<script>document.getElementById('op.logoutForm').submit();</script>`,
  );
}
