import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../src/index.js';
import {
  clientCredentials,
  exchangeCode,
  postToken,
  signInForCode,
} from '@linkboard/testing/headless-sign-in';
import { getUser, managementToken, type IdentityEntry } from './support/management.js';

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    managementRateLimit: { limit: 1000, windowSeconds: 60 },
  });
});
afterAll(async () => {
  await sandbox?.close();
});

describe('client credentials', () => {
  it('gives each M2M client a Management API token with the scopes it was granted', async () => {
    const jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', sandbox.url));
    for (const [client, scope] of [
      ['m2m', 'read:users read:user_idp_tokens'],
      ['m2mLimited', 'read:users'],
    ] as const) {
      const credentials = sandbox.info[client];
      const { status, body } = await clientCredentials(sandbox.info, credentials);
      expect(status).toBe(200);
      expect(body).toMatchObject({ token_type: 'Bearer', scope, expires_in: 86_400 });
      expect(Object.keys(body).sort()).toEqual([
        'access_token',
        'expires_in',
        'scope',
        'token_type',
      ]);
      const token = body.access_token as string;
      expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
      const { payload } = await jwtVerify(token, jwks, {
        issuer: sandbox.info.issuer,
        audience: sandbox.info.managementAudience,
        algorithms: ['RS256'],
      });
      expect(payload).toMatchObject({
        sub: `${credentials.clientId}@clients`,
        gty: 'client-credentials',
        azp: credentials.clientId,
        scope,
      });
    }
  });

  it('accepts JSON bodies and HTTP Basic client authentication like Auth0', async () => {
    const json = await fetch(`${sandbox.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: sandbox.info.m2m.clientId,
        client_secret: sandbox.info.m2m.clientSecret,
        audience: sandbox.info.managementAudience,
      }),
    });
    expect(json.status).toBe(200);
    const basic = await fetch(`${sandbox.url}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${sandbox.info.m2mLimited.clientId}:${sandbox.info.m2mLimited.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        audience: sandbox.info.managementAudience,
      }),
    });
    expect(basic.status).toBe(200);
    expect(await basic.json()).toMatchObject({ scope: 'read:users' });
  });

  it('does not give the limited client a scope it was not granted, nor any client an unknown audience', async () => {
    const limited = await clientCredentials(
      sandbox.info,
      sandbox.info.m2mLimited,
      sandbox.info.managementAudience,
      {
        scope: 'read:users read:user_idp_tokens',
      },
    );
    expect(limited.body.scope).toBe('read:users');
    const unknown = await clientCredentials(
      sandbox.info,
      sandbox.info.m2m,
      'https://not-an-api.example/',
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ error: 'invalid_target' });
    const brokerApi = await clientCredentials(
      sandbox.info,
      sandbox.info.m2m,
      sandbox.info.brokerAudience,
    );
    expect(brokerApi.status).toBe(400);
  });

  it('gives the limited client an M2M token for the broker API, so the broker can show it refuses one', async () => {
    const jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', sandbox.url));
    const { status, body } = await clientCredentials(
      sandbox.info,
      sandbox.info.m2mLimited,
      sandbox.info.brokerAudience,
    );
    expect(status).toBe(200);
    expect(body.scope).toBe('read:linked_accounts');
    const { payload } = await jwtVerify(body.access_token as string, jwks, {
      issuer: sandbox.info.issuer,
      audience: sandbox.info.brokerAudience,
    });
    expect(payload).toMatchObject({ gty: 'client-credentials', sub: 'linkboard-limited@clients' });
  });

  it('refuses client credentials to the public desktop client, as Auth0 does', async () => {
    // A public client has no secret: sending one fails client authentication.
    const withSecret = await clientCredentials(sandbox.info, {
      clientId: 'linkboard-desktop',
      clientSecret: 'x',
    });
    expect(withSecret.status).toBe(401);
    expect(withSecret.body).toEqual({ error: 'access_denied', error_description: 'Unauthorized' });
    const withoutSecret = await postToken(sandbox.info, {
      grant_type: 'client_credentials',
      client_id: 'linkboard-desktop',
      audience: sandbox.info.brokerAudience,
    });
    expect(withoutSecret.status).toBe(403);
    expect(withoutSecret.body).toEqual({
      error: 'unauthorized_client',
      error_description: "Grant type 'client_credentials' not allowed for the client.",
    });
  });
});

describe('GET /api/v2/users/{id}', () => {
  it('with read:user_idp_tokens, hands out the IdP tokens; without it, only the identities', async () => {
    const full = await getUser(
      sandbox.info,
      'auth0|alice',
      await managementToken(sandbox.info, 'm2m'),
    );
    expect(full.status).toBe(200);
    const alice = (await full.json()) as {
      user_id: string;
      email: string;
      identities: IdentityEntry[];
    };
    expect(alice).toMatchObject({
      user_id: 'auth0|alice',
      email: 'alice@example.com',
      name: 'Alice Example',
    });
    const byConnection = Object.fromEntries(
      alice.identities.map((identity) => [identity.connection, identity]),
    );
    expect(byConnection.github).toMatchObject({
      provider: 'github',
      isSocial: true,
      user_id: '5810001',
    });
    expect(byConnection.github?.access_token).toMatch(/^gho_/);
    expect(byConnection.github?.profileData).toMatchObject({ login: 'alice-example' });
    expect(byConnection['google-oauth2']?.access_token).toMatch(/^ya29\./);
    expect(byConnection['google-oauth2']?.refresh_token).toBeTruthy();
    expect(byConnection['google-oauth2']?.expires_in).toBeGreaterThan(3000);
    expect(byConnection['Username-Password-Authentication']).toMatchObject({
      provider: 'auth0',
      isSocial: false,
    });

    const limited = await getUser(
      sandbox.info,
      'auth0|alice',
      await managementToken(sandbox.info, 'm2mLimited'),
    );
    expect(limited.status).toBe(200);
    const withoutTokens = (await limited.json()) as { identities: IdentityEntry[] };
    expect(withoutTokens.identities.map((identity) => identity.connection)).toEqual(
      alice.identities.map((identity) => identity.connection),
    );
    for (const identity of withoutTokens.identities) {
      expect(identity).not.toHaveProperty('access_token');
      expect(identity).not.toHaveProperty('refresh_token');
      expect(identity).not.toHaveProperty('expires_in');
    }
  });

  it('describes each seeded case: expired GitHub token, nothing linked, expired Google token with a refresh token', async () => {
    const token = await managementToken(sandbox.info);
    const identitiesOf = async (id: string) =>
      ((await (await getUser(sandbox.info, id, token)).json()) as { identities: IdentityEntry[] })
        .identities;
    const bob = await identitiesOf('auth0|bob');
    expect(bob.map((identity) => identity.connection)).toEqual([
      'Username-Password-Authentication',
      'github',
      'windowslive',
    ]);
    expect(
      bob.find((identity) => identity.connection === 'windowslive')?.expires_in,
    ).toBeGreaterThan(0);
    expect((await identitiesOf('auth0|carol')).map((identity) => identity.connection)).toEqual([
      'Username-Password-Authentication',
    ]);
    const daveGoogle = (await identitiesOf('auth0|dave')).find(
      (identity) => identity.connection === 'google-oauth2',
    );
    expect(daveGoogle?.expires_in).toBe(0);
    expect(daveGoogle?.refresh_token).toBeTruthy();
  });

  it('supports fields and include_fields', async () => {
    const token = await managementToken(sandbox.info);
    const only = await (
      await getUser(
        sandbox.info,
        'auth0|bob',
        token,
        '?fields=user_id,identities&include_fields=true',
      )
    ).json();
    expect(Object.keys(only as object).sort()).toEqual(['identities', 'user_id']);
    const without = (await (
      await getUser(sandbox.info, 'auth0|bob', token, '?fields=identities&include_fields=false')
    ).json()) as object;
    expect(without).not.toHaveProperty('identities');
    expect(without).toHaveProperty('email', 'bob@example.com');
  });

  it('answers 401 in Auth0 shape without a valid Management token', async () => {
    const signIn = await signInForCode(sandbox.info, 'alice');
    const userToken = (await exchangeCode(sandbox.info, signIn)).body.access_token as string;
    for (const token of [undefined, 'not-a-jwt', userToken]) {
      const response = await getUser(sandbox.info, 'auth0|alice', token);
      expect(response.status).toBe(401);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toMatchObject({
        statusCode: 401,
        error: 'Unauthorized',
        errorCode: 'invalid_token',
      });
      expect(typeof body.message).toBe('string');
      expect(response.headers.get('x-ratelimit-limit')).toBe('1000');
    }
  });

  it('answers 403 insufficient_scope for a token without read:users, and 404 for an unknown user', async () => {
    // A Management token whose scope lacks read:users: the limited client asks for a scope it does not have.
    const { body } = await clientCredentials(
      sandbox.info,
      sandbox.info.m2mLimited,
      sandbox.info.managementAudience,
      {
        scope: 'read:user_idp_tokens',
      },
    );
    expect(body.scope).toBeUndefined();
    const forbidden = await getUser(sandbox.info, 'auth0|alice', body.access_token as string);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'Insufficient scope, expected any of: read:users',
      errorCode: 'insufficient_scope',
    });

    const missing = await getUser(
      sandbox.info,
      'auth0|nobody',
      await managementToken(sandbox.info),
    );
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ statusCode: 404, errorCode: 'inexistent_user' });
  });
});

describe('rate limiting', () => {
  it('puts x-ratelimit-limit, -remaining and -reset on every answer: 200, 400, 401, 403 and 404', async () => {
    const limited = await startSandbox({
      port: 0,
      managementRateLimit: { limit: 50, windowSeconds: 60 },
    });
    try {
      const full = await managementToken(limited.info);
      const { body: noReadUsers } = await clientCredentials(
        limited.info,
        limited.info.m2mLimited,
        limited.info.managementAudience,
        { scope: 'read:user_idp_tokens' },
      );
      const answers = [
        { status: 200, response: await getUser(limited.info, 'auth0|alice', full) },
        {
          status: 400,
          // A user id whose percent-encoding is broken.
          response: await fetch(`${limited.info.domain}/api/v2/users/auth0%7C%E0%A4%A`, {
            headers: { authorization: `Bearer ${full}` },
          }),
        },
        { status: 401, response: await getUser(limited.info, 'auth0|alice', undefined) },
        { status: 401, response: await getUser(limited.info, 'auth0|alice', 'not-a-jwt') },
        {
          status: 403,
          response: await getUser(limited.info, 'auth0|alice', noReadUsers.access_token as string),
        },
        { status: 404, response: await getUser(limited.info, 'auth0|nobody', full) },
        {
          status: 404,
          response: await fetch(`${limited.info.domain}/api/v2/clients`, {
            headers: { authorization: `Bearer ${full}` },
          }),
        },
      ];
      const now = Date.now() / 1000;
      let previousRemaining = 50;
      for (const { status, response } of answers) {
        const label = `${status} ${response.url}`;
        expect(response.status, label).toBe(status);
        expect(response.headers.get('x-ratelimit-limit'), label).toBe('50');
        const remaining = Number(response.headers.get('x-ratelimit-remaining'));
        // Each answer, refusals included, counts against the limit, as Auth0's do.
        expect(remaining, label).toBe(previousRemaining - 1);
        previousRemaining = remaining;
        const reset = Number(response.headers.get('x-ratelimit-reset'));
        expect(Number.isInteger(reset), label).toBe(true);
        expect(reset, label).toBeGreaterThan(now - 1);
        expect(reset, label).toBeLessThanOrEqual(now + 61);
        if (status !== 200) {
          expect(await response.json(), label).toMatchObject({ statusCode: status });
        }
      }
    } finally {
      await limited.close();
    }
  });

  it('counts down x-ratelimit-remaining and answers 429 with retry-after over the limit', async () => {
    const limited = await startSandbox({
      port: 0,
      managementRateLimit: { limit: 3, windowSeconds: 60 },
    });
    try {
      const token = await managementToken(limited.info);
      const seen: { status: number; remaining: string | null; reset: string | null }[] = [];
      for (let attempt = 0; attempt < 4; attempt += 1) {
        const response = await getUser(limited.info, 'auth0|carol', token);
        seen.push({
          status: response.status,
          remaining: response.headers.get('x-ratelimit-remaining'),
          reset: response.headers.get('x-ratelimit-reset'),
        });
        if (response.status === 429) {
          expect(await response.json()).toMatchObject({
            statusCode: 429,
            error: 'Too Many Requests',
            errorCode: 'too_many_requests',
          });
          expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
          expect(response.headers.get('x-ratelimit-limit')).toBe('3');
        }
      }
      expect(seen.map((entry) => entry.status)).toEqual([200, 200, 200, 429]);
      expect(seen.map((entry) => entry.remaining)).toEqual(['2', '1', '0', '0']);
      const reset = Number(seen[0]?.reset);
      expect(reset).toBeGreaterThan(Date.now() / 1000);
      expect(reset).toBeLessThanOrEqual(Date.now() / 1000 + 61);
    } finally {
      await limited.close();
    }
  });
});
