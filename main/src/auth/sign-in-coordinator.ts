import { CUSTOM_SCHEME_REDIRECT_URI, SIGN_IN_TIMEOUT_MS } from '@linkboard/contract/desktop';
import type { RedirectMode } from '@linkboard/contract';
import {
  listenForLoopbackCallback,
  type LoopbackListenerOptions,
  type LoopbackWait,
  type Timers,
} from './loopback-redirect-listener.js';
import { DesktopError } from '../errors/desktop-error.js';
import { parseCustomSchemeCallback } from './custom-scheme-callback.js';
import type { Logger } from '../logging/logger.js';

export interface SignInCoordinatorOptions {
  redirectMode: RedirectMode;
  loopbackPort: number;
  /** Hands the callback URL, alone, to the renderer (`auth:callback`). Called at most once per sign-in. */
  deliverCallback(url: string): void;
  timeoutMs?: number;
  timers?: Timers;
  /** Injected in tests; the real loopback listener otherwise. */
  listenLoopback?: (options: LoopbackListenerOptions) => Promise<LoopbackWait>;
  log?: Pick<Logger, 'info'>;
}

export interface SignInCoordinator {
  /** Starts waiting for a callback and returns the `redirect_uri` to sign in with. */
  prepare(): Promise<{ redirectUri: string; mode: RedirectMode }>;
  /** Stops waiting (the user cancelled in the app). */
  cancel(): void;
  /**
   * A `linkboard://` URL from the OS (`open-url`, `second-instance`). Forwarded only when it is a
   * well-formed callback and a custom-scheme sign-in is pending; returns whether it was.
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

  /** Bumped by every cancel, so a sign-in prepared before it (still starting, or queued) ends. */
  let cancellations = 0;

  function stopWaiting(): void {
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
    const wait = await listen({ port: options.loopbackPort, timeoutMs, timers });
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
    prepare() {
      const requestedAt = cancellations;
      const run = () => prepareNow(requestedAt);
      const next = preparing.then(run, run);
      preparing = next.catch(() => undefined);
      return next;
    },

    cancel() {
      cancellations += 1;
      stopWaiting();
    },

    acceptCustomSchemeUrl(raw) {
      if (options.redirectMode !== 'custom-scheme' || customSchemeDeadline === null) return false;
      const url = parseCustomSchemeCallback(raw);
      if (!url) return false;
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
