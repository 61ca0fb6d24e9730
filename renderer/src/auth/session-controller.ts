import { SIGN_IN_TIMEOUT_MS } from '@linkboard/contract/desktop';
import type { LinkboardClient } from '../api/linkboard-client';
import type { AuthClient, AuthClientFactory } from './auth-client';
import type { MyAccountPort } from '../connect/my-account';
import { describeRenewalFailure, describeSignInFailure, isSessionOver } from './auth-failure';
import { AUTH0_CACHE_KEY_PREFIX, IpcCache } from './ipc-cache';
import { profileFromClaims } from './profile';
import type { Notice, SessionSnapshot, SessionState } from './session-state';
import { message } from '../i18n/message';
import { pageLanguage } from '../i18n/locale';

/** Thrown by `getAccessToken()` once the session is over; the app is back on the sign-in screen. */
export class SessionEndedError extends Error {
  override readonly name = 'SessionEndedError';
}

export interface SessionControllerOptions {
  linkboard: LinkboardClient;
  createAuthClient: AuthClientFactory;
  signInTimeoutMs?: number;
}

/**
 * The sign-in state of the app, outside React so it can be driven and tested on its own:
 * start (remembered sign-in → refresh token, no browser), sign in through the system browser,
 * cancel, token for each broker call, sign out.
 */
export class SessionController {
  private snapshot: SessionSnapshot = { state: { status: 'starting' }, info: null };
  private readonly listeners = new Set<() => void>();
  private client: AuthClient | null = null;
  private starting: Promise<void> | null = null;
  private signInTimer: ReturnType<typeof setTimeout> | null = null;
  /** Increases with each sign-in attempt, so a late answer to an abandoned one is ignored. */
  private attempt = 0;

  constructor(private readonly options: SessionControllerOptions) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): SessionSnapshot => this.snapshot;

  private get linkboard(): LinkboardClient {
    return this.options.linkboard;
  }

  /** Read through a method so TypeScript does not keep a narrowing across an `await`. */
  private status(): SessionState['status'] {
    return this.snapshot.state.status;
  }

  private setState(state: SessionState): void {
    this.snapshot = { ...this.snapshot, state };
    for (const listener of this.listeners) listener();
  }

  private signedOut(notice: Notice | null): void {
    this.setState({ status: 'signed-out', notice });
  }

  /**
   * Listens for the sign-in callback main forwards; returns the function that stops listening.
   * Kept apart from `start()` so React can subscribe and unsubscribe with its effects.
   */
  listenForCallbacks(): () => void {
    return this.linkboard.auth.onCallback((url) => {
      void this.completeSignIn(url);
    });
  }

  /** Reads the configuration and resumes a remembered sign-in. Runs once unless it failed. */
  start(): Promise<void> {
    if (!this.starting || this.snapshot.state.status === 'unavailable') {
      this.starting = this.run();
    }
    return this.starting;
  }

  private async run(): Promise<void> {
    this.setState({ status: 'starting' });
    let info;
    try {
      info = await this.linkboard.app.info();
    } catch (error) {
      this.setState({
        status: 'unavailable',
        message: message('unavailable.configUnreadable', {
          reason: error instanceof Error ? error.message : String(error),
        }),
      });
      return;
    }
    this.snapshot = { ...this.snapshot, info };
    this.client = this.options.createAuthClient(info.config, new IpcCache(this.linkboard.cache));

    if (!(await this.hasRememberedSession())) {
      this.signedOut(null);
      return;
    }
    try {
      await this.client.getTokenSilently();
      this.setState({
        status: 'signed-in',
        profile: profileFromClaims(await this.client.getUser()),
      });
    } catch (error) {
      if (isSessionOver(error)) await this.forgetSession();
      this.signedOut({ tone: 'error', message: describeRenewalFailure(error) });
    }
  }

  private async hasRememberedSession(): Promise<boolean> {
    try {
      const { keys } = await this.linkboard.cache.allKeys();
      return keys.some((key) => key.startsWith(AUTH0_CACHE_KEY_PREFIX));
    } catch {
      // An unreadable store is no remembered sign-in: the user signs in again.
      return false;
    }
  }

  async signIn(): Promise<void> {
    const client = this.client;
    if (!client || this.snapshot.state.status !== 'signed-out') return;
    const attempt = ++this.attempt;
    this.setState({ status: 'signing-in' });
    try {
      const { redirectUri } = await this.linkboard.auth.prepare(pageLanguage());
      await client.loginWithRedirect({
        authorizationParams: { redirect_uri: redirectUri },
        openUrl: (url) => this.openInBrowser(url),
      });
    } catch (error) {
      if (attempt !== this.attempt) return;
      this.attempt++;
      await this.linkboard.auth.cancel().catch(() => undefined);
      this.signedOut({ tone: 'error', message: describeSignInFailure(error) });
      return;
    }
    if (attempt !== this.attempt || this.status() !== 'signing-in') return;
    this.signInTimer = setTimeout(() => {
      if (attempt !== this.attempt || this.status() !== 'signing-in') return;
      this.attempt++;
      void this.linkboard.auth.cancel().catch(() => undefined);
      this.signedOut({
        tone: 'error',
        message: message('notice.timedOut'),
      });
    }, this.options.signInTimeoutMs ?? SIGN_IN_TIMEOUT_MS);
  }

  private async completeSignIn(url: string): Promise<void> {
    const client = this.client;
    // A callback nobody is waiting for (a stale tab, a forged event) changes nothing.
    if (!client || this.status() !== 'signing-in') return;
    const attempt = this.attempt;
    this.clearSignInTimer();
    this.setState({ status: 'completing' });
    try {
      await client.handleRedirectCallback(url);
      const profile = profileFromClaims(await client.getUser());
      if (attempt === this.attempt) this.setState({ status: 'signed-in', profile });
    } catch (error) {
      if (attempt === this.attempt) {
        this.signedOut({ tone: 'error', message: describeSignInFailure(error) });
      }
    }
  }

  async cancelSignIn(): Promise<void> {
    const status = this.snapshot.state.status;
    if (status !== 'signing-in' && status !== 'completing') return;
    this.attempt++;
    this.clearSignInTimer();
    this.signedOut(null);
    await this.linkboard.auth.cancel().catch(() => undefined);
  }

  /** An access token for the broker; refreshed with the refresh token when it has expired. */
  async getAccessToken(): Promise<string> {
    const client = this.client;
    if (!client || this.snapshot.state.status !== 'signed-in') {
      throw new SessionEndedError('You are signed out.');
    }
    try {
      return await client.getTokenSilently();
    } catch (error) {
      if (!isSessionOver(error)) throw error;
      await this.forgetSession();
      this.signedOut({ tone: 'error', message: describeRenewalFailure(error) });
      throw new SessionEndedError('Your sign-in has expired.');
    }
  }

  /** The signed-in user's My Account API; throws `SessionEndedError` once signed out. */
  myAccount(): MyAccountPort {
    const client = this.client;
    if (!client || this.snapshot.state.status !== 'signed-in') {
      throw new SessionEndedError('You are signed out.');
    }
    return client.myAccount;
  }

  async signOut(): Promise<void> {
    const client = this.client;
    const state = this.snapshot.state;
    if (!client || state.status !== 'signed-in') return;
    this.setState({ status: 'signing-out', profile: state.profile });
    try {
      // Ends the Auth0 session in the browser too; the local sign-in is wiped whatever happens.
      await client.logout({ openUrl: (url) => this.openInBrowser(url) });
    } catch {
      // Not being able to open the browser must not keep the user signed in here.
    }
    const wiped = await this.forgetSession();
    this.signedOut(
      wiped
        ? { tone: 'info', message: message('notice.signedOut') }
        : {
            tone: 'error',
            message: message('notice.signOutIncomplete'),
          },
    );
  }

  private async forgetSession(): Promise<boolean> {
    try {
      await this.linkboard.cache.clear();
      return true;
    } catch {
      return false;
    }
  }

  /** Opens a tenant URL in the system browser, through main (which refuses any other). */
  private async openInBrowser(url: string): Promise<void> {
    await this.linkboard.auth.open({ url });
  }

  private clearSignInTimer(): void {
    if (this.signInTimer !== null) clearTimeout(this.signInTimer);
    this.signInTimer = null;
  }

  /** Stops a pending sign-in timer (tests, and a page that goes away). */
  dispose(): void {
    this.clearSignInTimer();
  }
}
