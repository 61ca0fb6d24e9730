import { CUSTOM_SCHEME_REDIRECT_URI, SIGN_IN_TIMEOUT_MS } from '@linkboard/contract/desktop';
import type { AppLanguage, RedirectMode } from '@linkboard/contract';
import {
  listenForLoopbackCallback,
  type LoopbackListenerOptions,
  type LoopbackWait,
  type Timers,
} from './loopback-redirect-listener.js';
import { DesktopError } from '../errors/desktop-error.js';
import type { PendingSignIn } from './external-opener.js';
import { parseCustomSchemeCallback } from './custom-scheme-callback.js';
import type { Logger } from '../logging/logger.js';

export interface SignInCoordinatorOptions {
  redirectMode: RedirectMode;
  loopbackPort: number;
  /** The `language` configuration key: the browser's page after the redirect speaks it first. */
  language?: AppLanguage | null;
  /** Hands the callback URL, alone, to the renderer (`auth:callback`). Called at most once per sign-in. */
  deliverCallback(url: string): void;
  timeoutMs?: number;
  timers?: Timers;
  /** Injected in tests; the real loopback listener otherwise. */
  listenLoopback?: (options: LoopbackListenerOptions) => Promise<LoopbackWait>;
  log?: Pick<Logger, 'info'>;
}

export interface SignInCoordinator {
  /**
   * Starts waiting for a callback and returns the `redirect_uri` to sign in with. `language` is
   * the app's language now, which the browser's page after the redirect speaks unless the
   * configuration forces one.
   */
  prepare(request?: {
    language?: AppLanguage;
  }): Promise<{ redirectUri: string; mode: RedirectMode }>;
  /** Stops waiting (the user cancelled in the app). */
  cancel(): void;
  /** The sign-in waiting for its callback, for the external opener to tell its `state`; or null. */
  pending(): PendingSignIn | null;
  /**
   * A `linkboard://` URL from the OS (`open-url`, `second-instance`). Forwarded only when it is a
   * well-formed callback carrying the pending custom-scheme sign-in's `state`; returns whether it
   * was. Any other (another program can open `linkboard://` URLs too) is ignored.
   */
  acceptCustomSchemeUrl(url: string): boolean;
  /** Stops everything (app quitting). */
  close(): void;
}

/**
 * One sign-in at a time, in the configured redirect mode: loopback (a listener on
 * `127.0.0.1:{port}/callback`) or custom scheme (`linkboard://callback` through the OS). Either way
 * the first complete callback is forwarded once and the wait ends; it also ends after five minutes.
 */
export function createSignInCoordinator(options: SignInCoordinatorOptions): SignInCoordinator {
  const listen = options.listenLoopback ?? listenForLoopbackCallback;
  const timers: Timers = options.timers ?? {
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  };
  const timeoutMs = options.timeoutMs ?? SIGN_IN_TIMEOUT_MS;

  let loopbackWait: LoopbackWait | null = null;
  let customSchemeDeadline: unknown = null;
  /** The `state` of the `/authorize` URL opened for the pending sign-in, once it is opened. */
  let expectedState: string | null = null;
  const acceptsState = (state: string) => expectedState !== null && state === expectedState;

  /** Bumped by every cancel, so a sign-in prepared before it (still starting, or queued) ends. */
  let cancellations = 0;

  function stopWaiting(): void {
    expectedState = null;
    loopbackWait?.cancel();
    loopbackWait = null;
    if (customSchemeDeadline !== null) timers.clearTimeout(customSchemeDeadline);
    customSchemeDeadline = null;
  }

  function cancelled(): DesktopError {
    return new DesktopError('sign_in_not_pending', 'Sign-in was cancelled.');
  }

  async function prepareNow(
    requestedAt: number,
    language: AppLanguage | null,
  ): Promise<{ redirectUri: string; mode: RedirectMode }> {
    if (cancellations !== requestedAt) throw cancelled();
    stopWaiting();
    if (options.redirectMode === 'custom-scheme') {
      customSchemeDeadline = timers.setTimeout(() => {
        customSchemeDeadline = null;
        options.log?.info('Sign-in timed out');
      }, timeoutMs);
      return { redirectUri: CUSTOM_SCHEME_REDIRECT_URI, mode: 'custom-scheme' };
    }
    const wait = await listen({
      port: options.loopbackPort,
      timeoutMs,
      timers,
      acceptsState,
      language,
    });
    if (cancellations !== requestedAt) {
      wait.cancel();
      throw cancelled();
    }
    loopbackWait = wait;
    void wait.outcome.then((outcome) => {
      if (loopbackWait === wait) loopbackWait = null;
      if (outcome.kind === 'callback') options.deliverCallback(outcome.url);
      else options.log?.info('Sign-in wait ended', { outcome: outcome.kind });
    });
    return { redirectUri: wait.redirectUri, mode: 'loopback' };
  }

  // Prepares run one after the other: two at once would both try to listen on the one fixed port.
  let preparing: Promise<unknown> = Promise.resolve();

  return {
    prepare(request = {}) {
      const requestedAt = cancellations;
      const language = options.language ?? request.language ?? null;
      const run = () => prepareNow(requestedAt, language);
      const next = preparing.then(run, run);
      preparing = next.catch(() => undefined);
      return next;
    },

    cancel() {
      cancellations += 1;
      stopWaiting();
    },

    pending() {
      const redirectUri =
        loopbackWait?.redirectUri ??
        (customSchemeDeadline !== null ? CUSTOM_SCHEME_REDIRECT_URI : null);
      if (redirectUri === null) return null;
      return {
        redirectUri,
        expectState: (state) => {
          expectedState = state;
        },
      };
    },

    acceptCustomSchemeUrl(raw) {
      if (options.redirectMode !== 'custom-scheme' || customSchemeDeadline === null) return false;
      const url = parseCustomSchemeCallback(raw);
      if (!url || !acceptsState(new URL(url).searchParams.get('state') ?? '')) return false;
      stopWaiting();
      options.deliverCallback(url);
      return true;
    },

    close() {
      cancellations += 1;
      stopWaiting();
    },
  };
}
