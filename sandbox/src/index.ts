import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SandboxInfo } from './start-line.js';
import { createControlApi } from './http/control-api.js';
import { FaultInjector } from './tenant/faults.js';
import { createGithubApi } from './idp/github.js';
import { createGoogleApi } from './idp/google.js';
import { createMicrosoftApi } from './idp/microsoft.js';
import { createBitbucketApi } from './idp/bitbucket.js';
import { IdpTokenStore } from './tenant/idp-token-store.js';
import { createManagementApi } from './http/management-api.js';
import { createConnectPage } from './http/connect-page.js';
import { CONNECT_PAGE_PATH, createMyAccountApi } from './http/my-account-api.js';
import { ConnectRequests } from './tenant/connect-requests.js';
import { createInteractionHandler } from './oidc/interactions.js';
import { createTenantProvider } from './oidc/provider.js';
import { generateSigningKey } from './oidc/signing-key.js';
import { customApiClients, registerTokenVaultGrant } from './oidc/token-vault-grant.js';
import { randomSecret } from './tenant/random-secret.js';
import { FixedWindowRateLimiter, type RateLimitSettings } from './tenant/rate-limit.js';
import { refreshTokenPolicies } from './oidc/refresh-token-policies.js';
import { createSandboxRouter } from './http/sandbox-router.js';
import { SEEDED_USERS } from './tenant/seed.js';
import { StatsRecorder } from './tenant/stats.js';
import {
  BROKER_AUDIENCE,
  BITBUCKET_CLIENT_ID,
  BROKER_CLIENT_ID,
  DESKTOP_CLIENT_ID,
  GOOGLE_CLIENT_ID,
  IDP_TOKEN_PATHS,
  MICROSOFT_CLIENT_ID,
  REFRESHING_CONNECTIONS,
  type RefreshingConnection,
  LIMITED_CLIENT_ID,
  managementAudienceFor,
  myAccountAudienceFor,
  TOKEN_VAULT_CLIENT_ID,
  WEB_VAULT_CLIENT_ID,
  WEB_VAULT_REDIRECT_URI,
} from './tenant/tenant-config.js';

export { SandboxInfo, SandboxUser } from './start-line.js';
export {
  IssuedConnectValue,
  IssuedConnectValues,
  IssuedIdpToken,
  IssuedIdpTokens,
} from './control-schemas.js';
export type { SandboxStats } from './tenant/stats.js';
export type { Fault, FaultTarget } from './tenant/faults.js';
export * from './tenant/tenant-config.js';

export interface SandboxOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Serve `/_sandbox/*` (stats, faults, reset). Default true. */
  control?: boolean;
  /** Management API limit. Default 5000 requests per 10 s, generous for test suites. */
  managementRateLimit?: RateLimitSettings;
  /** My Account API limit, counted apart from the Management API's. Default 1000 per 10 s. */
  myAccountRateLimit?: RateLimitSettings;
  /** Receives one line per request and per notable event; nothing by default. Never gets secrets. */
  logger?: (line: string) => void;
}

export interface RunningSandbox {
  info: SandboxInfo;
  /** The same as `info.domain`: `http://127.0.0.1:N`, no trailing slash. */
  url: string;
  close(): Promise<void>;
}

export const DEFAULT_MANAGEMENT_RATE_LIMIT: RateLimitSettings = { limit: 5000, windowSeconds: 10 };
export const DEFAULT_MY_ACCOUNT_RATE_LIMIT: RateLimitSettings = { limit: 1000, windowSeconds: 10 };

async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** Starts the sandbox tenant on 127.0.0.1 and resolves once it accepts connections. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const logger = options.logger ?? (() => {});
  // The issuer contains the port, so the tenant is built after listening; until then: 503.
  const routing: { handle?: (req: IncomingMessage, res: ServerResponse) => Promise<void> } = {};
  const server = createServer((req, res) => {
    if (routing.handle) {
      void routing.handle(req, res);
      return;
    }
    res.writeHead(503, { 'retry-after': '1' }).end();
  });
  server.keepAliveTimeout = 5_000;
  const port = await listen(server, options.port ?? 0);

  const domain = `http://127.0.0.1:${port}`;
  const issuer = `${domain}/`;
  const managementAudience = managementAudienceFor(issuer);
  const idpBaseUrls = {
    github: `${domain}/_idp/github`,
    'google-oauth2': `${domain}/_idp/google-oauth2`,
    windowslive: `${domain}/_idp/windowslive`,
    bitbucket: `${domain}/_idp/bitbucket`,
  };
  const secrets = {
    broker: randomSecret(),
    limited: randomSecret(),
    tokenVault: randomSecret(),
    webVault: randomSecret(),
    google: randomSecret(),
    microsoft: randomSecret(),
    bitbucket: randomSecret(),
  };
  const idpClients = {
    'google-oauth2': { clientId: GOOGLE_CLIENT_ID, clientSecret: secrets.google },
    windowslive: { clientId: MICROSOFT_CLIENT_ID, clientSecret: secrets.microsoft },
    bitbucket: { clientId: BITBUCKET_CLIENT_ID, clientSecret: secrets.bitbucket },
  } satisfies Record<RefreshingConnection, { clientId: string; clientSecret: string }>;
  const signingKey = await generateSigningKey();

  const stats = new StatsRecorder();
  const faults = new FaultInjector();
  const rateLimiter = new FixedWindowRateLimiter(
    options.managementRateLimit ?? DEFAULT_MANAGEMENT_RATE_LIMIT,
  );
  const myAccountRateLimiter = new FixedWindowRateLimiter(
    options.myAccountRateLimit ?? DEFAULT_MY_ACCOUNT_RATE_LIMIT,
  );
  const tokens = new IdpTokenStore(SEEDED_USERS);
  const provider = createTenantProvider({
    issuer,
    signingKey,
    m2mSecrets: {
      broker: secrets.broker,
      limited: secrets.limited,
      tokenVault: secrets.tokenVault,
      webVault: secrets.webVault,
    },
  });
  registerTokenVaultGrant(provider, {
    issuer,
    publicKey: signingKey.publicKey,
    customApiClients: customApiClients(TOKEN_VAULT_CLIENT_ID),
    tokens,
    stats,
  });
  provider.on('server_error', (_ctx, error) =>
    logger(`oidc-provider server error: ${error.message}`),
  );

  const connectRequests = new ConnectRequests();
  routing.handle = createSandboxRouter({
    domain,
    managementAudience,
    provider,
    refreshTokenPolicies: refreshTokenPolicies(myAccountAudienceFor(domain)),
    interactions: createInteractionHandler(provider, SEEDED_USERS),
    managementApi: createManagementApi({
      issuer,
      audience: managementAudience,
      publicKey: signingKey.publicKey,
      tokens,
      rateLimiter,
      stats,
    }),
    myAccountApi: createMyAccountApi({
      domain,
      issuer,
      audience: myAccountAudienceFor(domain),
      publicKey: signingKey.publicKey,
      connectRequests,
      tokens,
      rateLimiter: myAccountRateLimiter,
    }),
    connectPage: createConnectPage(connectRequests, CONNECT_PAGE_PATH),
    controlApi:
      options.control === false
        ? undefined
        : createControlApi({
            stats,
            faults,
            rateLimiters: [rateLimiter, myAccountRateLimiter],
            tokens,
            connectRequests,
          }),
    idps: {
      github: createGithubApi({ tokens, apiBase: idpBaseUrls.github }),
      'google-oauth2': createGoogleApi({
        tokens,
        clientId: GOOGLE_CLIENT_ID,
        clientSecret: secrets.google,
      }),
      windowslive: createMicrosoftApi({
        tokens,
        apiBase: idpBaseUrls.windowslive,
        client: idpClients.windowslive,
      }),
      bitbucket: createBitbucketApi({
        tokens,
        apiBase: idpBaseUrls.bitbucket,
        client: idpClients.bitbucket,
      }),
    },
    stats,
    faults,
    logger,
  });

  const info = SandboxInfo.parse({
    domain,
    issuer,
    managementAudience,
    brokerAudience: BROKER_AUDIENCE,
    desktopClientId: DESKTOP_CLIENT_ID,
    m2m: { clientId: BROKER_CLIENT_ID, clientSecret: secrets.broker },
    m2mLimited: { clientId: LIMITED_CLIENT_ID, clientSecret: secrets.limited },
    tokenVault: { clientId: TOKEN_VAULT_CLIENT_ID, clientSecret: secrets.tokenVault },
    webVault: {
      clientId: WEB_VAULT_CLIENT_ID,
      clientSecret: secrets.webVault,
      redirectUri: WEB_VAULT_REDIRECT_URI,
    },
    idpBaseUrls,
    google: idpClients['google-oauth2'],
    idpClients,
    idpTokenUrls: Object.fromEntries(
      REFRESHING_CONNECTIONS.map((connection) => [
        connection,
        `${idpBaseUrls[connection]}${IDP_TOKEN_PATHS[connection]}`,
      ]),
    ),
    users: SEEDED_USERS.map((user) => ({
      id: user.id,
      username: user.username,
      password: user.password,
      name: user.name,
      connections: user.identities.map((identity) => identity.connection),
      connectedAccounts: (user.connectedAccounts ?? []).map((account) => account.connection),
    })),
  });

  let closing: Promise<void> | undefined;
  return {
    info,
    url: domain,
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
