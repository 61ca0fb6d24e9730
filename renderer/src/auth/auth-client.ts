import { Auth0Client, GenericError, type ICache, type User } from '@auth0/auth0-spa-js';
import { DESKTOP_SCOPE } from '@linkboard/contract/desktop';
import type { PublicConfig } from '@linkboard/contract/ipc';
import { myAccountOf, type MyAccountPort } from '../connect/my-account';

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
  /** The signed-in user's My Account API (Connected Accounts). */
  readonly myAccount: MyAccountPort;
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
    authorizationParams: {
      audience: config.brokerAudience,
      // Scopes per audience: the sign-in asks the broker API's, and a My Account API token (by
      // the refresh token, `useMrrt`) asks only the scope its call needs, so the SDK's check that
      // every requested scope came back holds for both (docs/architecture.md#connecting-an-account).
      scope: { [config.brokerAudience]: DESKTOP_SCOPE },
    },
    useRefreshTokens: true,
    useMrrt: true,
    useRefreshTokensFallback: false,
    cache,
  });
  return {
    // With scopes per audience the SDK picks the sign-in's scopes by the audience of this call,
    // not the client's default, so the audience is named here.
    loginWithRedirect: (options) =>
      client.loginWithRedirect({
        ...options,
        authorizationParams: { audience: config.brokerAudience, ...options.authorizationParams },
      }),
    handleRedirectCallback: (url) => client.handleRedirectCallback(url),
    getTokenSilently: async () => {
      const token = await client.getTokenSilently();
      if (!token) throw new GenericError('login_required', 'No access token for the broker.');
      return token;
    },
    getUser: () => client.getUser(),
    logout: (options) => client.logout(options),
    myAccount: myAccountOf(client, config.auth0Domain),
  };
};
