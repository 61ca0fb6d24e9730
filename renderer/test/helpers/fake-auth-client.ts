import type { User } from '@auth0/auth0-spa-js';
import type { AuthClient } from '../../src/auth/auth-client';
import { SEED_USER } from '../../dev/fake-linkboard';
import { FakeMyAccount } from './fake-my-account';

/** An OAuth error as auth0-spa-js throws it (`error`, `error_description`). */
export function oauthError(
  error: string,
  description = error,
): Error & { error: string; error_description: string } {
  return Object.assign(new Error(description), { error, error_description: description });
}

/**
 * Stands in for auth0-spa-js where a test is about the session's logic, not the SDK. It goes
 * through the same `openUrl` the real one does, so the bridge calls are real.
 */
export class FakeAuthClient implements AuthClient {
  readonly calls: string[] = [];
  user: User | undefined = SEED_USER;
  tokenError: unknown = null;
  callbackError: unknown = null;
  loginError: unknown = null;
  lastRedirectUri: string | null = null;
  lastCallbackUrl: string | null = null;
  tokens = 0;
  readonly myAccount: FakeMyAccount;

  constructor(private readonly domain: string) {
    this.myAccount = new FakeMyAccount(domain);
  }

  async loginWithRedirect(options: {
    authorizationParams: { redirect_uri: string };
    openUrl: (url: string) => Promise<void>;
  }): Promise<void> {
    this.calls.push('loginWithRedirect');
    if (this.loginError) throw this.loginError;
    this.lastRedirectUri = options.authorizationParams.redirect_uri;
    const url = new URL(`https://${this.domain}/authorize`);
    url.searchParams.set('redirect_uri', options.authorizationParams.redirect_uri);
    url.searchParams.set('state', 'state-1');
    await options.openUrl(url.href);
  }

  async handleRedirectCallback(url: string): Promise<unknown> {
    this.calls.push('handleRedirectCallback');
    this.lastCallbackUrl = url;
    if (this.callbackError) throw this.callbackError;
    return {};
  }

  async getTokenSilently(): Promise<string> {
    this.calls.push('getTokenSilently');
    if (this.tokenError) throw this.tokenError;
    this.tokens++;
    return `access-token-for-the-broker-${this.tokens}`;
  }

  async getUser(): Promise<User | undefined> {
    this.calls.push('getUser');
    return this.user;
  }

  async logout(options: { openUrl: (url: string) => Promise<void> }): Promise<void> {
    this.calls.push('logout');
    await options.openUrl(`https://${this.domain}/v2/logout?client_id=desktop-client-id`);
  }
}
