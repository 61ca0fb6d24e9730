import { SIGN_IN_TIMEOUT_MS } from '@linkboard/contract/desktop';
import type { LinkboardClient } from '../api/linkboard-client';
import { pageLanguage } from '../i18n/locale';
import { message, type Message } from '../i18n/message';
import type { MyAccountPort } from './my-account';
import { pkcePair, randomState } from './pkce';

/** What the connect flow is doing; one connect or disconnect at a time. */
export type ConnectState =
  | { status: 'idle' }
  /** The provider's consent page is open in the browser; the app waits for its answer. */
  | { status: 'waiting'; connection: string }
  | { status: 'completing'; connection: string }
  | { status: 'disconnecting'; connection: string };

export interface ConnectNotice {
  tone: 'success' | 'error' | 'info';
  message: Message;
}

export interface ConnectSnapshot {
  state: ConnectState;
  notice: ConnectNotice | null;
}

export interface ConnectControllerOptions {
  linkboard: LinkboardClient;
  /** The signed-in user's My Account API; throws once the session is over. */
  myAccount: () => MyAccountPort;
  timeoutMs?: number;
}

/** One connect under way: what its callback must carry and what completing it needs. */
interface PendingConnect {
  attempt: number;
  connection: string;
  name: string;
  state: string;
  codeVerifier: string;
  redirectUri: string;
  authSession: string;
}

/** A callback's `error` code, shown as the app's own words around it; never its description. */
const ERROR_CODE = /^[a-z0-9_.-]{1,64}$/i;

/**
 * Connect, reconnect and disconnect an account with Auth0's Connected Accounts, outside React so
 * it can be driven and tested on its own (docs/architecture.md#connecting-an-account). The flow
 * is the sign-in's: main prepares the redirect (loopback or custom scheme), the provider's consent
 * page opens in the system browser, and the callback comes back through main, which forwards it
 * only with this connect's `state`. The PKCE verifier and `auth_session` stay in this object's
 * memory: a cancel, a timeout or a refusal leaves nothing behind, and nothing is stored until the
 * My Account API completes the connection.
 */
export class ConnectController {
  private snapshot: ConnectSnapshot = { state: { status: 'idle' }, notice: null };
  private readonly listeners = new Set<() => void>();
  private readonly changeListeners = new Set<() => void>();
  private pending: PendingConnect | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Increases with each connect and cancel, so a late answer to an abandoned one is ignored. */
  private attempt = 0;

  constructor(private readonly options: ConnectControllerOptions) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): ConnectSnapshot => this.snapshot;

  private set(state: ConnectState, notice: ConnectNotice | null): void {
    this.snapshot = { state, notice };
    for (const listener of this.listeners) listener();
  }

  /**
   * Calls `listener` when the user's accounts changed (connected or disconnected), so they are
   * read again; returns the function that unsubscribes.
   */
  onAccountsChanged(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private accountsChanged(): void {
    for (const listener of this.changeListeners) listener();
  }

  /** Listens for the callbacks main forwards; returns the function that stops listening. */
  listenForCallbacks(): () => void {
    return this.options.linkboard.auth.onCallback((url) => {
      void this.complete(url);
    });
  }

  /** Starts connecting `connection` (or connecting it again); ignored while another runs. */
  async connect(connection: string, name: string): Promise<void> {
    if (this.snapshot.state.status !== 'idle') return;
    const attempt = ++this.attempt;
    this.set({ status: 'waiting', connection }, null);
    const { linkboard } = this.options;
    try {
      const { redirectUri } = await linkboard.auth.prepare(pageLanguage());
      const state = randomState();
      const { verifier, challenge } = await pkcePair();
      const started = await this.options.myAccount().startConnect({
        connection,
        redirectUri,
        state,
        codeChallenge: challenge,
      });
      if (attempt !== this.attempt) return;
      this.pending = {
        attempt,
        connection,
        name,
        state,
        codeVerifier: verifier,
        redirectUri,
        authSession: started.authSession,
      };
      await linkboard.auth.openConnect({ url: started.connectUrl, state });
    } catch {
      if (attempt !== this.attempt) return;
      await this.abandon();
      this.set({ status: 'idle' }, { tone: 'error', message: message('connect.failed', { name }) });
      return;
    }
    if (attempt !== this.attempt) return;
    this.timer = setTimeout(() => {
      if (attempt !== this.attempt) return;
      void this.abandon().then(() =>
        this.set(
          { status: 'idle' },
          { tone: 'error', message: message('connect.timedOut', { name }) },
        ),
      );
    }, this.options.timeoutMs ?? SIGN_IN_TIMEOUT_MS);
  }

  /** The user stopped waiting: nothing is connected, and main stops listening. */
  async cancel(): Promise<void> {
    if (this.snapshot.state.status !== 'waiting') return;
    await this.abandon();
    this.set({ status: 'idle' }, null);
  }

  private async complete(url: string): Promise<void> {
    const pending = this.pending;
    if (!pending || this.snapshot.state.status !== 'waiting') return;
    let query: URLSearchParams;
    try {
      query = new URL(url).searchParams;
    } catch {
      return;
    }
    // A sign-in's callback, or a stale one: not this connect's.
    if (query.get('state') !== pending.state) return;
    this.pending = null;
    this.clearTimer();
    const { name, connection } = pending;
    const error = query.get('error');
    const connectCode = query.get('connect_code');
    if (error !== null || !connectCode) {
      const code = error !== null && ERROR_CODE.test(error) ? error : 'invalid_response';
      this.set(
        { status: 'idle' },
        {
          tone: 'error',
          message:
            code === 'access_denied'
              ? message('connect.denied', { name })
              : message('connect.refused', { name, code }),
        },
      );
      return;
    }
    this.set({ status: 'completing', connection }, null);
    try {
      await this.options.myAccount().completeConnect({
        authSession: pending.authSession,
        connectCode,
        redirectUri: pending.redirectUri,
        codeVerifier: pending.codeVerifier,
      });
    } catch {
      if (pending.attempt === this.attempt) {
        this.set(
          { status: 'idle' },
          { tone: 'error', message: message('connect.failed', { name }) },
        );
      }
      return;
    }
    if (pending.attempt !== this.attempt) return;
    this.set(
      { status: 'idle' },
      { tone: 'success', message: message('connect.connected', { name }) },
    );
    this.accountsChanged();
  }

  /** Disconnects every connected account of `connection` (the user has confirmed). */
  async disconnect(connection: string, name: string): Promise<void> {
    if (this.snapshot.state.status !== 'idle') return;
    const attempt = ++this.attempt;
    this.set({ status: 'disconnecting', connection }, null);
    try {
      const myAccount = this.options.myAccount();
      const accounts = await myAccount.connectedAccounts();
      for (const account of accounts.filter((candidate) => candidate.connection === connection)) {
        await myAccount.disconnect(account.id);
      }
    } catch {
      if (attempt === this.attempt) {
        this.set(
          { status: 'idle' },
          { tone: 'error', message: message('connect.disconnectFailed', { name }) },
        );
        this.accountsChanged();
      }
      return;
    }
    if (attempt !== this.attempt) return;
    this.set(
      { status: 'idle' },
      { tone: 'success', message: message('connect.disconnected', { name }) },
    );
    this.accountsChanged();
  }

  dismissNotice(): void {
    if (this.snapshot.notice) this.set(this.snapshot.state, null);
  }

  private async abandon(): Promise<void> {
    this.attempt++;
    this.pending = null;
    this.clearTimer();
    await this.options.linkboard.auth.cancel().catch(() => undefined);
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Stops a pending timer (tests, and a page that goes away). */
  dispose(): void {
    this.clearTimer();
  }
}
