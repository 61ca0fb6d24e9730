import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../src/index.js';
import {
  authorizeUrl,
  CookieJar,
  exchangeCode,
  follow,
  pkcePair,
  postToken,
  signInForCode,
  signInHeadless,
} from '@linkboard/testing/headless-sign-in';

let sandbox: RunningSandbox;
let jwks: ReturnType<typeof createRemoteJWKSet>;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', sandbox.url));
});
afterAll(async () => {
  await sandbox?.close();
});

describe('discovery and keys', () => {
  it('publishes Auth0-named endpoints under an issuer that ends in a slash', async () => {
    const response = await fetch(`${sandbox.url}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const discovery = (await response.json()) as Record<string, unknown>;
    const { domain, issuer } = sandbox.info;
    expect(issuer).toBe(`${domain}/`);
    expect(discovery).toMatchObject({
      issuer,
      authorization_endpoint: `${domain}/authorize`,
      token_endpoint: `${domain}/oauth/token`,
      userinfo_endpoint: `${domain}/userinfo`,
      jwks_uri: `${domain}/.well-known/jwks.json`,
      end_session_endpoint: `${domain}/v2/logout`,
      revocation_endpoint: `${domain}/oauth/revoke`,
    });
    expect(discovery.code_challenge_methods_supported).toContain('S256');
    expect(discovery.grant_types_supported).toEqual(
      expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']),
    );
  });

  it('serves public RS256 keys only', async () => {
    const response = await fetch(`${sandbox.url}/.well-known/jwks.json`, {
      headers: { origin: 'app://linkboard' },
    });
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).toMatchObject({ kty: 'RSA', use: 'sig', alg: 'RS256' });
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi'])
        expect(key).not.toHaveProperty(secret);
    }
    expect(response.headers.get('access-control-allow-origin')).toBe('app://linkboard');
  });
});

describe('authorization code with PKCE', () => {
  it('gives a broker JWT access token, an ID token with profile claims, and a refresh token', async () => {
    const result = await signInForCode(sandbox.info, 'alice');
    const { status, body } = await exchangeCode(sandbox.info, result);
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer' });
    expect(typeof body.refresh_token).toBe('string');

    const accessToken = body.access_token as string;
    expect(decodeProtectedHeader(accessToken)).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    const { payload } = await jwtVerify(accessToken, jwks, {
      issuer: sandbox.info.issuer,
      audience: sandbox.info.brokerAudience,
      algorithms: ['RS256'],
      typ: 'at+jwt',
    });
    expect(payload).toMatchObject({
      sub: 'auth0|alice',
      azp: 'linkboard-desktop',
      client_id: 'linkboard-desktop',
    });
    expect(String(payload.scope).split(' ')).toContain('read:linked_accounts');
    expect(payload).not.toHaveProperty('gty');
    expect(typeof payload.exp).toBe('number');
    expect(typeof payload.iat).toBe('number');

    const { payload: idToken } = await jwtVerify(body.id_token as string, jwks, {
      issuer: sandbox.info.issuer,
      audience: 'linkboard-desktop',
      algorithms: ['RS256'],
    });
    expect(idToken).toMatchObject({
      sub: 'auth0|alice',
      name: 'Alice Example',
      nickname: 'alice',
      email: 'alice@example.com',
      email_verified: true,
    });
    expect(typeof idToken.picture).toBe('string');
    expect(typeof idToken.updated_at).toBe('string');
  });

  it('accepts any loopback port and path, and the custom scheme, as redirect URI', async () => {
    for (const redirectUri of [
      'http://localhost:5173/callback',
      'http://127.0.0.1:40123/',
      'linkboard://callback',
    ]) {
      const result = await signInForCode(sandbox.info, 'bob', { redirectUri });
      const { status } = await exchangeCode(sandbox.info, result);
      expect(status, redirectUri).toBe(200);
    }
  });

  it('refuses a wrong PKCE verifier, a reused code and an unknown code as Auth0 does (403 invalid_grant)', async () => {
    const wrongVerifier = await signInForCode(sandbox.info, 'alice');
    const refused = await exchangeCode(sandbox.info, wrongVerifier, {
      code_verifier: pkcePair().verifier,
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({
      error: 'invalid_grant',
      error_description: 'Failed to verify code verifier',
    });

    const reused = await signInForCode(sandbox.info, 'alice');
    expect((await exchangeCode(sandbox.info, reused)).status).toBe(200);
    const second = await exchangeCode(sandbox.info, reused);
    expect(second.status).toBe(403);
    expect(second.body).toEqual({
      error: 'invalid_grant',
      error_description: 'Invalid authorization code',
    });

    const unknown = await exchangeCode(sandbox.info, reused, { code: 'not-a-code' });
    expect(unknown.status).toBe(403);
    expect(unknown.body).toEqual({
      error: 'invalid_grant',
      error_description: 'Invalid authorization code',
    });
  });

  it('refuses a redirect URI at the token endpoint that differs from the authorization request', async () => {
    const result = await signInForCode(sandbox.info, 'alice', {
      redirectUri: 'http://127.0.0.1:41000/callback',
    });
    const refused = await exchangeCode(sandbox.info, result, {
      redirect_uri: 'http://127.0.0.1:41001/callback',
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({
      error: 'invalid_grant',
      error_description: 'Invalid authorization code',
    });
  });

  it('shows an error page, and does not redirect, for a non-loopback redirect URI or an unknown client', async () => {
    for (const params of [
      { redirectUri: 'https://evil.example/callback' },
      { redirectUri: 'http://192.168.1.10:8080/callback' },
      { clientId: 'not-a-client' },
    ]) {
      const response = await follow(
        authorizeUrl(sandbox.info, params, 'xyz').toString(),
        new CookieJar(),
      );
      expect(response.status, JSON.stringify(params)).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      const html = await response.text();
      expect(html).toMatch(/invalid_redirect_uri|invalid_client/);
    }
  });

  it('requires PKCE of the public client', async () => {
    const url = authorizeUrl(
      sandbox.info,
      { redirectUri: 'http://127.0.0.1:41000/callback' },
      'st',
    );
    url.searchParams.delete('code_challenge');
    url.searchParams.delete('code_challenge_method');
    const response = await fetch(url, { redirect: 'manual' });
    const location = new URL(response.headers.get('location') ?? 'http://missing/');
    expect(location.origin + location.pathname).toBe('http://127.0.0.1:41000/callback');
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('code')).toBeNull();
  });

  it('refuses an unknown client, a bad secret and malformed Basic credentials with 401 access_denied, as Auth0 does', async () => {
    const unknown = await postToken(sandbox.info, {
      grant_type: 'client_credentials',
      client_id: 'not-a-client',
      client_secret: 'whatever',
      audience: sandbox.info.managementAudience,
    });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual({ error: 'access_denied', error_description: 'Unauthorized' });
    const badSecret = await postToken(sandbox.info, {
      grant_type: 'client_credentials',
      client_id: sandbox.info.m2m.clientId,
      client_secret: `${sandbox.info.m2m.clientSecret}x`,
      audience: sandbox.info.managementAudience,
    });
    expect(badSecret.status).toBe(401);
    expect(badSecret.body).toEqual({ error: 'access_denied', error_description: 'Unauthorized' });
    expect(JSON.stringify(badSecret.body)).not.toContain(sandbox.info.m2m.clientSecret);
    const malformedBasic = await postToken(
      sandbox.info,
      { grant_type: 'client_credentials', audience: sandbox.info.managementAudience },
      { authorization: `Basic ${Buffer.from('no-colon-here').toString('base64')}` },
    );
    expect(malformedBasic.status).toBe(401);
    expect(malformedBasic.body).toEqual({
      error: 'access_denied',
      error_description: 'Unauthorized',
    });
  });
});

describe('signInHeadless (@linkboard/testing, for every part’s tests)', () => {
  it('returns a verified broker token for a seeded user without a browser', async () => {
    const tokens = await signInHeadless(sandbox.info, 'dave');
    const { payload } = await jwtVerify(tokens.access_token, jwks, {
      issuer: sandbox.info.issuer,
      audience: sandbox.info.brokerAudience,
    });
    expect(payload.sub).toBe('auth0|dave');
    expect(tokens.refresh_token).toBeTruthy();
    await expect(signInHeadless(sandbox.info, 'mallory')).rejects.toThrow(/no seeded user/);
  });
});

describe('refresh tokens', () => {
  it('rotate: each use returns a new one and a used one is refused', async () => {
    const signIn = await signInForCode(sandbox.info, 'dave');
    const first = await exchangeCode(sandbox.info, signIn);
    const original = first.body.refresh_token as string;

    const refreshed = await postToken(sandbox.info, {
      grant_type: 'refresh_token',
      client_id: sandbox.info.desktopClientId,
      refresh_token: original,
    });
    expect(refreshed.status).toBe(200);
    const rotated = refreshed.body.refresh_token as string;
    expect(rotated).toBeTruthy();
    expect(rotated).not.toBe(original);
    const { payload } = await jwtVerify(refreshed.body.access_token as string, jwks, {
      issuer: sandbox.info.issuer,
      audience: sandbox.info.brokerAudience,
    });
    expect(payload.sub).toBe('auth0|dave');

    const reuse = await postToken(sandbox.info, {
      grant_type: 'refresh_token',
      client_id: sandbox.info.desktopClientId,
      refresh_token: original,
    });
    expect(reuse.status).toBe(403);
    expect(reuse.body).toEqual({
      error: 'invalid_grant',
      error_description: 'Unknown or invalid refresh token.',
    });
  });

  it('is refused after revocation at /oauth/revoke', async () => {
    const signIn = await signInForCode(sandbox.info, 'carol');
    const tokens = await exchangeCode(sandbox.info, signIn);
    const revoke = await fetch(`${sandbox.url}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: 'linkboard-desktop',
        token: tokens.body.refresh_token as string,
      }),
    });
    expect(revoke.status).toBe(200);
    const after = await postToken(sandbox.info, {
      grant_type: 'refresh_token',
      client_id: 'linkboard-desktop',
      refresh_token: tokens.body.refresh_token as string,
    });
    expect(after.status).toBe(403);
    expect(after.body).toEqual({
      error: 'invalid_grant',
      error_description: 'Unknown or invalid refresh token.',
    });
  });
});

describe('userinfo', () => {
  it('answers with the profile for an access token issued without an audience', async () => {
    const signIn = await signInForCode(sandbox.info, 'alice', { audience: '' });
    const tokens = await exchangeCode(sandbox.info, signIn);
    const response = await fetch(`${sandbox.url}/userinfo`, {
      headers: {
        authorization: `Bearer ${tokens.body.access_token as string}`,
        origin: 'app://linkboard',
      },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('app://linkboard');
    expect(await response.json()).toMatchObject({
      sub: 'auth0|alice',
      email: 'alice@example.com',
      name: 'Alice Example',
    });
  });
});

describe('sign-in page', () => {
  it('has labelled username and password fields, a button per seeded user, and says when the password is wrong', async () => {
    const jar = new CookieJar();
    const page = await follow(authorizeUrl(sandbox.info, {}, 'st').toString(), jar);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<label for="username">');
    expect(html).toContain('<label for="password">');
    expect(html).toMatch(/<input id="username" name="username"/);
    expect(html).toMatch(/<input id="password" name="password" type="password"/);
    for (const user of sandbox.info.users)
      expect(html).toContain(`data-username="${user.username}"`);

    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1] ?? '';
    const wrong = await follow(new URL(action, sandbox.url).toString(), jar, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'alice', password: 'not-her-password' }).toString(),
    });
    expect(wrong.status).toBe(401);
    const errorPage = await wrong.text();
    expect(errorPage).toContain('role="alert"');
    expect(errorPage).toContain('Wrong username or password.');
    expect(errorPage).not.toContain('not-her-password');
  });
});

describe('CORS for the desktop origins', () => {
  for (const origin of ['app://linkboard', 'http://127.0.0.1:5173', 'http://localhost:41234']) {
    it(`allows ${origin} at the token endpoint`, async () => {
      const preflight = await fetch(`${sandbox.url}/oauth/token`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,auth0-client',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);

      const signIn = await signInForCode(sandbox.info, 'carol');
      const exchange = await exchangeCode(sandbox.info, signIn);
      const refresh = await postToken(
        sandbox.info,
        {
          grant_type: 'refresh_token',
          client_id: 'linkboard-desktop',
          refresh_token: exchange.body.refresh_token as string,
        },
        { origin },
      );
      expect(refresh.status).toBe(200);
      expect(refresh.headers.get('access-control-allow-origin')).toBe(origin);
    });
  }

  it('does not allow another origin to call the token endpoint for the desktop client', async () => {
    const signIn = await signInForCode(sandbox.info, 'carol');
    const exchange = await exchangeCode(sandbox.info, signIn);
    const refresh = await postToken(
      sandbox.info,
      {
        grant_type: 'refresh_token',
        client_id: 'linkboard-desktop',
        refresh_token: exchange.body.refresh_token as string,
      },
      { origin: 'https://evil.example' },
    );
    expect(refresh.headers.get('access-control-allow-origin')).toBeNull();
  });
});
