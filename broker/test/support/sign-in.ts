import { createHash, randomBytes } from 'node:crypto';
import { DESKTOP_SCOPE } from '@linkboard/contract';
import type { SandboxInfo } from '@linkboard/sandbox/start-line';

export interface SignedIn {
  accessToken: string;
  idToken: string | undefined;
}

/** Cookies of one sign-in, sent back only to the sandbox origin. */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/**
 * Signs a seeded user in to the sandbox the way the desktop app does, over plain HTTP:
 * Authorization Code + PKCE with a loopback redirect URI, the sign-in form posted with the
 * user's password, then the code exchanged with the verifier. Returns real tenant tokens.
 */
export async function signIn(
  info: SandboxInfo,
  username: string,
  options: { audience?: string; scope?: string } = {},
): Promise<SignedIn> {
  const user = info.users.find((u) => u.username === username);
  if (!user) throw new Error(`no seeded user ${username}`);
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(16).toString('base64url');
  const redirectUri = 'http://127.0.0.1:53682/callback';
  const authorize = new URL('/authorize', info.domain);
  authorize.search = String(
    new URLSearchParams({
      client_id: info.desktopClientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: options.scope ?? DESKTOP_SCOPE,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state,
      nonce: randomBytes(16).toString('base64url'),
    }),
  );
  const audience = options.audience ?? info.brokerAudience;
  if (audience) authorize.searchParams.set('audience', audience);

  const jar = new CookieJar();
  let next: { url: string; init: RequestInit } = { url: authorize.href, init: { method: 'GET' } };
  let code: string | undefined;
  for (let hop = 0; hop < 15 && !code; hop += 1) {
    const response = await fetch(next.url, {
      ...next.init,
      redirect: 'manual',
      headers: { ...(next.init.headers as Record<string, string>), cookie: jar.header() },
      signal: AbortSignal.timeout(5000),
    });
    jar.take(response);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      const target = new URL(location, next.url);
      await response.body?.cancel();
      if (target.href.startsWith(redirectUri)) {
        if (target.searchParams.get('state') !== state) throw new Error('state mismatch');
        const error = target.searchParams.get('error');
        if (error) throw new Error(`sign-in refused: ${error}`);
        code = target.searchParams.get('code') ?? undefined;
        break;
      }
      if (target.origin !== new URL(info.domain).origin) throw new Error('sign-in left the tenant');
      next = { url: target.href, init: { method: 'GET' } };
      continue;
    }
    const html = await response.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (response.status !== 200 || !action) {
      throw new Error(`unexpected sign-in page (${response.status})`);
    }
    next = {
      url: new URL(action.replace(/&amp;/g, '&'), next.url).href,
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: user.username, password: user.password }).toString(),
      },
    };
  }
  if (!code) throw new Error('sign-in did not reach the redirect URI');

  const tokenResponse = await fetch(new URL('/oauth/token', info.domain), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: info.desktopClientId,
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    }).toString(),
    signal: AbortSignal.timeout(5000),
  });
  const tokens = (await tokenResponse.json()) as { access_token?: string; id_token?: string };
  if (!tokenResponse.ok || !tokens.access_token) {
    throw new Error(`code exchange failed (${tokenResponse.status})`);
  }
  return { accessToken: tokens.access_token, idToken: tokens.id_token };
}
