import { IssuedIdpTokens } from '../src/control-schemas.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox, type SandboxStats } from '../src/index.js';
import { clientCredentials } from '@linkboard/testing/headless-sign-in';
import { getUser, idpToken, managementToken } from './support/management.js';

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => {
  await sandbox?.close();
});
beforeEach(async () => {
  await control('POST', '/_sandbox/reset');
});

async function control(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

const stats = async (): Promise<SandboxStats> =>
  (await control('GET', '/_sandbox/stats')).body as SandboxStats;

describe('GET /_sandbox/stats', () => {
  it('counts grants by type, Management user reads and IdP calls by connection', async () => {
    expect(await stats()).toEqual({
      grants: { authorization_code: 0, refresh_token: 0, client_credentials: 0 },
      managementGetUser: 0,
      idpCalls: { github: 0, 'google-oauth2': 0, windowslive: 0, bitbucket: 0 },
      tokenVaultExchanges: { github: 0, 'google-oauth2': 0, windowslive: 0, bitbucket: 0 },
    });
    const alice = await idpToken(sandbox.info, 'auth0|alice', 'github'); // 1 client_credentials + 1 user read
    await fetch(`${sandbox.info.idpBaseUrls.github}/user`, {
      headers: { authorization: `Bearer ${alice.access_token}` },
    });
    await fetch(`${sandbox.info.idpBaseUrls.github}/user/repos`, {
      headers: { authorization: `Bearer ${alice.access_token}` },
    });
    await fetch(`${sandbox.info.idpBaseUrls.windowslive}/v1.0/me`);
    await clientCredentials(sandbox.info, sandbox.info.m2mLimited);
    expect(await stats()).toEqual({
      grants: { authorization_code: 0, refresh_token: 0, client_credentials: 2 },
      managementGetUser: 1,
      idpCalls: { github: 2, 'google-oauth2': 0, windowslive: 1, bitbucket: 0 },
      tokenVaultExchanges: { github: 0, 'google-oauth2': 0, windowslive: 0, bitbucket: 0 },
    });
  });
});

describe('POST /_sandbox/faults', () => {
  it('makes the next token requests fail with 429 and Retry-After, then lets them through', async () => {
    const injected = await control('POST', '/_sandbox/faults', {
      target: 'token',
      kind: 'status',
      status: 429,
      count: 2,
      retryAfterSeconds: 7,
    });
    expect(injected.status).toBe(201);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const response = await fetch(`${sandbox.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: sandbox.info.m2m.clientId,
          client_secret: sandbox.info.m2m.clientSecret,
          audience: sandbox.info.managementAudience,
        }),
      });
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('7');
      expect(await response.json()).toMatchObject({ error: 'too_many_requests' });
    }
    expect((await clientCredentials(sandbox.info, sandbox.info.m2m)).status).toBe(200);
    expect((await stats()).grants.client_credentials).toBe(3);
  });

  it('fails Management API, JWKS and IdP requests in each service’s own error shape', async () => {
    const token = await managementToken(sandbox.info);
    const github = await idpToken(sandbox.info, 'auth0|alice', 'github');
    await control('POST', '/_sandbox/faults', {
      target: 'management',
      kind: 'status',
      status: 429,
    });
    await control('POST', '/_sandbox/faults', { target: 'jwks', kind: 'status', status: 503 });
    await control('POST', '/_sandbox/faults', {
      target: 'idp:github',
      kind: 'status',
      status: 502,
    });
    await control('POST', '/_sandbox/faults', {
      target: 'idp:google-oauth2',
      kind: 'status',
      status: 500,
    });
    await control('POST', '/_sandbox/faults', {
      target: 'idp:windowslive',
      kind: 'status',
      status: 429,
    });

    const management = await getUser(sandbox.info, 'auth0|alice', token);
    expect(management.status).toBe(429);
    expect(management.headers.get('retry-after')).toBe('1');
    expect(management.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(await management.json()).toMatchObject({
      statusCode: 429,
      error: 'Too Many Requests',
      errorCode: 'too_many_requests',
    });
    expect((await getUser(sandbox.info, 'auth0|alice', token)).status).toBe(200);

    const jwks = await fetch(`${sandbox.url}/.well-known/jwks.json`);
    expect(jwks.status).toBe(503);
    expect((await fetch(`${sandbox.url}/.well-known/jwks.json`)).status).toBe(200);

    const githubAnswer = await fetch(`${sandbox.info.idpBaseUrls.github}/user`, {
      headers: { authorization: `Bearer ${github.access_token}` },
    });
    expect(githubAnswer.status).toBe(502);
    expect(await githubAnswer.json()).toHaveProperty('message');
    const googleAnswer = await fetch(
      `${sandbox.info.idpBaseUrls['google-oauth2']}/oauth2/v3/userinfo`,
    );
    expect(googleAnswer.status).toBe(500);
    expect(await googleAnswer.json()).toMatchObject({ error: { code: 500 } });
    const graphAnswer = await fetch(`${sandbox.info.idpBaseUrls.windowslive}/v1.0/me`);
    expect(graphAnswer.status).toBe(429);
    expect(await graphAnswer.json()).toMatchObject({ error: { code: 'TooManyRequests' } });
    expect((await control('GET', '/_sandbox/faults')).body).toEqual({ pending: [] });
  });

  it('fails Google’s token endpoint on its own target, leaving the Google APIs alone', async () => {
    await control('POST', '/_sandbox/faults', {
      target: 'idp-token:google-oauth2',
      kind: 'status',
      status: 503,
    });
    const api = await fetch(`${sandbox.info.idpBaseUrls['google-oauth2']}/oauth2/v3/userinfo`);
    expect(api.status).toBe(401);
    const token = await fetch(`${sandbox.info.idpBaseUrls['google-oauth2']}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=refresh_token',
    });
    expect(token.status).toBe(503);
    expect(token.headers.get('retry-after')).toBe('1');
    expect(await token.json()).toMatchObject({ error: 'server_error' });
  });

  it('delays a request, or resets its connection', async () => {
    const github = await idpToken(sandbox.info, 'auth0|alice', 'github');
    await control('POST', '/_sandbox/faults', {
      target: 'idp:github',
      kind: 'delay',
      delayMs: 300,
    });
    const started = performance.now();
    const delayed = await fetch(`${sandbox.info.idpBaseUrls.github}/user`, {
      headers: { authorization: `Bearer ${github.access_token}` },
    });
    expect(delayed.status).toBe(200);
    // A lower bound only: the answer cannot come before the injected delay.
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);

    await control('POST', '/_sandbox/faults', { target: 'management', kind: 'reset' });
    await expect(getUser(sandbox.info, 'auth0|alice', undefined)).rejects.toThrow();
    expect((await getUser(sandbox.info, 'auth0|alice', undefined)).status).toBe(401);
  });

  it('refuses a malformed fault', async () => {
    for (const bad of [
      { target: 'nowhere', kind: 'status' },
      { target: 'token', kind: 'explode' },
      { target: 'token', kind: 'status', status: 200 },
    ]) {
      expect((await control('POST', '/_sandbox/faults', bad)).status).toBe(400);
    }
  });
});

describe('POST /_sandbox/idp-tokens', () => {
  it('rotates a stored IdP token (the old one is refused, the new one is handed out) or expires it', async () => {
    const github = (token: string | undefined) =>
      fetch(`${sandbox.info.idpBaseUrls.github}/user`, {
        headers: { authorization: `Bearer ${token ?? ''}` },
      });
    const before = await idpToken(sandbox.info, 'auth0|alice', 'github');
    expect((await github(before.access_token)).status).toBe(200);

    expect(
      (
        await control('POST', '/_sandbox/idp-tokens', {
          userId: 'auth0|alice',
          connection: 'github',
          action: 'rotate',
        })
      ).status,
    ).toBe(200);
    const after = await idpToken(sandbox.info, 'auth0|alice', 'github');
    expect(after.access_token).not.toBe(before.access_token);
    expect((await github(before.access_token)).status).toBe(401);
    expect((await github(after.access_token)).status).toBe(200);

    expect(
      (
        await control('POST', '/_sandbox/idp-tokens', {
          userId: 'auth0|alice',
          connection: 'github',
          action: 'expire',
        })
      ).status,
    ).toBe(200);
    expect((await github(after.access_token)).status).toBe(401);

    // Bob signs in to GitHub again: his expired token is replaced by a working one.
    expect(
      (
        await control('POST', '/_sandbox/idp-tokens', {
          userId: 'auth0|bob',
          connection: 'github',
          action: 'rotate',
        })
      ).status,
    ).toBe(200);
    expect(
      (await github((await idpToken(sandbox.info, 'auth0|bob', 'github')).access_token)).status,
    ).toBe(200);

    expect(
      (
        await control('POST', '/_sandbox/idp-tokens', {
          userId: 'auth0|carol',
          connection: 'github',
          action: 'rotate',
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await control('POST', '/_sandbox/idp-tokens', {
          userId: 'auth0|alice',
          connection: 'myspace',
          action: 'rotate',
        })
      ).status,
    ).toBe(400);
  });
});

describe('GET /_sandbox/idp-tokens', () => {
  const issued = async () => {
    const { status, body } = await control('GET', '/_sandbox/idp-tokens');
    expect(status).toBe(200);
    return IssuedIdpTokens.parse(body).tokens;
  };

  it('lists every IdP token seeded or issued in this run, including those the Management API never hands out', async () => {
    const start = await issued();
    // Every token the Management API hands out is listed, with its user and connection.
    for (const user of sandbox.info.users) {
      for (const connection of user.connections) {
        const stored = await idpToken(sandbox.info, user.id, connection);
        expect(start).toContainEqual(
          expect.objectContaining({
            kind: 'access_token',
            value: stored.access_token,
            connection,
            userId: user.id,
          }),
        );
        if (stored.refresh_token) {
          expect(start).toContainEqual(
            expect.objectContaining({
              kind: 'refresh_token',
              value: stored.refresh_token,
              connection,
              userId: user.id,
            }),
          );
        }
      }
    }
    // Shaped like each IdP's own tokens, so shape scanners find them too.
    for (const token of start) {
      const shape =
        token.kind === 'access_token'
          ? {
              github: /^gho_/,
              'google-oauth2': /^ya29\./,
              windowslive: /^EwB/,
              bitbucket: /^bbsandbox-at-/,
            }
          : {
              github: /^ghr_/,
              'google-oauth2': /^1\/\/0/,
              windowslive: /^M\.C/,
              bitbucket: /^bbsandbox-rt-/,
            };
      expect(token.value).toMatch(shape[token.connection as keyof typeof shape]);
    }

    // Dave's Google token refreshed at Google's token endpoint (as the broker does): the new access
    // token is not in the Management API, but is listed here.
    const dave = await idpToken(sandbox.info, 'auth0|dave', 'google-oauth2');
    const refreshed = await fetch(`${sandbox.info.idpBaseUrls['google-oauth2']}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: dave.refresh_token ?? '',
        client_id: sandbox.info.google.clientId,
        client_secret: sandbox.info.google.clientSecret,
      }),
    });
    expect(refreshed.status).toBe(200);
    const minted = ((await refreshed.json()) as { access_token: string }).access_token;
    expect((await idpToken(sandbox.info, 'auth0|dave', 'google-oauth2')).access_token).not.toBe(
      minted,
    );

    // A re-sign-in replaces Alice's stored GitHub token: old and new are both listed.
    const aliceBefore = (await idpToken(sandbox.info, 'auth0|alice', 'github')).access_token;
    await control('POST', '/_sandbox/idp-tokens', {
      userId: 'auth0|alice',
      connection: 'github',
      action: 'rotate',
    });
    const aliceAfter = (await idpToken(sandbox.info, 'auth0|alice', 'github')).access_token;

    // Reset clears stats and faults, not the record of what was issued.
    await control('POST', '/_sandbox/reset');
    const now = await issued();
    expect(now).toContainEqual({
      kind: 'access_token',
      value: minted,
      connection: 'google-oauth2',
      userId: 'auth0|dave',
      source: 'refresh',
    });
    expect(now).toContainEqual(
      expect.objectContaining({ value: aliceBefore, userId: 'auth0|alice' }),
    );
    expect(now).toContainEqual({
      kind: 'access_token',
      value: aliceAfter,
      connection: 'github',
      userId: 'auth0|alice',
      source: 'rotate',
    });
    expect(now.slice(0, start.length)).toEqual(start);
  });
});

describe('POST /_sandbox/reset', () => {
  it('clears stats and pending faults', async () => {
    await clientCredentials(sandbox.info, sandbox.info.m2m);
    await control('POST', '/_sandbox/faults', {
      target: 'token',
      kind: 'status',
      status: 500,
      count: 5,
    });
    expect(
      ((await control('GET', '/_sandbox/faults')).body as { pending: unknown[] }).pending,
    ).toHaveLength(1);
    expect((await control('POST', '/_sandbox/reset')).status).toBe(200);
    expect((await stats()).grants.client_credentials).toBe(0);
    expect((await control('GET', '/_sandbox/faults')).body).toEqual({ pending: [] });
    expect((await clientCredentials(sandbox.info, sandbox.info.m2m)).status).toBe(200);
  });
});

describe('without control endpoints', () => {
  it('answers 404 on /_sandbox/*', async () => {
    const closed = await startSandbox({ port: 0, control: false });
    try {
      for (const [method, path] of [
        ['GET', '/_sandbox/stats'],
        ['POST', '/_sandbox/faults'],
        ['POST', '/_sandbox/reset'],
        ['GET', '/_sandbox/idp-tokens'],
      ] as const) {
        const response = await fetch(`${closed.url}${path}`, {
          method,
          body: method === 'POST' ? '{}' : undefined,
        });
        expect(response.status).toBe(404);
      }
    } finally {
      await closed.close();
    }
  });
});
