import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  LOOPBACK_CALLBACK_PATH,
  SIGN_IN_TIMEOUT_MS,
  type AppLanguage,
} from '@linkboard/contract/desktop';
import { DesktopError } from '../errors/desktop-error.js';
import {
  CALLBACK_PAGE_CSP,
  callbackPageLanguage,
  kindOfProviderError,
  renderCallbackPage,
  type ProviderErrorDetails,
} from './callback-page.js';
import type { CallbackPageKind } from './callback-page-text.js';
import { isCompleteCallbackQuery } from './callback-query.js';

const LOOPBACK_HOST = '127.0.0.1';

export type CallbackOutcome =
  { kind: 'callback'; url: string } | { kind: 'timeout' } | { kind: 'cancelled' };

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface LoopbackListenerOptions {
  /** The configured port (Auth0 matches callback URLs exactly); 0 picks a free one, for tests. */
  port: number;
  /**
   * Whether a callback's `state` is the one of the sign-in this app opened. Anything else (a
   * process on this computer, or a page in the browser, that calls first) is refused and the wait
   * goes on.
   */
  acceptsState(state: string): boolean;
  timeoutMs?: number;
  timers?: Timers;
  /** The app's language (configured, else the page's): the browser's page speaks it first. */
  language?: AppLanguage | null;
}

export interface LoopbackWait {
  /** `http://127.0.0.1:{port}/callback`, to pass as `redirect_uri`. */
  redirectUri: string;
  /** Settles once: the first complete callback, the timeout, or a cancel. The server is closed by then. */
  outcome: Promise<CallbackOutcome>;
  cancel(): void;
}

function answer(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  page: { kind: CallbackPageKind; language: AppLanguage | null; details?: ProviderErrorDetails },
  headers: Record<string, string> = {},
): void {
  const language = callbackPageLanguage(page.language, request.headers['accept-language']);
  response.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    // The page runs nothing, loads nothing, and must not hand the code to anyone through a Referer.
    'Content-Security-Policy': CALLBACK_PAGE_CSP,
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Content-Language': language,
    Vary: 'Accept-Language',
    ...headers,
  });
  response.end(renderCallbackPage(page.kind, language, page.details ?? null));
}

/** The page for a complete callback with the sign-in's own state. */
function acceptedPage(query: URLSearchParams): {
  kind: CallbackPageKind;
  details?: ProviderErrorDetails;
} {
  const error = query.get('error');
  if (error) {
    return {
      kind: kindOfProviderError(error),
      details: { code: error, description: query.get('error_description') },
    };
  }
  return { kind: query.has('connect_code') ? 'connected' : 'signed-in' };
}

/**
 * Listens once on `127.0.0.1` for the sign-in callback (RFC 8252 §7.3): the first `GET /callback`
 * with this host, a complete authorization response and the sign-in's own `state` is answered with
 * a page that says what happened and that the tab may be closed, and settles the wait; everything
 * else is refused, with a page saying why, and the wait goes on. Closed after the callback, the
 * timeout or a cancel.
 */
export async function listenForLoopbackCallback(
  options: LoopbackListenerOptions,
): Promise<LoopbackWait> {
  const timers = options.timers ?? realTimers;
  let settle!: (outcome: CallbackOutcome) => void;
  const outcome = new Promise<CallbackOutcome>((resolve) => {
    settle = resolve;
  });
  let settled = false;
  let expectedHost = '';
  const language = options.language ?? null;

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const reply = (
      status: number,
      kind: CallbackPageKind,
      headers: Record<string, string> = {},
      details?: ProviderErrorDetails,
    ) =>
      answer(
        request,
        response,
        status,
        { kind, language, ...(details ? { details } : {}) },
        headers,
      );
    if (settled) {
      reply(410, 'ended', { Connection: 'close' });
      return;
    }
    // A page elsewhere cannot reach this listener through a rebound DNS name.
    if (request.headers.host !== expectedHost) {
      reply(400, 'not-found');
      return;
    }
    const url = new URL(request.url ?? '/', `http://${expectedHost}`);
    if (url.pathname !== LOOPBACK_CALLBACK_PATH) {
      reply(404, 'not-found');
      return;
    }
    if (request.method !== 'GET') {
      reply(405, 'not-found', { Allow: 'GET' });
      return;
    }
    if (!isCompleteCallbackQuery(url.searchParams)) {
      reply(400, 'incomplete');
      return;
    }
    // Checked here, before anything reaches the renderer: auth0-spa-js looks at `error` before
    // `state`, so a forged error callback would otherwise end the genuine sign-in.
    if (!options.acceptsState(url.searchParams.get('state') ?? '')) {
      reply(400, 'not-this-sign-in');
      return;
    }
    response.on('finish', () => finish({ kind: 'callback', url: url.href }));
    const page = acceptedPage(url.searchParams);
    reply(200, page.kind, { Connection: 'close' }, page.details);
  });

  const timeout = timers.setTimeout(
    () => finish({ kind: 'timeout' }),
    options.timeoutMs ?? SIGN_IN_TIMEOUT_MS,
  );

  function finish(result: CallbackOutcome): void {
    if (settled) return;
    settled = true;
    timers.clearTimeout(timeout);
    server.close();
    server.closeAllConnections();
    settle(result);
  }

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, LOOPBACK_HOST, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    timers.clearTimeout(timeout);
    settled = true;
    const code = (error as NodeJS.ErrnoException).code;
    throw new DesktopError(
      'redirect_port_unavailable',
      code === 'EADDRINUSE'
        ? `Port ${options.port} on 127.0.0.1, where sign-in returns, is in use by another program. Close it, or ask your administrator for another port, and try again.`
        : `Linkboard could not listen on 127.0.0.1:${options.port} for the sign-in to return.`,
    );
  }

  const { port } = server.address() as AddressInfo;
  expectedHost = `${LOOPBACK_HOST}:${port}`;
  return {
    redirectUri: `http://${expectedHost}${LOOPBACK_CALLBACK_PATH}`,
    outcome,
    cancel: () => finish({ kind: 'cancelled' }),
  };
}
