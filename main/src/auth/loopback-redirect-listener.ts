import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOOPBACK_CALLBACK_PATH, SIGN_IN_TIMEOUT_MS } from '@linkboard/contract/desktop';
import { DesktopError } from '../errors/desktop-error.js';
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
}

export interface LoopbackWait {
  /** `http://127.0.0.1:{port}/callback`, to pass as `redirect_uri`. */
  redirectUri: string;
  /** Settles once: the first complete callback, the timeout, or a cancel. The server is closed by then. */
  outcome: Promise<CallbackOutcome>;
  cancel(): void;
}

function page(title: string, text: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:system-ui,sans-serif;margin:3rem"><h1>${title}</h1><p>${text}</p></body></html>`;
}

const PAGES = {
  signedIn: page('Linkboard', 'You can close this tab and return to Linkboard.'),
  incomplete: page(
    'Linkboard',
    'This sign-in response is incomplete. Return to Linkboard and start signing in again.',
  ),
  notFound: page('Linkboard', 'Nothing here.'),
  notThisSignIn: page(
    'Linkboard',
    'This is not the sign-in Linkboard is waiting for. Return to Linkboard and sign in from there.',
  ),
} as const;

function answer(
  response: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    // The page loads nothing and must not hand the code to anyone through a Referer.
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  response.end(body);
}

/**
 * Listens once on `127.0.0.1` for the sign-in callback (RFC 8252 §7.3): the first `GET /callback`
 * with this host, a complete authorization response and the sign-in's own `state` is answered with a "you can close this tab" page and
 * settles the wait; everything else is refused and the wait goes on. Closed after the callback,
 * the timeout or a cancel.
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

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    if (settled) {
      answer(response, 404, PAGES.notFound, { Connection: 'close' });
      return;
    }
    // A page elsewhere cannot reach this listener through a rebound DNS name.
    if (request.headers.host !== expectedHost) {
      answer(response, 400, PAGES.notFound);
      return;
    }
    const url = new URL(request.url ?? '/', `http://${expectedHost}`);
    if (url.pathname !== LOOPBACK_CALLBACK_PATH) {
      answer(response, 404, PAGES.notFound);
      return;
    }
    if (request.method !== 'GET') {
      answer(response, 405, PAGES.notFound, { Allow: 'GET' });
      return;
    }
    if (!isCompleteCallbackQuery(url.searchParams)) {
      answer(response, 400, PAGES.incomplete);
      return;
    }
    // Checked here, before anything reaches the renderer: auth0-spa-js looks at `error` before
    // `state`, so a forged error callback would otherwise end the genuine sign-in.
    if (!options.acceptsState(url.searchParams.get('state') ?? '')) {
      answer(response, 400, PAGES.notThisSignIn);
      return;
    }
    response.on('finish', () => finish({ kind: 'callback', url: url.href }));
    answer(response, 200, PAGES.signedIn, { Connection: 'close' });
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
