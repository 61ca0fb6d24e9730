import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeHtml, renderPage } from '../oidc/page-layout.js';
import type { ConnectRequest, ConnectRequests } from '../tenant/connect-requests.js';
import { findSeededUser } from '../tenant/seed.js';
import type { IdpConnection } from '../tenant/tenant-config.js';
import { readBody, sendHtml } from './http-io.js';

const PROVIDER_NAMES: Record<IdpConnection, string> = {
  github: 'GitHub',
  'google-oauth2': 'Google',
  windowslive: 'Microsoft',
  bitbucket: 'Bitbucket',
};

function consentPage(request: ConnectRequest, action: string): string {
  const provider = PROVIDER_NAMES[request.connection];
  const user = findSeededUser(request.userId);
  const scopes = request.scopes
    .map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`)
    .join('');
  return renderPage(
    `Connect ${provider}`,
    `<h1>Connect ${escapeHtml(provider)}</h1>
<p class="lead">${escapeHtml(provider)} (emulated) asks whether Linkboard may use your account${
      user ? ` for ${escapeHtml(user.name)}` : ''
    } with these permissions:</p>
<ul class="scopes">${scopes}</ul>
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="ticket" value="${escapeHtml(request.ticket)}">
<button type="submit" class="primary" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`,
  );
}

function expiredPage(): string {
  return renderPage(
    'Link expired',
    `<h1>This connect link has expired</h1>
<p class="alert" role="alert">Start connecting the account again from the application.</p>`,
  );
}

/** `redirect_uri` with the answer in its query, as the Connected Accounts flow returns. */
function redirectTo(request: ConnectRequest, answer: Record<string, string>): string {
  const target = new URL(request.redirectUri);
  for (const [name, value] of Object.entries(answer)) target.searchParams.set(name, value);
  if (request.state !== undefined) target.searchParams.set('state', request.state);
  return target.toString();
}

/**
 * The connect page (`connect_uri?ticket=…`): the emulated provider's consent screen, showing which
 * provider and which scopes, with Allow and Deny. Allow returns to `redirect_uri` with a
 * `connect_code` and the `state`; Deny with `error=access_denied`. A ticket works once, for
 * `CONNECT_TICKET_TTL_SECONDS`.
 */
export function createConnectPage(requests: ConnectRequests, path: string) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    if (req.method === 'GET') {
      const request = requests.awaitingConsent(url.searchParams.get('ticket') ?? '');
      if (!request) return sendHtml(res, 400, expiredPage());
      return sendHtml(res, 200, consentPage(request, path));
    }
    if (req.method !== 'POST') return sendHtml(res, 405, expiredPage(), { allow: 'GET, POST' });
    const form = new URLSearchParams((await readBody(req)).toString('utf8'));
    const request = requests.awaitingConsent(form.get('ticket') ?? '');
    if (!request) return sendHtml(res, 400, expiredPage());
    let location: string;
    if (form.get('decision') === 'allow') {
      location = redirectTo(request, { connect_code: requests.approve(request) });
    } else {
      requests.deny(request);
      location = redirectTo(request, {
        error: 'access_denied',
        error_description: 'The user denied access to the account.',
      });
    }
    res.writeHead(302, { location, 'cache-control': 'no-store' });
    res.end();
  };
}
