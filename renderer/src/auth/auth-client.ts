import { Auth0Client, GenericError, type ICache, type User } from '@auth0/auth0-spa-js';
import { DESKTOP_SCOPE } from '@linkboard/contract/desktop';
import type { PublicConfig } from '@linkboard/contract/ipc';

/**
 * The part of auth0-spa-js the session uses. The real one is `Auth0Client`; tests may pass a fake
 * that keeps the same promises.
 */
export interface AuthClient {
  loginWithRedirect(options: {
    authorizationParams: { redirect_uri: string };
    openUrl: (url: string) => Promise<void>;
  }): Promise<void>;
  handleRedirectCallback(url: string): Promise<unknown>;
  getTokenSilently(): Promise<string>;
  getUser(): Promise<User | undefined>;
  logout(options: { openUrl: (url: string) => Promise<void> }): Promise<void>;
}

export type AuthClientFactory = (config: PublicConfig, cache: ICache) => AuthClient;

/**
 * auth0-spa-js as docs/architecture.md#sign-in says: `domain` exactly as configured (a bare host, or the
 * sandbox's `http://127.0.0.1:N`; never an `issuer` option, which would break the issuer check),
 * refresh tokens without the iframe fallback (there is no third-party session for an iframe to use
 * in a desktop app), and the cache kept by main. The redirect URI is given per sign-in, because
 * main chooses it when a sign-in starts.
 */
export const createAuth0Client: AuthClientFactory = (config, cache) => {
  const client = new Auth0Client({
    domain: config.auth0Domain,
    clientId: config.clientId,
    authorizationParams: { audience: config.brokerAudience, scope: DESKTOP_SCOPE },
    useRefreshTokens: true,
    useRefreshTokensFallback: false,
    cache,
  });
  return {
    loginWithRedirect: (options) => client.loginWithRedirect(options),
    handleRedirectCallback: (url) => client.handleRedirectCallback(url),
    getTokenSilently: async () => {
      const token = await client.getTokenSilently();
      if (!token) throw new GenericError('login_required', 'No access token for the broker.');
      return token;
    },
    getUser: () => client.getUser(),
    logout: (options) => client.logout(options),
  };
};
