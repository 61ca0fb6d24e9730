import { DesktopError } from '../errors/desktop-error.js';
import type { Logger } from '../logging/logger.js';
import { STATE_OR_NONCE, tenantPageFor, type TenantClient } from './tenant-urls.js';
import { carriesCredentials, parseExactUrl } from '../web/exact-url.js';

/** The only pages the app opens in the system browser: sign-in and sign-out on the Auth0 origin. */
export const EXTERNAL_PATHS = ['/authorize', '/v2/logout'] as const;
/**
 * The tenant's Connected Accounts page: the `connect_uri` the My Account API answers, opened with
 * its `ticket` (docs/architecture.md#connecting-an-account).
 */
export const CONNECT_PATH = '/connect';
/** A connect ticket: opaque and URL-safe. */
const CONNECT_TICKET = /^[A-Za-z0-9._~-]{8,1024}$/;

/** The sign-in main is waiting for: where its callback returns, and how to tell it the state. */
export interface PendingSignIn {
  redirectUri: string;
  /** The `state` of the `/authorize` URL opened for it: the only callback it will take. */
  expectState(state: string): void;
}

export interface ExternalOpenerOptions {
  /** The tenant and the app's client there, from configuration. */
  client: TenantClient;
  /** The sign-in waiting for its callback, if any (`auth:prepare` started it). */
  pendingSignIn(): PendingSignIn | null;
  /** Electron's `shell.openExternal`, or the e2e host's "system browser". */
  openExternal(url: string): Promise<void>;
  /** Refusals are logged with the reason and the URL's origin and path only. */
  log?: Pick<Logger, 'warn'>;
}

export interface ExternalOpener {
  /** Opens the URL or throws `DesktopError('url_not_allowed')`. */
  open(url: string): Promise<void>;
  /**
   * Opens the tenant's connect page (`{origin}/connect?ticket=…`) for the pending redirect, which
   * then takes only a callback with `state`; or throws `DesktopError('url_not_allowed')`.
   */
  openConnect(url: string, state: string): Promise<void>;
}

function isLoopback(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

/** Why a URL may not be opened, or null when it may. */
export function externalUrlProblem(
  raw: string,
  auth0Origin: string,
  paths: readonly string[] = EXTERNAL_PATHS,
): { reason: string; url?: URL } | null {
  const parsed = parseExactUrl(raw);
  if ('reason' in parsed) return parsed;
  const { url } = parsed;
  const expected = new URL(auth0Origin);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    return { reason: 'scheme', url };
  }
  if (carriesCredentials(raw, url)) return { reason: 'credentials in URL', url };
  if (url.protocol !== expected.protocol || url.host !== expected.host)
    return { reason: 'origin', url };
  if (!paths.includes(url.pathname)) return { reason: 'path', url };
  if (url.hash) return { reason: 'fragment', url };
  return null;
}

/**
 * Opens Auth0's `/authorize` and `/v2/logout` on the configured origin in the system browser
 * (RFC 8252), and nothing else: the origin must match exactly (scheme, host and port), so
 * `tenant.auth0.com.evil.com`, `user@host` forms, other paths, `javascript:`, `file:` and plain
 * `http` to a non-loopback host are refused and logged. What opens is rebuilt from configuration
 * (`tenantPageFor`): another client, audience, redirect or `returnTo` is refused too. Opening a
 * sign-in tells the pending sign-in its `state`, the one callback it will accept.
 */
export function createExternalOpener(options: ExternalOpenerOptions): ExternalOpener {
  function refuse(reason: string, url?: URL): never {
    options.log?.warn('Refused to open a URL in the system browser', {
      reason,
      target: url ? `${url.protocol}//${url.host}${url.pathname}` : '(unparsable)',
    });
    throw new DesktopError(
      'url_not_allowed',
      'Only the sign-in and sign-out pages of your organisation open in the browser.',
    );
  }

  return {
    async open(raw) {
      const problem = externalUrlProblem(raw, options.client.origin);
      if (problem) refuse(problem.reason, problem.url);
      const requested = new URL(raw);
      const pending = options.pendingSignIn();
      const built = tenantPageFor(requested, options.client, pending?.redirectUri ?? null);
      if (!built.ok) refuse(built.reason, requested);
      if (built.page.kind === 'authorize') pending?.expectState(built.page.state);
      await options.openExternal(built.page.url);
    },

    async openConnect(raw, state) {
      const problem = externalUrlProblem(raw, options.client.origin, [CONNECT_PATH]);
      if (problem) refuse(problem.reason, problem.url);
      const requested = new URL(raw);
      const names = [...requested.searchParams.keys()];
      if (names.length !== 1 || names[0] !== 'ticket') refuse('parameter', requested);
      const ticket = requested.searchParams.get('ticket') ?? '';
      if (!CONNECT_TICKET.test(ticket)) refuse('ticket', requested);
      if (!STATE_OR_NONCE.test(state)) refuse('state', requested);
      const pending = options.pendingSignIn();
      if (!pending) refuse('no redirect pending', requested);
      // Rebuilt from configuration, like the sign-in page: the origin is main's, the ticket alone
      // is the page's.
      const page = new URL(CONNECT_PATH, options.client.origin);
      page.searchParams.set('ticket', ticket);
      pending.expectState(state);
      await options.openExternal(page.href);
    },
  };
}
