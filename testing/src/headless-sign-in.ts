import { createHash, randomBytes } from 'node:crypto';

/**
 * A browserless authorization-code + PKCE sign-in against the sandbox, following redirects by hand
 * with a small cookie jar and submitting the sign-in form, as a browser would. For tests and scripts
 * that need a real user token without a browser (the real SDK is tested in Chromium).
 */

/**
 * What a browserless sign-in needs to know of the tenant: the sandbox's start line (`SandboxInfo`
 * in `@linkboard/sandbox/start-line`) has all of it. Said here by shape, because the sandbox's own
 * suites use this package and a package reference back would be a cycle.
 */
export interface SignInTenant {
  /** The tenant's origin, `http://127.0.0.1:N`. */
  domain: string;
  desktopClientId: string;
  brokerAudience: string;
  managementAudience: string;
  users: ReadonlyArray<{ username: string; password: string }>;
}
export interface PkcePair {
  verifier: string;
  challenge: string;
}

export function pkcePair(): PkcePair {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Nothing listens there: the tests read the code from the redirect's Location header. */
const DEFAULT_REDIRECT_URI = 'http://127.0.0.1:53682/callback';

export class CookieJar {
  readonly #cookies = new Map<string, string>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

export interface AuthorizeParams {
  clientId?: string;
  redirectUri?: string;
  audience?: string;
  scope?: string;
  pkce?: PkcePair;
  extra?: Record<string, string>;
}

export interface SignInResult {
  code: string;
  state: string;
  redirectUri: string;
  pkce: PkcePair;
  jar: CookieJar;
}

export function authorizeUrl(info: SignInTenant, params: AuthorizeParams, state: string): URL {
  const pkce = params.pkce ?? pkcePair();
  const url = new URL('/authorize', info.domain);
  url.search = new URLSearchParams({
    client_id: params.clientId ?? info.desktopClientId,
    response_type: 'code',
    redirect_uri: params.redirectUri ?? DEFAULT_REDIRECT_URI,
    scope: params.scope ?? 'openid profile email offline_access read:linked_accounts',
    ...(params.audience === undefined
      ? { audience: info.brokerAudience }
      : params.audience
        ? { audience: params.audience }
        : {}),
    state,
    nonce: randomBytes(8).toString('hex'),
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
    ...params.extra,
  }).toString();
  return url;
}

/** Follows redirects (at most `limit`) until one leaves the sandbox; returns that final response. */
export async function follow(
  url: string,
  jar: CookieJar,
  init: RequestInit = {},
  limit = 12,
): Promise<Response> {
  let current = url;
  let request: RequestInit = init;
  for (let hop = 0; hop < limit; hop += 1) {
    const response = await fetch(current, {
      ...request,
      redirect: 'manual',
      headers: { ...(request.headers as Record<string, string>), cookie: jar.header() },
    });
    jar.store(response);
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) return response;
    const next = new URL(location, current);
    if (next.origin !== new URL(url).origin) return response;
    await response.arrayBuffer();
    current = next.toString();
    request = {};
  }
  throw new Error(`more than ${limit} redirects from ${url}`);
}

/** Signs in as `username` via the login form and returns the code that reached the redirect URI. */
export async function signInForCode(
  info: SignInTenant,
  username: string,
  params: AuthorizeParams = {},
  jar = new CookieJar(),
): Promise<SignInResult> {
  const pkce = params.pkce ?? pkcePair();
  const state = randomBytes(8).toString('hex');
  const start = authorizeUrl(info, { ...params, pkce }, state);
  let response = await follow(start.toString(), jar);
  if (response.status === 200 && new URL(response.url || start).pathname !== '/callback') {
    const html = await response.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`no login form in the page: ${html.slice(0, 300)}`);
    const user = info.users.find((candidate) => candidate.username === username);
    if (!user) throw new Error(`no seeded user ${username}`);
    response = await follow(new URL(action, info.domain).toString(), jar, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: user.username, password: user.password }).toString(),
    });
  }
  const location = response.headers.get('location');
  if (!location)
    throw new Error(
      `sign-in ended with ${response.status} and no redirect: ${await response.text()}`,
    );
  const callback = new URL(location);
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`no code in the callback: ${callback.search}`);
  if (callback.searchParams.get('state') !== state) throw new Error('state mismatch');
  const redirectUri = params.redirectUri ?? DEFAULT_REDIRECT_URI;
  if (!location.startsWith(`${redirectUri}?`))
    throw new Error(
      `the callback went to ${callback.protocol}//${callback.host}${callback.pathname}`,
    );
  return { code, state, redirectUri, pkce, jar };
}

export async function postToken(
  info: SignInTenant,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(new URL('/oauth/token', info.domain), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}

export async function exchangeCode(
  info: SignInTenant,
  result: SignInResult,
  overrides: Record<string, string> = {},
) {
  return postToken(info, {
    grant_type: 'authorization_code',
    client_id: info.desktopClientId,
    code: result.code,
    code_verifier: result.pkce.verifier,
    redirect_uri: result.redirectUri,
    ...overrides,
  });
}

export async function clientCredentials(
  info: SignInTenant,
  client: { clientId: string; clientSecret: string },
  audience = info.managementAudience,
  extra: Record<string, string> = {},
) {
  return postToken(info, {
    grant_type: 'client_credentials',
    client_id: client.clientId,
    client_secret: client.clientSecret,
    audience,
    ...extra,
  });
}

export interface HeadlessTokens {
  access_token: string;
  id_token: string;
  refresh_token?: string;
  expires_in: number;
  scope?: string;
  token_type: string;
}

/**
 * Signs a seeded user in as the desktop app would (PKCE, broker audience, offline_access) and
 * returns the token response. `audience: ''` asks for no audience (an opaque /userinfo token).
 */
export async function signInHeadless(
  info: SignInTenant,
  username: string,
  params: AuthorizeParams = {},
): Promise<HeadlessTokens> {
  const result = await signInForCode(info, username, params);
  const { status, body } = await exchangeCode(
    info,
    result,
    params.clientId ? { client_id: params.clientId } : {},
  );
  if (status !== 200) throw new Error(`code exchange failed with ${status}: ${String(body.error)}`);
  return body as unknown as HeadlessTokens;
}
