import { changeIdpToken } from '@linkboard/sandbox/control-client';
import { connect } from 'node:net';
import { SignJWT, decodeJwt } from 'jose';
import {
  IdentitiesResponse,
  Problem,
  ProvidersResponse,
  type LinkedIdentity,
} from '@linkboard/contract';
import { linkTarget } from '@linkboard/contract/link-header';
import { IssuedIdpTokens } from '@linkboard/sandbox/control';
import { clientCredentialsToken } from '@linkboard/testing/client-credentials';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sendJson, startLocalServer } from './support/local-server.js';
import { newCacheKey } from './support/cache-key.js';
import { findLeaks, ObservedOutput } from './support/leak-scan.js';
import { redisUnavailableReason, startRedis } from './support/redis-server.js';
import { signIn } from './support/sign-in.js';
import {
  callBroker as rawCall,
  rawBrokerRequest,
  startStack,
  type BrokerHandle,
  type Stack,
} from './support/stack.js';
import {
  makeKey,
  signAccessToken,
  unsignedToken,
  type TokenOptions,
} from './support/token-factory.js';

/**
 * The broker against the running sandbox tenant: real sign-in tokens, real Management API, real
 * emulated IdP APIs, counted by the sandbox's `/_sandbox/stats`.
 */
let stack: Stack;
let broker: BrokerHandle;
const observed = new ObservedOutput();
type SeededUsername = 'alice' | 'bob' | 'carol' | 'dave' | 'frank';
const token = {} as Record<SeededUsername, string>;

async function call(
  path: string,
  accessToken: string | undefined,
  init: RequestInit = {},
  base = broker.url,
) {
  const response = await rawCall(base, path, accessToken, init);
  observed.add(`${response.status} ${JSON.stringify([...response.headers])} ${response.text}`);
  return response;
}

function problemOf(response: { headers: Headers; json: () => unknown }) {
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  return Problem.parse(response.json());
}

function nextLink(headers: Headers): string | undefined {
  const link = headers.get('link');
  return link ? /<([^>]+)>;\s*rel="next"/.exec(link)?.[1] : undefined;
}

beforeAll(async () => {
  stack = await startStack();
  broker = await stack.startBroker();
  for (const user of ['alice', 'bob', 'carol', 'dave', 'frank'] as const)
    token[user] = await stack.tokenFor(user);
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

describe('identities and providers', () => {
  const byConnection = (identities: LinkedIdentity[]) =>
    Object.fromEntries(identities.map((identity) => [identity.connection, identity]));

  it("lists alice's linked identities with a status and profile, never a token", async () => {
    const response = await call('/v1/me/identities', token.alice);
    expect(response.status).toBe(200);
    const { identities } = IdentitiesResponse.parse(response.json());
    const map = byConnection(identities);
    expect(map.github).toMatchObject({
      provider: 'github',
      supported: true,
      status: 'ready',
      profile: { login: 'alice-example' },
    });
    expect(map['google-oauth2']).toMatchObject({
      supported: true,
      status: 'ready',
      profile: { email: 'alice.example@gmail.com' },
    });
    expect(map['Username-Password-Authentication']).toMatchObject({
      supported: false,
      status: 'token_unavailable',
    });
    expect(response.text).not.toMatch(/access_token|refresh_token|expires_in/);
  });

  it('says which identities need reconnecting, and which can be refreshed', async () => {
    const bob = byConnection(
      IdentitiesResponse.parse((await call('/v1/me/identities', token.bob)).json()).identities,
    );
    expect(bob.github?.status).toBe('reconnect_required');
    expect(bob.windowslive?.status).toBe('ready');
    const dave = byConnection(
      IdentitiesResponse.parse((await call('/v1/me/identities', token.dave)).json()).identities,
    );
    expect(dave['google-oauth2']?.status).toBe('ready');
    const carol = IdentitiesResponse.parse(
      (await call('/v1/me/identities', token.carol)).json(),
    ).identities;
    expect(carol.filter((identity) => identity.isSocial)).toEqual([]);
  });

  it('offers nothing to connect from the app: accounts are linked in the tenant in this mode', async () => {
    const answer = (await call('/v1/me/identities', token.bob)).json() as Record<string, unknown>;
    expect(answer.connectable).toEqual([]);
  });

  it('gives the provider catalogue with its views to a signed-in caller only', async () => {
    expect((await call('/v1/providers', undefined)).status).toBe(401);
    const response = await call('/v1/providers', token.carol);
    const { providers } = ProvidersResponse.parse(response.json());
    const views = Object.fromEntries(
      providers.map((p) => [p.connection, p.views.map((v) => v.id)]),
    );
    expect(views).toEqual({
      github: ['profile', 'repositories', 'organisations', 'starred'],
      'google-oauth2': ['profile', 'calendars', 'upcoming-events'],
      windowslive: ['profile', 'messages'],
      bitbucket: ['profile', 'repositories'],
    });
    expect(response.text).not.toContain('127.0.0.1');
  });
});

describe('each user reaches only their own identities (rule 6)', () => {
  const asBob = {
    'x-user-id': 'auth0|bob',
    'x-auth0-user-id': 'auth0|bob',
    'x-forwarded-user': 'auth0|bob',
  };

  it("answers with alice's data whatever user id a parameter or header names", async () => {
    const fresh = await stack.startBroker();
    const aliceNamingBob = (path: string) => call(path, token.alice, { headers: asBob }, fresh.url);
    const before = await stack.stats();
    const identities = await aliceNamingBob(
      '/v1/me/identities?user_id=auth0%7Cbob&sub=auth0%7Cbob&userId=auth0%7Cbob',
    );
    expect(identities.status).toBe(200);
    const connections = IdentitiesResponse.parse(identities.json()).identities.map(
      (identity) => identity.connection,
    );
    // Bob has Microsoft linked and alice has not.
    expect(connections).toContain('google-oauth2');
    expect(connections).not.toContain('windowslive');
    expect(identities.text).not.toMatch(/bob/i);

    const github = await aliceNamingBob('/v1/idp/github/user');
    expect(github.status).toBe(200);
    expect((github.json() as { login: string }).login).toBe('alice-example');
    // A query naming bob is refused outright: no catalogued call takes a user parameter.
    const named = await aliceNamingBob('/v1/idp/github/user?user=auth0|bob&user_id=auth0%7Cbob');
    expect(named.status).toBe(400);
    expect(problemOf(named).code).toBe('invalid_request');
    const graph = await aliceNamingBob('/v1/idp/windowslive/v1.0/me?$select=id');
    expect(graph.status).toBe(404);
    expect(problemOf(graph).code).toBe('identity_not_linked');

    // The fresh broker read one user from the Management API (alice), and audited alice only.
    const after = await stack.stats();
    expect(after.managementGetUser - before.managementGetUser).toBe(1);
    expect(after.idpCalls.windowslive).toBe(before.idpCalls.windowslive);
    const audited = fresh.logLines
      .map((line) => JSON.parse(line) as { audit?: string; user?: string })
      .filter((entry) => entry.audit === 'idp_call')
      .map((entry) => entry.user);
    expect(audited).toEqual(['auth0|alice', 'auth0|alice', 'auth0|alice']);
    await fresh.close();
  });
});

describe('the proxy', () => {
  it('serves every provider view for the seeded users', async () => {
    const { providers } = ProvidersResponse.parse(
      (await call('/v1/providers', token.alice)).json(),
    );
    const users: Record<string, SeededUsername> = {
      github: 'alice',
      'google-oauth2': 'alice',
      windowslive: 'bob',
      bitbucket: 'frank',
    };
    for (const provider of providers) {
      for (const view of provider.views) {
        const query = new URLSearchParams(
          Object.entries(view.query).map(([k, v]): [string, string] => [
            k,
            v === '{{now}}' ? new Date().toISOString() : v,
          ]),
        );
        const path = `/v1/idp/${provider.connection}${view.path}${query.size ? `?${query}` : ''}`;
        const response = await call(path, token[users[provider.connection]!]);
        expect(response.status, `${provider.connection} ${view.id}`).toBe(200);
        const body = response.json() as Record<string, unknown>;
        const items = view.itemsPath ? body[view.itemsPath] : body;
        if (view.kind === 'list')
          expect(Array.isArray(items), `${provider.connection} ${view.id}`).toBe(true);
        else expect(typeof body).toBe('object');
      }
    }
  });

  it('walks GitHub pages through broker links and gets every repository exactly once', async () => {
    const all = (
      await call('/v1/idp/github/user/repos?per_page=100', token.alice)
    ).json() as Array<{ id: number }>;
    expect(all.length).toBeGreaterThanOrEqual(40);
    const seen: number[] = [];
    let path: string | undefined = '/v1/idp/github/user/repos?per_page=7';
    for (let page = 0; path && page < 20; page += 1) {
      expect(path.startsWith('/v1/idp/github/')).toBe(true);
      const response = await call(path, token.alice);
      expect(response.status).toBe(200);
      expect(response.headers.get('link') ?? '').not.toMatch(/127\.0\.0\.1|_idp/);
      seen.push(...(response.json() as Array<{ id: number }>).map((repo) => repo.id));
      path = nextLink(response.headers);
    }
    expect(path).toBeUndefined();
    expect(seen).toHaveLength(new Set(seen).size);
    expect(new Set(seen)).toEqual(new Set(all.map((repo) => repo.id)));
  });

  it('walks Microsoft Graph pages through the broker (@odata.nextLink)', async () => {
    let path: string | undefined = '/v1/idp/windowslive/v1.0/me/messages?$top=3';
    const ids: string[] = [];
    let pages = 0;
    for (; path && pages < 50; pages += 1) {
      const response = await call(path, token.bob);
      expect(response.status).toBe(200);
      const body = response.json() as { value: Array<{ id: string }>; '@odata.nextLink'?: string };
      ids.push(...body.value.map((message) => message.id));
      const next = nextLink(response.headers);
      expect(body['@odata.nextLink']).toBe(next);
      path = next;
    }
    expect(pages).toBeGreaterThan(1);
    expect(ids).toHaveLength(new Set(ids).size);
  });

  it('walks Google pages through the broker (nextPageToken → pageToken)', async () => {
    let path: string | undefined =
      `/v1/idp/google-oauth2/calendar/v3/calendars/primary/events?maxResults=2&singleEvents=true&orderBy=startTime&timeMin=${encodeURIComponent('2000-01-01T00:00:00Z')}`;
    const ids: string[] = [];
    let pages = 0;
    for (; path && pages < 50; pages += 1) {
      const response = await call(path, token.alice);
      expect(response.status).toBe(200);
      ids.push(
        ...(response.json() as { items: Array<{ id: string }> }).items.map((event) => event.id),
      );
      path = nextLink(response.headers);
      if (path)
        expect(path).toMatch(
          /^\/v1\/idp\/google-oauth2\/calendar\/v3\/calendars\/primary\/events\?.*pageToken=/,
        );
    }
    expect(pages).toBeGreaterThan(1);
    expect(ids).toHaveLength(new Set(ids).size);
  });

  it('passes a repeatable parameter on with each of its values', async () => {
    const events =
      '/v1/idp/google-oauth2/calendar/v3/calendars/primary/events?maxResults=2&eventTypes=default&eventTypes=focusTime';
    const response = await call(events, token.alice);
    expect(response.status).toBe(200);
    expect((response.json() as { items: unknown[] }).items.length).toBeGreaterThan(0);
  });

  it('picks the identity by connection for a user with two', async () => {
    const github = (await call('/v1/idp/github/user', token.alice)).json() as { login: string };
    const google = (await call('/v1/idp/google-oauth2/oauth2/v3/userinfo', token.alice)).json() as {
      email: string;
    };
    expect(github.login).toBe('alice-example');
    expect(google.email).toBe('alice.example@gmail.com');
  });

  it('serves the read-only calls SDKs browse with: users by name, rate limit, contents, userinfo v2', async () => {
    const user = (await call('/v1/idp/github/users/alice-example', token.alice)).json();
    expect(user).toMatchObject({ login: 'alice-example' });
    const rate = (await call('/v1/idp/github/rate_limit', token.alice)).json() as {
      resources: { core: { limit: number; remaining: number } };
    };
    expect(rate.resources.core.limit).toBe(5000);
    const repos = (
      await call('/v1/idp/github/user/repos?per_page=1', token.alice)
    ).json() as Array<{
      full_name: string;
    }>;
    const repo = `/v1/idp/github/repos/${repos[0]!.full_name}`;
    const root = (await call(`${repo}/contents?ref=main`, token.alice)).json() as Array<{
      path: string;
      type: string;
    }>;
    expect(root.map(({ path, type }) => `${type} ${path}`).sort()).toEqual([
      'dir docs',
      'file README.md',
    ]);
    // A nested path arrives as segments and reaches GitHub with its slashes.
    const file = (await call(`${repo}/contents/docs/setup.md`, token.alice)).json() as {
      path: string;
      encoding: string;
      content: string;
    };
    expect(file).toMatchObject({ path: 'docs/setup.md', encoding: 'base64' });
    expect(Buffer.from(file.content, 'base64').toString()).toMatch(/^# Setting up /);
    const v2 = (await call('/v1/idp/google-oauth2/oauth2/v2/userinfo', token.alice)).json();
    expect(v2).toMatchObject({ email: 'alice.example@gmail.com', verified_email: true });
    expect(v2).toHaveProperty('id');
  });

  it('passes a conditional request on and answers 304 with the ETag when nothing changed', async () => {
    const first = await call('/v1/idp/github/user', token.alice);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/"[0-9a-f]{64}"$/);
    const again = await call('/v1/idp/github/user', token.alice, {
      headers: { 'if-none-match': etag! },
    });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.text).toBe('');
    const changed = await call('/v1/idp/github/user', token.alice, {
      headers: { 'if-none-match': 'W/"other"' },
    });
    expect(changed.status).toBe(200);
    expect((changed.json() as { login: string }).login).toBe('alice-example');
  });

  it("forwards an Accept naming one of the provider's media types, and only those", async () => {
    const repos = (
      await call('/v1/idp/github/user/repos?per_page=1', token.alice)
    ).json() as Array<{
      full_name: string;
    }>;
    const readme = `/v1/idp/github/repos/${repos[0]!.full_name}/contents/README.md`;
    for (const accept of ['application/vnd.github.raw+json', 'application/vnd.github.v3.raw']) {
      const raw = await call(readme, token.alice, { headers: { accept } });
      expect(raw.status, accept).toBe(200);
      expect(raw.headers.get('content-type'), accept).toBe('text/plain; charset=utf-8');
      expect(raw.text, accept).toMatch(/^# /);
    }
    // Anything else keeps the catalogue's own Accept: GitHub answers with the JSON metadata.
    for (const accept of [
      'application/vnd.github.html+json',
      'text/html',
      'application/vnd.github.raw+json, text/html',
      '*/*',
    ]) {
      const json = await call(readme, token.alice, { headers: { accept } });
      expect(json.status, accept).toBe(200);
      expect(json.headers.get('content-type'), accept).toMatch(/^application\/json/);
      expect((json.json() as { encoding: string }).encoding, accept).toBe('base64');
    }
  });

  it('passes GitHub rate-limit headers on and keeps set-cookie and server headers back', async () => {
    const response = await call('/v1/idp/github/user', token.alice);
    expect(response.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(response.headers.get('x-github-media-type')).toBeNull();
  });

  it('answers 404 identity_not_linked for a connection the user has not linked', async () => {
    const response = await call('/v1/idp/github/user', token.carol);
    expect(response.status).toBe(404);
    expect(problemOf(response)).toMatchObject({ code: 'identity_not_linked', status: 404 });
    expect(problemOf(response).requestId).toBe(response.headers.get('x-request-id'));
  });

  it('answers idp_token_unavailable, naming the missing grant, when the M2M client may not read IdP tokens', async () => {
    // The sandbox's limited client has read:users but not read:user_idp_tokens.
    const limited = await stack.startBroker({
      env: {
        AUTH0_M2M_CLIENT_ID: stack.info.m2mLimited.clientId,
        AUTH0_M2M_CLIENT_SECRET: stack.info.m2mLimited.clientSecret,
      },
    });
    const before = await stack.stats();
    const response = await call('/v1/idp/github/user', token.alice, {}, limited.url);
    expect(response.status).toBe(403);
    expect(problemOf(response)).toMatchObject({ code: 'idp_token_unavailable', status: 403 });
    expect(problemOf(response).detail).toMatch(/GitHub.*read:user_idp_tokens/);
    expect((await stack.stats()).idpCalls.github).toBe(before.idpCalls.github);
    await limited.close();
  });

  it('answers idp_reauth_required for an expired GitHub token, without calling GitHub', async () => {
    const before = await stack.stats();
    const response = await call('/v1/idp/github/user', token.bob);
    expect(response.status).toBe(403);
    expect(problemOf(response).code).toBe('idp_reauth_required');
    expect((await stack.stats()).idpCalls.github).toBe(before.idpCalls.github);
  });

  it('refreshes an expired Google token transparently and keeps the new one', async () => {
    const before = await stack.stats();
    const first = await call('/v1/idp/google-oauth2/oauth2/v3/userinfo', token.dave);
    expect(first.status).toBe(200);
    expect((first.json() as { email: string }).email).toBe('dave.refresh@gmail.com');
    const afterFirst = await stack.stats();
    const second = await call(
      '/v1/idp/google-oauth2/calendar/v3/users/me/calendarList',
      token.dave,
    );
    expect(second.status).toBe(200);
    const afterSecond = await stack.stats();
    // The second call is one Google API call: the refreshed token was kept.
    expect(afterSecond.idpCalls['google-oauth2'] - afterFirst.idpCalls['google-oauth2']).toBe(1);
    expect(
      afterFirst.idpCalls['google-oauth2'] - before.idpCalls['google-oauth2'],
    ).toBeGreaterThanOrEqual(2);
  });
});

describe('refusals, each with no upstream call', () => {
  let refusalStats: Awaited<ReturnType<Stack['stats']>>;
  const tokens: Record<string, string> = {};
  /** What the refusal must say for tokens that are otherwise acceptable. */
  const expectedDetail: Record<string, RegExp> = {
    'M2M token for the broker': /machine-to-machine/,
    'unknown kid': /unknown key/,
    'same kid, other key': /signature/,
  };

  const limitedClientToken = (audience: string) =>
    clientCredentialsToken({ domain: stack.info.domain, ...stack.info.m2mLimited, audience });

  beforeAll(async () => {
    const info = stack.info;
    const jwks = (await (await fetch(`${info.domain}/.well-known/jwks.json`)).json()) as {
      keys: Array<Record<string, unknown>>;
    };
    const tenantJwk = jwks.keys[0]!;
    const { createPublicKey } = await import('node:crypto');
    const pem = createPublicKey({ key: tenantJwk as never, format: 'jwk' }).export({
      type: 'spki',
      format: 'pem',
    });
    const claims = decodeJwt(token.alice);
    tokens['alg none'] = unsignedToken({ ...claims, sub: 'auth0|alice' });
    tokens['HS256 with the tenant public key'] = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256', kid: String(tenantJwk.kid), typ: 'at+jwt' })
      .sign(new TextEncoder().encode(String(pem)));
    const stranger = await makeKey(String(tenantJwk.kid));
    tokens['same kid, other key'] = await signAccessToken(stranger, {
      issuer: info.issuer,
      audience: info.brokerAudience,
    });
    const unknown = await makeKey('unknown-kid');
    tokens['unknown kid'] = await signAccessToken(unknown, {
      issuer: info.issuer,
      audience: info.brokerAudience,
    });
    const [header, payload, signature] = token.alice.split('.');
    const tampered = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload!, 'base64url').toString()),
        sub: 'auth0|bob',
      }),
    ).toString('base64url');
    tokens['tampered payload'] = `${header}.${tampered}.${signature}`;
    tokens['malformed'] = 'not-a-token';
    tokens['huge'] = `${header}.${'A'.repeat(12_000)}.${signature}`;
    // Real tenant tokens that are not for the broker.
    const idToken = (await signIn(info, 'alice')).idToken;
    if (idToken) tokens['ID token'] = idToken;
    // Without an audience the tenant issues an opaque token for its own userinfo endpoint.
    tokens['token without the broker audience'] = (
      await signIn(info, 'alice', { audience: '' })
    ).accessToken;
    tokens['M2M token for the Management API'] = await limitedClientToken(info.managementAudience);
    // The tenant lets the limited client ask for the broker's own audience: a real, valid M2M
    // token the broker must refuse for being M2M, not for anything else.
    tokens['M2M token for the broker'] = await limitedClientToken(info.brokerAudience);
    refusalStats = await stack.stats();
  });

  it('refuses every bad caller token with 401 invalid_token, and no upstream call', async () => {
    const jku = await startLocalServer((_req, res) => sendJson(res, 200, { keys: [] }));
    const key = await makeKey('attacker');
    for (const header of ['jku', 'x5u']) {
      tokens[`${header} header`] = await signAccessToken(key, {
        issuer: stack.info.issuer,
        audience: stack.info.brokerAudience,
        header: { [header]: `${jku.url}/keys` },
      });
    }
    tokens['jwk header'] = await signAccessToken(key, {
      issuer: stack.info.issuer,
      audience: stack.info.brokerAudience,
      header: { jwk: key.publicJwk },
    });
    expect(Object.keys(tokens).length).toBeGreaterThanOrEqual(14);
    for (const [name, bad] of Object.entries(tokens)) {
      for (const path of ['/v1/idp/github/user', '/v1/me/identities']) {
        const response = await call(path, bad);
        expect(response.status, name).toBe(401);
        expect(problemOf(response).code, name).toBe('invalid_token');
        if (expectedDetail[name]) {
          expect(problemOf(response).detail, name).toMatch(expectedDetail[name]);
        }
        expect(response.headers.get('www-authenticate'), name).toMatch(
          /^Bearer error="invalid_token"/,
        );
      }
    }
    // Larger than Node's header limit: refused before the broker even parses it.
    const oversized = await call('/v1/me/identities', `${'A'.repeat(20_000)}.b.c`);
    expect(oversized.status).toBe(431);
    expect(jku.requests).toHaveLength(0);
    await jku.close();
    expect(await stack.stats()).toEqual(refusalStats);
  });

  it('refuses a tenant-signed token for its issuer, expiry or not-before, naming the claim', async () => {
    // A tenant of the test's own whose key signs every token below, so each reaches the claim
    // checks (the sandbox's key cannot be used to sign bad claims).
    const key = await makeKey('local-tenant-key');
    const tenant = await startLocalServer((req, res) =>
      req.url === '/.well-known/jwks.json'
        ? sendJson(res, 200, { keys: [key.publicJwk] })
        : sendJson(res, 404, { error: 'not_found' }),
    );
    const local = await stack.startBroker({ env: { AUTH0_DOMAIN: tenant.url } });
    const sign = (options: Partial<TokenOptions>) =>
      signAccessToken(key, {
        issuer: `${tenant.url}/`,
        audience: stack.info.brokerAudience,
        ...options,
      });
    // The same key and claims otherwise are accepted: the refusals below are for the claim.
    expect((await call('/v1/providers', await sign({}), {}, local.url)).status).toBe(200);
    const cases: Array<[string, string, RegExp]> = [
      ["another tenant's issuer", await sign({ issuer: stack.info.issuer }), /claim "iss"/],
      ['issuer without the trailing slash', await sign({ issuer: tenant.url }), /claim "iss"/],
      ['expired an hour ago', await sign({ expiresInSeconds: -3600 }), /claim "exp"/],
      ['nbf an hour ahead', await sign({ notBeforeSeconds: 3600 }), /claim "nbf"/],
    ];
    const before = await stack.stats();
    for (const [name, bad, detail] of cases) {
      for (const path of ['/v1/idp/github/user', '/v1/me/identities']) {
        const response = await call(path, bad, {}, local.url);
        expect(response.status, name).toBe(401);
        expect(problemOf(response).code, name).toBe('invalid_token');
        expect(problemOf(response).detail, name).toMatch(detail);
      }
    }
    // Each refusal is counted and logged by the check that failed (two paths per case).
    const refusals = (await call('/metrics', undefined, {}, local.url)).text;
    expect(refusals).toContain('broker_token_refusals_total{reason="issuer"} 4');
    expect(refusals).toContain('broker_token_refusals_total{reason="expired"} 2');
    expect(refusals).toContain('broker_token_refusals_total{reason="not_yet_valid"} 2');
    expect(refusals).toContain('broker_token_refusals_total{reason="signature"} 0');
    const logged = local.logLines.filter((line) => line.includes('"msg":"token refused"'));
    expect(
      logged.map((line) => (JSON.parse(line) as { tokenRefusal: string }).tokenRefusal),
    ).toEqual([
      'issuer',
      'issuer',
      'issuer',
      'issuer',
      'expired',
      'expired',
      'not_yet_valid',
      'not_yet_valid',
    ]);
    // Only the key set was read: no token grant, no Management call, no IdP call.
    expect(new Set(tenant.requests.map((r) => `${r.method} ${r.url}`))).toEqual(
      new Set(['GET /.well-known/jwks.json']),
    );
    expect(await stack.stats()).toEqual(before);
    await local.close();
    await tenant.close();
  });

  it('refuses a token without the broker scope with 403 insufficient_scope', async () => {
    const limited = await signIn(stack.info, 'alice', { scope: 'openid profile email' });
    expect(String(decodeJwt(limited.accessToken).scope ?? '')).not.toContain(
      'read:linked_accounts',
    );
    const before = await stack.stats();
    const response = await call('/v1/idp/github/user', limited.accessToken);
    expect(response.status).toBe(403);
    expect(problemOf(response).code).toBe('insufficient_scope');
    const after = await stack.stats();
    expect(after.idpCalls).toEqual(before.idpCalls);
    expect(after.managementGetUser).toBe(before.managementGetUser);
  });

  const BAD_PATHS: Array<[string, string, string, string?]> = [
    ['absolute URL', '/v1/idp/github/https://evil.example/user', 'path_not_allowed'],
    ['encoded absolute URL', '/v1/idp/github/https:%2F%2Fevil.example%2Fuser', 'path_not_allowed'],
    ['//host', '/v1/idp/github//evil.example/user', 'path_not_allowed'],
    ['@host', '/v1/idp/github/@evil.example/user', 'path_not_allowed'],
    ['..', '/v1/idp/github/user/../../admin', 'path_not_allowed'],
    ['%2e%2e', '/v1/idp/github/user/%2e%2e/%2e%2e/admin', 'path_not_allowed'],
    ['%2f', '/v1/idp/github/user%2frepos', 'path_not_allowed'],
    ['backslash', '/v1/idp/github/user\\repos', 'path_not_allowed'],
    ['encoded backslash', '/v1/idp/github/user%5crepos', 'path_not_allowed'],
    ['CRLF', '/v1/idp/github/user%0d%0aX-Injected:%201', 'path_not_allowed'],
    ['NUL', '/v1/idp/github/user%00', 'path_not_allowed'],
    ['IPv6', '/v1/idp/github/repos/[::1]/x', 'path_not_allowed'],
    ['encoded ?', '/v1/idp/github/repos/a%3fb/x', 'path_not_allowed'],
    ['double-encoded dots', '/v1/idp/github/repos/%252e%252e/x', 'path_not_allowed'],
    ['outside the allowlist', '/v1/idp/github/user/emails', 'path_not_allowed'],
    ['outside the allowlist (Graph)', '/v1/idp/windowslive/v1.0/users', 'path_not_allowed'],
    ['method outside the allowlist', '/v1/idp/github/user/repos', 'method_not_allowed', 'POST'],
    ['DELETE', '/v1/idp/github/user', 'method_not_allowed', 'DELETE'],
    ['unknown connection', '/v1/idp/gitlab/user', 'provider_unknown'],
    ['prototype-named connection', '/v1/idp/constructor/user', 'provider_unknown'],
    ['malformed connection', '/v1/idp/__proto__/user', 'path_not_allowed'],
    ['CRLF in the query', '/v1/idp/github/user/repos?x=%0d%0aSet-Cookie:a', 'invalid_request'],
    ['access_token in the query', '/v1/idp/github/user/repos?access_token=x', 'invalid_request'],
    [
      'client_secret beside allowed ones',
      '/v1/idp/github/user/repos?page=2&client_secret=x',
      'invalid_request',
    ],
    ['callback on a call without a query', '/v1/idp/github/user?callback=steal', 'invalid_request'],
    ['a parameter given twice', '/v1/idp/github/user/repos?page=1&page=2', 'invalid_request'],
    ['$top given twice', '/v1/idp/windowslive/v1.0/me/messages?$top=1&$top=999', 'invalid_request'],
  ];

  it('refuses every bad path or method, and no upstream call', async () => {
    const before = await stack.stats();
    for (const [name, path, code, method = 'GET'] of BAD_PATHS) {
      const response = await rawBrokerRequest(
        broker.url,
        path,
        token.alice,
        method,
        method === 'POST' ? '{}' : undefined,
      );
      observed.add(`${response.status} ${response.text}`);
      expect(response.headers.get('content-type'), name).toBe('application/problem+json');
      expect(problemOf(response).code, name).toBe(code);
      expect(response.status, name).toBeGreaterThanOrEqual(400);
    }
    expect(await stack.stats()).toEqual(before);
  });

  it('sends IP-shaped and dotted repository names to the provider as names', async () => {
    // A repository may be called `1.0` or `127.0.0.1`: the provider answers for it (here, that it
    // does not exist), and the request went to the provider, not to a host the name spells.
    const names = ['127.0.0.1', '0x7f000001', '0177.0.0.01', '2130706433', '1.0', '0x10'];
    const before = await stack.stats();
    for (const name of names) {
      const response = await call(`/v1/idp/github/repos/alice-example/${name}`, token.alice);
      expect(response.status, name).toBe(404);
      expect(((await response.json()) as { message: string }).message, name).toBe('Not Found');
    }
    expect((await stack.stats()).idpCalls.github - before.idpCalls.github).toBe(names.length);
  });

  it('refuses a request body over the limit with 413 payload_too_large, and no upstream call', async () => {
    const small = await stack.startBroker({ limits: { maxRequestBytes: 1024 } });
    const before = await stack.stats();
    const over = JSON.stringify({ padding: 'x'.repeat(2048) });
    const json = { 'content-type': 'application/json' };
    // The catalogue allows no method with a body: POST and PUT are refused for their size first,
    for (const method of ['POST', 'PUT']) {
      const response = await call(
        '/v1/idp/github/user',
        token.alice,
        { method, body: over, headers: json },
        small.url,
      );
      expect(response.status, method).toBe(413);
      expect(problemOf(response).code, method).toBe('payload_too_large');
    }
    // and only for their method when small.
    const underLimit = await call(
      '/v1/idp/github/user',
      token.alice,
      { method: 'POST', body: '{}', headers: json },
      small.url,
    );
    expect(problemOf(underLimit).code).toBe('method_not_allowed');
    // An allowlisted GET carrying a body over the limit (fetch will not send one; node:http will).
    const get = await rawBrokerRequest(small.url, '/v1/idp/github/user', token.alice, 'GET', over);
    observed.add(`${get.status} ${get.text}`);
    expect(get.status).toBe(413);
    expect(problemOf(get).code).toBe('payload_too_large');
    // A GET body of unknown length (chunked) cannot be bounded without reading it: refused too.
    const chunked = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(small.url).port), '127.0.0.1');
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
      socket.setTimeout(5000, () => socket.destroy(new Error('no answer')));
      socket.write(
        `GET /v1/idp/github/user HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token.alice}\r\n` +
          'Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n',
      );
    });
    expect(chunked).toMatch(/^HTTP\/1\.1 413 /);
    expect(chunked).toContain('"code":"payload_too_large"');
    expect(await stack.stats()).toEqual(before);
    const audits = small.logLines
      .map((line) => JSON.parse(line) as { audit?: string; upstreamStatus?: number })
      .filter((entry) => entry.audit === 'idp_call');
    expect(audits.filter((entry) => entry.upstreamStatus !== undefined)).toEqual([]);
    await small.close();
  });

  it('refuses raw control characters in the request line before any routing', async () => {
    const before = await stack.stats();
    const { port } = new URL(broker.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1');
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
      socket.write(
        `GET /v1/idp/github/us\u0001er HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token.alice}\r\n\r\n`,
      );
      setTimeout(() => socket.end(), 2000);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    // Refused by Node's parser, still a problem document with a request id to quote.
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    expect(head).toMatch(/\r\ncontent-type: application\/problem\+json\r\n/i);
    const problem = Problem.parse(JSON.parse(body));
    expect(problem).toMatchObject({ code: 'invalid_request', status: 400 });
    expect(head).toContain(`X-Request-Id: ${problem.requestId}`);
    expect(await stack.stats()).toEqual(before);
  });

  it("answers a URL Fastify's router cannot read as a problem with a request id", async () => {
    for (const path of ['/healthz%E0%A4%A', '/v1/me/identities%zz']) {
      const response = await rawBrokerRequest(broker.url, path, token.alice);
      expect(response.status, path).toBe(400);
      const problem = problemOf(response);
      expect(problem.code, path).toBe('invalid_request');
      expect(problem.requestId, path).toBe(response.headers.get('x-request-id'));
    }
  });
});

describe('upstream behaviour', () => {
  afterEach(() => stack.reset());

  it('does not follow an IdP redirect and never sends the IdP token to another origin', async () => {
    const elsewhere = await startLocalServer((_req, res) => sendJson(res, 200, { stolen: true }));
    const redirecting = await startLocalServer((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/user`, 'set-cookie': 'a=b' });
      res.end();
    });
    const other = await stack.startBroker({ env: { PROVIDER_BASE_URL_GITHUB: redirecting.url } });
    const response = await call('/v1/idp/github/user', token.alice, {}, other.url);
    expect(response.status).toBe(502);
    expect(problemOf(response).code).toBe('upstream_error');
    expect(response.headers.get('location')).toBeNull();
    expect(redirecting.requests).toHaveLength(1);
    expect(redirecting.requests[0]?.headers.authorization).toMatch(/^Bearer gho_/);
    expect(elsewhere.requests).toHaveLength(0);
    await other.close();
    await redirecting.close();
    await elsewhere.close();
  });

  it('answers at once, paging intact, when a provider sends a hostile Link header', async () => {
    // This 64-byte header froze a regular-expression parser (and /healthz with it) for a minute.
    const hostile = `<a>${';  x  '.repeat(10)};`;
    const provider = await startLocalServer((req, res) => {
      const next = `${provider.url}/user/repos?page=2`;
      const link =
        req.url === '/user/repos?per_page=7'
          ? `<${next}>; rel="next", ${'<x>;'.repeat(3000)}`
          : `${hostile}, <${next}>; rel="next"`;
      sendJson(res, 200, [{ id: 1 }], { link });
    });
    const other = await stack.startBroker({ env: { PROVIDER_BASE_URL_GITHUB: provider.url } });
    const started = performance.now();
    const [page, health] = await Promise.all([
      call('/v1/idp/github/user/repos', token.alice, {}, other.url),
      call('/healthz', undefined, {}, other.url),
    ]);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(health.status).toBe(200);
    expect(page.status).toBe(200);
    // Both entries are read (`<a>` is a relative reference with ten empty parameters).
    expect(linkTarget(page.headers.get('link') ?? '', 'next')).toBe(
      '/v1/idp/github/user/repos?page=2',
    );
    // Over the size cap the header is not read at all: no paging rather than a slow parse.
    const huge = await call('/v1/idp/github/user/repos?per_page=7', token.alice, {}, other.url);
    expect(huge.status).toBe(200);
    expect(huge.headers.get('link')).toBeNull();
    await other.close();
    await provider.close();
  });

  it('passes only safe headers from a provider, never set-cookie, location or server', async () => {
    const noisy = await startLocalServer((_req, res) =>
      sendJson(
        res,
        200,
        { login: 'alice-example' },
        {
          'set-cookie': 'session=abc; HttpOnly',
          location: 'https://evil.example/',
          server: 'upstream/1.0',
          'x-powered-by': 'upstream',
          'x-ratelimit-remaining': '41',
          etag: '"v1"',
        },
      ),
    );
    const other = await stack.startBroker({ env: { PROVIDER_BASE_URL_GITHUB: noisy.url } });
    const response = await call('/v1/idp/github/user', token.alice, {}, other.url);
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ login: 'alice-example' });
    for (const name of ['set-cookie', 'location', 'server', 'x-powered-by']) {
      expect(response.headers.get(name), name).toBeNull();
    }
    expect(response.headers.get('x-ratelimit-remaining')).toBe('41');
    expect(response.headers.get('etag')).toBe('"v1"');
    expect(noisy.requests[0]?.url).toBe('/user');
    await other.close();
    await noisy.close();
  });

  it('never passes on a provider answer that echoes the IdP token', async () => {
    const echo = await startLocalServer((req, res) => {
      const idpToken = (req.headers.authorization ?? '').replace('Bearer ', '');
      const next = `${echoUrl()}/user/repos?page=2&access_token=${idpToken}`;
      if (req.url?.startsWith('/user/repos')) {
        sendJson(res, 200, [{ id: 1 }], { link: `<${next}>; rel="next"` });
      } else if (req.url?.startsWith('/user/starred')) {
        // No declared length: the broker streams this answer through its token guard.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('[');
        res.end(`{"echo":"${idpToken}"}]`);
      } else sendJson(res, 200, { message: `your token is ${idpToken}` });
    });
    const echoUrl = () => echo.url;
    const other = await stack.startBroker({ env: { PROVIDER_BASE_URL_GITHUB: echo.url } });
    const paths = [
      '/v1/idp/github/user',
      '/v1/idp/github/user/repos',
      '/v1/idp/github/user/starred',
    ];
    for (const path of paths) {
      const response = await call(path, token.alice, {}, other.url);
      expect(response.status, path).toBe(502);
      expect(problemOf(response).code).toBe('upstream_error');
    }
    expect(echo.requests).toHaveLength(3);
    await other.close();
    await echo.close();
  });

  it('sends an answer that arrives in pieces whole and unchanged, and refuses one with the token cut between pieces', async () => {
    const records = Array.from({ length: 1500 }, (_, id) => ({ id, name: `organisation-${id}` }));
    const clean = Buffer.from(JSON.stringify(records));
    const pieces = await startLocalServer((req, res) => {
      const idpToken = (req.headers.authorization ?? '').replace('Bearer ', '');
      const body = req.url?.startsWith('/user/orgs')
        ? clean
        : Buffer.from(`[{"padding":"${'x'.repeat(70_000)}","echo":"${idpToken}"}]`);
      // Declared length, sent in three writes apart in time: the broker reads it as several
      // chunks; the second cut falls inside the token in the echoing answer.
      const cuts = [Math.floor(body.length / 3), body.indexOf(idpToken.slice(-8)), body.length];
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      let from = 0;
      const next = () => {
        const to = cuts.shift()!;
        res.write(body.subarray(from, to));
        from = to;
        if (cuts.length > 0) setTimeout(next, 30);
        else res.end();
      };
      next();
    });
    const other = await stack.startBroker({ env: { PROVIDER_BASE_URL_GITHUB: pieces.url } });
    const whole = await call('/v1/idp/github/user/orgs', token.alice, {}, other.url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-length')).toBe(String(clean.length));
    expect(whole.text).toBe(clean.toString());
    const echoed = await call('/v1/idp/github/user/starred', token.alice, {}, other.url);
    expect(echoed.status).toBe(502);
    expect(problemOf(echoed).code).toBe('upstream_error');
    expect(echoed.text).not.toContain('x'.repeat(100));
    await other.close();
    await pieces.close();
  });

  it("reads GitHub's 403 with no requests remaining as a rate limit, with the wait passed on", async () => {
    const reset = Math.floor(Date.now() / 1000) + 120;
    const limited = await startLocalServer((_req, res) =>
      sendJson(
        res,
        403,
        { message: 'API rate limit exceeded' },
        {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-limit': '5000',
          'x-ratelimit-reset': String(reset),
        },
      ),
    );
    const other = await stack.startBroker({ env: { PROVIDER_BASE_URL_GITHUB: limited.url } });
    const response = await call('/v1/idp/github/user', token.alice, {}, other.url);
    expect(response.status).toBe(429);
    expect(problemOf(response).code).toBe('upstream_rate_limited');
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(100);
    expect(response.headers.get('x-ratelimit-reset')).toBe(String(reset));
    await other.close();
    await limited.close();
  });

  it('retries an IdP 503 and serves the answer', async () => {
    const before = await stack.stats();
    await stack.fault({ target: 'idp:github', kind: 'status', status: 503, count: 1 });
    const response = await call('/v1/idp/github/user', token.alice);
    expect(response.status).toBe(200);
    expect((await stack.stats()).idpCalls.github - before.idpCalls.github).toBe(2);
  });

  it('retries a connection reset on an idempotent call', async () => {
    await stack.fault({ target: 'idp:github', kind: 'reset', count: 1 });
    expect((await call('/v1/idp/github/user', token.alice)).status).toBe(200);
  });

  it('gives up after a bounded number of retries with 503 upstream_unavailable', async () => {
    const before = await stack.stats();
    await stack.fault({ target: 'idp:github', kind: 'status', status: 503, count: 10 });
    const response = await call('/v1/idp/github/user', token.alice);
    expect(response.status).toBe(503);
    expect(problemOf(response).code).toBe('upstream_unavailable');
    expect((await stack.stats()).idpCalls.github - before.idpCalls.github).toBe(3);
    await stack.reset();
  });

  it('passes an IdP 429 on with Retry-After', async () => {
    await stack.fault({
      target: 'idp:github',
      kind: 'status',
      status: 429,
      retryAfterSeconds: 7,
      count: 1,
    });
    const response = await call('/v1/idp/github/user', token.alice);
    expect(response.status).toBe(429);
    expect(problemOf(response)).toMatchObject({ code: 'upstream_rate_limited', retryAfter: 7 });
    expect(response.headers.get('retry-after')).toBe('7');
  });

  it('decodes a compressed provider answer, and refuses one that inflates past the size bound', async () => {
    const { gzipSync, brotliCompressSync } = await import('node:zlib');
    const json = (body: unknown) => Buffer.from(JSON.stringify(body));
    const compressing = await startLocalServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const page = url.searchParams.get('page') ?? (url.pathname.endsWith('/messages') ? '3' : '');
      const [encoding, body] =
        page === '2'
          ? ['br', brotliCompressSync(json([{ id: 2 }]))]
          : page === '3'
            ? ['gzip', gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20))] // 8 MiB of spaces, ~8 KiB sent
            : page === '4'
              ? ['zstd', json([{ id: 4 }])]
              : ['gzip', gzipSync(json([{ id: 1 }]))];
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding });
      res.end(body);
    });
    const other = await stack.startBroker({
      env: {
        PROVIDER_BASE_URL_GITHUB: compressing.url,
        PROVIDER_BASE_URL_WINDOWSLIVE: compressing.url,
      },
    });
    const repos = (page: number) =>
      call(`/v1/idp/github/user/repos?page=${page}`, token.alice, {}, other.url);
    const gzip = await repos(1);
    expect(gzip.status).toBe(200);
    expect(gzip.json()).toEqual([{ id: 1 }]);
    expect(gzip.headers.get('content-encoding')).toBeNull();
    expect((await repos(2)).json()).toEqual([{ id: 2 }]);
    // An answer the broker reads whole (Graph's, for its next link) is refused with 413 …
    const bomb = await call('/v1/idp/windowslive/v1.0/me/messages', token.bob, {}, other.url);
    expect(bomb.status).toBe(413);
    expect(problemOf(bomb).code).toBe('payload_too_large');
    // … and one it streams through is cut at the bound, counted in decoded bytes.
    await expect(repos(3)).rejects.toThrow();
    const unknown = await repos(4);
    expect(unknown.status).toBe(502);
    expect(problemOf(unknown).code).toBe('upstream_error');
    await other.close();
    await compressing.close();
  });

  it("passes a provider's Retry-After on with a 503", async () => {
    const unavailable = await startLocalServer((_req, res) =>
      sendJson(res, 503, { message: 'maintenance' }, { 'retry-after': '7' }),
    );
    const other = await stack.startBroker({ env: { PROVIDER_BASE_URL_GITHUB: unavailable.url } });
    const response = await call('/v1/idp/github/user', token.alice, {}, other.url);
    expect(response.status).toBe(503);
    expect(problemOf(response)).toMatchObject({ code: 'upstream_unavailable', retryAfter: 7 });
    expect(response.headers.get('retry-after')).toBe('7');
    await other.close();
    await unavailable.close();
  });

  it('honours a Management API 429: no hammering, Retry-After passed on, then recovery', async () => {
    const cold = await stack.startBroker();
    await stack.reset();
    await stack.fault({
      target: 'management',
      kind: 'status',
      status: 429,
      retryAfterSeconds: 1,
      count: 1,
    });
    const first = await call('/v1/me/identities', token.alice, {}, cold.url);
    expect(first.status).toBe(429);
    expect(problemOf(first).code).toBe('upstream_rate_limited');
    expect(Number(first.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const burst = await Promise.all(
      Array.from({ length: 20 }, () => call('/v1/me/identities', token.bob, {}, cold.url)),
    );
    expect(burst.every((response) => response.status === 429)).toBe(true);
    // The sandbox counts Get User calls that get past the injected fault: none while blocked.
    expect((await stack.stats()).managementGetUser).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await call('/v1/me/identities', token.alice, {}, cold.url)).status).toBe(200);
    expect((await stack.stats()).managementGetUser).toBe(1);
    await cold.close();
  });

  it('reports a failing or refusing Google token endpoint, then refreshes once it works', async () => {
    const cold = await stack.startBroker();
    const userinfo = '/v1/idp/google-oauth2/oauth2/v3/userinfo';
    await stack.fault({ target: 'idp-token:google-oauth2', kind: 'status', status: 500, count: 1 });
    const failing = await call(userinfo, token.dave, {}, cold.url);
    expect(failing.status).toBe(503);
    expect(problemOf(failing).code).toBe('upstream_unavailable');
    await stack.fault({ target: 'idp-token:google-oauth2', kind: 'status', status: 400, count: 1 });
    const refused = await call(userinfo, token.dave, {}, cold.url);
    expect(problemOf(refused).code).toBe('idp_reauth_required');
    expect((await call(userinfo, token.dave, {}, cold.url)).status).toBe(200);
    await cold.close();
  });

  it('answers 503 upstream_unavailable while the tenant key set is down, then recovers', async () => {
    const cold = await stack.startBroker({ limits: { jwksFailureCooldownMs: 300 } });
    await stack.reset();
    await stack.fault({ target: 'jwks', kind: 'status', status: 503, count: 1 });
    await stack.fault({ target: 'jwks', kind: 'delay', delayMs: 0, count: 100 });
    const down = await call('/v1/me/identities', token.alice, {}, cold.url);
    expect(down.status).toBe(503);
    expect(problemOf(down).code).toBe('upstream_unavailable');
    // Within the failure cool-down the broker does not ask again.
    const stillDown = await call('/v1/me/identities', token.alice, {}, cold.url);
    expect(problemOf(stillDown).code).toBe('upstream_unavailable');
    expect(await stack.pendingFaults('jwks')).toBe(100);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await call('/v1/me/identities', token.alice, {}, cold.url)).status).toBe(200);
    expect(await stack.pendingFaults('jwks')).toBe(99);
    await cold.close();
  });

  it('fetches the key set once per cool-down, not per token, for unknown kids while it is down', async () => {
    // A short success cool-down, passed before the flood: the flood comes long after the last
    // good fetch, as in a real outage.
    const cold = await stack.startBroker({ limits: { jwksCooldownMs: 100 } });
    await stack.reset();
    expect((await call('/v1/me/identities', token.alice, {}, cold.url)).status).toBe(200);
    await stack.fault({ target: 'jwks', kind: 'status', status: 503, count: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const stranger = await signAccessToken(await makeKey('not-the-tenant'), {
      issuer: stack.info.issuer,
      audience: stack.info.brokerAudience,
    });
    for (let i = 0; i < 30; i += 1) {
      const refused = await call('/v1/me/identities', stranger, {}, cold.url);
      expect(problemOf(refused).code).toBe('invalid_token');
    }
    expect(1000 - (await stack.pendingFaults('jwks'))).toBe(1);
    // Tokens signed with the key the broker holds still pass, and readiness names the old keys.
    expect((await call('/v1/me/identities', token.alice, {}, cold.url)).status).toBe(200);
    const ready = await call('/readyz', undefined, {}, cold.url);
    expect(ready.status).toBe(200);
    const { degraded } = ready.json() as { degraded?: { jwks: { keySetAgeSeconds: number } } };
    // Fetched moments ago (a loaded machine may make it a second or two).
    expect(degraded?.jwks.keySetAgeSeconds).toBeLessThan(5);
    const metrics = await call('/metrics', undefined, {}, cold.url);
    expect(metrics.text).toMatch(/broker_jwks_fetches_total\{outcome="failed"\} 1\n/);
    await stack.reset();
    await cold.close();
  });

  it('answers 503 upstream_unavailable while the token endpoint is down, then recovers', async () => {
    const cold = await stack.startBroker({ limits: { tokenFailureMemoryMs: 500 } });
    await stack.reset();
    await stack.fault({ target: 'token', kind: 'status', status: 503, count: 3 });
    const down = await call('/v1/idp/github/user', token.alice, {}, cold.url);
    expect(down.status).toBe(503);
    expect(problemOf(down).code).toBe('upstream_unavailable');
    expect((await stack.stats()).grants.client_credentials).toBe(3);
    // The failure is remembered briefly: the next callers get it at once, with no grant sent.
    const again = await call('/v1/idp/github/user', token.bob, {}, cold.url);
    expect(again.status).toBe(503);
    expect(again.headers.get('retry-after')).toBe('1');
    expect((await stack.stats()).grants.client_credentials).toBe(3);
    // Remembered for the endpoint's Retry-After (1 s), being longer than the configured 500 ms.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const up = await call('/v1/idp/github/user', token.alice, {}, cold.url);
    expect(up.status).toBe(200);
    expect((await stack.stats()).grants.client_credentials).toBe(4);
    await cold.close();
  });
});

describe('economy', () => {
  it('200 concurrent requests after a cold start: one M2M grant, at most one Get User per user', async () => {
    // The 200 callers stand for many clients, but all come from 127.0.0.1: no per-address bound.
    const cold = await stack.startBroker({ limits: { maxConnectionsPerAddress: 0 } });
    await stack.reset();
    const calls: Array<[SeededUsername, string]> = [
      ['alice', '/v1/me/identities'],
      ['alice', '/v1/idp/github/user/repos?per_page=5'],
      ['alice', '/v1/idp/google-oauth2/oauth2/v3/userinfo'],
      ['bob', '/v1/idp/windowslive/v1.0/me'],
      ['bob', '/v1/me/identities'],
      ['bob', '/v1/idp/github/user'],
      ['carol', '/v1/me/identities'],
      ['carol', '/v1/idp/github/user'],
      ['dave', '/v1/idp/google-oauth2/oauth2/v3/userinfo'],
      ['dave', '/v1/me/identities'],
    ];
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, index) => {
        const [user, path] = calls[index % calls.length]!;
        return call(path, token[user], {}, cold.url);
      }),
    );
    const statuses = new Set(responses.map((response) => response.status));
    expect([...statuses].sort()).toEqual([200, 403, 404]);
    const stats = await stack.stats();
    expect(stats.grants.client_credentials).toBe(1);
    expect(stats.managementGetUser).toBeLessThanOrEqual(4);
    // 20 calls each; Google gets one more: dave's single refresh, shared by his 20 calls. Bob's
    // expired GitHub token and carol's missing link cost no IdP call at all.
    expect(stats.idpCalls).toEqual({
      github: 20,
      'google-oauth2': 41,
      windowslive: 20,
      bitbucket: 0,
    });
    await cold.close();
  });
});

const noRedis = redisUnavailableReason();
describe.skipIf(noRedis !== undefined)(
  `a fleet sharing Redis${noRedis ? ` (skipped: ${noRedis})` : ''}`,
  () => {
    it('fetches one M2M token for the whole fleet', async () => {
      const redis = await startRedis();
      const cacheKey = newCacheKey();
      try {
        const fleet = await Promise.all(
          [1, 2, 3].map(() =>
            stack.startBroker({ env: { REDIS_URL: redis.url, BROKER_CACHE_KEY: cacheKey } }),
          ),
        );
        await stack.reset();
        const responses = await Promise.all(
          fleet.flatMap((member) =>
            (['alice', 'bob', 'dave'] as const).map((user) =>
              call('/v1/me/identities', token[user], {}, member.url),
            ),
          ),
        );
        expect(responses.map((response) => response.status)).toEqual(Array(9).fill(200));
        expect((await stack.stats()).grants.client_credentials).toBe(1);
        const ready = await call('/readyz', undefined, {}, fleet[0]!.url);
        expect(ready.status).toBe(200);
        await Promise.all(fleet.map((member) => member.close()));
      } finally {
        redis.stop();
      }
    });
  },
);

describe('operations', () => {
  it('reports health, readiness and metrics without tokens or URLs in labels', async () => {
    expect((await call('/healthz', undefined)).status).toBe(200);
    const ready = await call('/readyz', undefined);
    expect(ready.status).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready' });
    const metrics = await call('/metrics', undefined);
    expect(metrics.text).toContain('broker_http_requests_total');
    expect(metrics.text).toContain('route="/v1/idp/*"');
    expect(metrics.text).not.toMatch(/auth0\||127\.0\.0\.1|Bearer/);
  });

  it('serves /metrics only with the metrics bearer token when BROKER_METRICS_TOKEN is set', async () => {
    const metricsToken = 'metrics-scrape-token-for-tests';
    const guarded = await stack.startBroker({ env: { BROKER_METRICS_TOKEN: metricsToken } });
    try {
      for (const authorization of [undefined, `Bearer ${metricsToken}x`, metricsToken, 'Bearer ']) {
        const refused = await call(
          '/metrics',
          undefined,
          authorization ? { headers: { authorization } } : {},
          guarded.url,
        );
        expect(refused.status).toBe(401);
        expect(problemOf(refused).code).toBe('invalid_token');
        expect(refused.text).not.toContain('broker_http_requests_total');
      }
      const scraped = await call(
        '/metrics',
        undefined,
        { headers: { authorization: `Bearer ${metricsToken}` } },
        guarded.url,
      );
      expect(scraped.status).toBe(200);
      expect(scraped.text).toContain('broker_http_requests_total');
      // Health and readiness stay open for probes.
      expect((await call('/healthz', undefined, {}, guarded.url)).status).toBe(200);
      expect(guarded.logLines.join('\n')).not.toContain(metricsToken);
    } finally {
      await guarded.close();
    }
  });

  it('reports not ready, naming the dependency, while the tenant key set or token endpoint fails', async () => {
    const readiness = async (url: string) => {
      const response = await call('/readyz', undefined, {}, url);
      return { status: response.status, body: response.json() };
    };
    // Two brokers that have read neither the key set nor an M2M token yet.
    // No failure cool-down here, so the probe right after a failed fetch refetches (the cool-down
    // has tests of its own).
    const limits = { readinessCacheMs: 0, jwksFailureCooldownMs: 0, tokenFailureMemoryMs: 0 };
    const [jwksProbe, tokenProbe] = await Promise.all([
      stack.startBroker({ limits }),
      stack.startBroker({ limits }),
    ]);
    const ready = { status: 'ready', checks: { jwks: true, m2mToken: true } };
    // The token fault covers every attempt of one grant: the first and its two retries.
    const cases = [
      { probe: jwksProbe, target: 'jwks', count: 1, failing: 'jwks' },
      { probe: tokenProbe, target: 'token', count: 3, failing: 'm2mToken' },
    ];
    try {
      for (const { probe, target, count, failing } of cases) {
        await stack.fault({ target, kind: 'status', status: 503, count });
        expect(await readiness(probe.url), target).toEqual({
          status: 503,
          body: { status: 'not_ready', checks: { ...ready.checks, [failing]: false } },
        });
        expect(await readiness(probe.url), target).toEqual({ status: 200, body: ready });
      }
    } finally {
      await stack.reset();
      await Promise.all([jwksProbe.close(), tokenProbe.close()]);
    }
  });

  it("answers every proxied call with its request id (the audit line's), no-store and its length", async () => {
    // Held whole and written at once (a page with a Link, a profile), and streamed (a large page).
    const paths = [
      '/v1/idp/github/user/repos?per_page=7',
      '/v1/idp/github/user',
      '/v1/idp/github/user/repos?per_page=100',
    ];
    for (const path of paths) {
      const before = broker.logLines.length;
      const response = await call(path, token.alice);
      expect(response.status, path).toBe(200);
      const requestId = response.headers.get('x-request-id');
      expect(requestId, path).toMatch(/^[0-9a-f-]{36}$/);
      expect(response.headers.get('cache-control'), path).toBe('no-store');
      expect(response.headers.get('content-type'), path).toMatch(/^application\/json/);
      expect(response.headers.get('connection'), path).not.toBe('close');
      // Up to 256 KiB held whole and sent with its length; a larger one streamed (chunked).
      const size = Buffer.byteLength(response.text);
      const length = response.headers.get('content-length');
      expect(length === null ? size > 256 * 1024 : Number(length) === size, path).toBe(true);
      const audits = broker.logLines
        .slice(before)
        .map((line) => JSON.parse(line) as { audit?: string; requestId?: string })
        .filter((entry) => entry.audit === 'idp_call');
      expect(audits.map((entry) => entry.requestId)).toEqual([requestId]);
    }
  });

  it('writes one audit line per proxied call', async () => {
    const before = broker.logLines.length;
    await call('/v1/idp/github/user/repos?per_page=3', token.alice);
    const audits = broker.logLines
      .slice(before)
      .map((line) => JSON.parse(line))
      .filter((entry) => entry.audit === 'idp_call');
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      user: 'auth0|alice',
      connection: 'github',
      method: 'GET',
      pathPattern: '/user/repos',
      status: 200,
    });
    expect(audits[0].durationMs).toBeTypeOf('number');
    expect(audits[0].requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('stored tokens that change at the tenant', () => {
  const changeToken = async (
    action: 'rotate' | 'expire',
    connection: 'github' | 'google-oauth2' = 'github',
  ) => {
    const response = await changeIdpToken(stack.info.domain, {
      userId: 'auth0|alice',
      connection,
      action,
    });
    expect(response.status).toBe(200);
  };
  /** Access tokens Google's token endpoint has minted for `userId` in this run. */
  const googleRefreshesFor = async (userId: string) => {
    const { tokens } = IssuedIdpTokens.parse(
      await (await fetch(`${stack.info.domain}/_sandbox/idp-tokens`)).json(),
    );
    return tokens.filter(
      (issued) =>
        issued.userId === userId &&
        issued.connection === 'google-oauth2' &&
        issued.kind === 'access_token' &&
        issued.source === 'refresh',
    ).length;
  };
  const userinfo = '/v1/idp/google-oauth2/oauth2/v3/userinfo';

  it('refreshes a Google token Google refuses before its expiry, and retries once', async () => {
    const fresh = await stack.startBroker();
    // The broker now holds alice's identities, whose Google token has most of its life left.
    expect((await call(userinfo, token.alice, {}, fresh.url)).status).toBe(200);
    await changeToken('expire', 'google-oauth2');
    try {
      const before = await stack.stats();
      const refreshesBefore = await googleRefreshesFor('auth0|alice');
      const auditFrom = fresh.logLines.length;
      const response = await call(userinfo, token.alice, {}, fresh.url);
      expect(response.status).toBe(200);
      expect((response.json() as { email: string }).email).toBe('alice.example@gmail.com');
      // The refused call, one token-endpoint request, the retry.
      expect(await googleRefreshesFor('auth0|alice')).toBe(refreshesBefore + 1);
      const after = await stack.stats();
      expect(after.idpCalls['google-oauth2'] - before.idpCalls['google-oauth2']).toBe(3);
      expect(after.managementGetUser).toBe(before.managementGetUser);
      const audit = fresh.logLines
        .slice(auditFrom)
        .map((line) => JSON.parse(line) as { audit?: string; refreshed?: boolean })
        .filter((entry) => entry.audit === 'idp_call');
      expect(audit).toMatchObject([{ refreshed: true, status: 200 }]);
    } finally {
      // Later tests expect alice's seeded Google identity to work without a refresh.
      await changeToken('rotate', 'google-oauth2');
      await fresh.close();
    }
  });

  it('answers idp_reauth_required with no Google call when no Google client is configured', async () => {
    const unconfigured = await stack.startBroker({
      withoutEnv: ['IDP_GOOGLE_OAUTH2_CLIENT_ID', 'IDP_GOOGLE_OAUTH2_CLIENT_SECRET'],
    });
    const before = await stack.stats();
    const refreshesBefore = await googleRefreshesFor('auth0|dave');
    const response = await call(userinfo, token.dave, {}, unconfigured.url);
    expect(response.status).toBe(403);
    expect(problemOf(response).code).toBe('idp_reauth_required');
    expect((await stack.stats()).idpCalls['google-oauth2']).toBe(before.idpCalls['google-oauth2']);
    expect(await googleRefreshesFor('auth0|dave')).toBe(refreshesBefore);
    await unconfigured.close();
  });

  it('re-reads the identities once on an IdP 401 and uses the new token', async () => {
    const fresh = await stack.startBroker();
    expect((await call('/v1/idp/github/user', token.alice, {}, fresh.url)).status).toBe(200);
    await changeToken('rotate');
    const before = await stack.stats();
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => call('/v1/idp/github/user', token.alice, {}, fresh.url)),
    );
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    expect((await stack.stats()).managementGetUser - before.managementGetUser).toBe(1);

    await changeToken('expire');
    const expired = await call('/v1/idp/github/user', token.alice, {}, fresh.url);
    expect(problemOf(expired).code).toBe('idp_reauth_required');
    const identities = IdentitiesResponse.parse(
      (await call('/v1/me/identities', token.alice, {}, fresh.url)).json(),
    ).identities;
    expect(identities.find((identity) => identity.connection === 'github')?.status).toBe(
      'reconnect_required',
    );
    // Known to be refused now: no more GitHub calls until the tenant has something new.
    const quiet = await stack.stats();
    expect(problemOf(await call('/v1/idp/github/user', token.alice, {}, fresh.url)).code).toBe(
      'idp_reauth_required',
    );
    expect((await stack.stats()).idpCalls.github).toBe(quiet.idpCalls.github);
    await fresh.close();
  });
});

describe('no leaks over the whole suite', () => {
  it('no response or log line holds an IdP token, the M2M token or the M2M secret', async () => {
    const info = stack.info;
    // Learn the IdP tokens the way the broker does: with the M2M client.
    const m2mToken = await clientCredentialsToken({
      domain: info.domain,
      ...info.m2m,
      audience: info.managementAudience,
    });
    const secrets = [
      info.m2m.clientSecret,
      ...Object.values(info.idpClients).map((client) => client.clientSecret),
      m2mToken,
    ];
    for (const user of info.users) {
      const record = (await (
        await fetch(`${info.managementAudience}users/${encodeURIComponent(user.id)}`, {
          headers: { authorization: `Bearer ${m2mToken}` },
        })
      ).json()) as {
        identities: Array<{ access_token?: string; refresh_token?: string }>;
      };
      for (const identity of record.identities) {
        if (identity.access_token) secrets.push(identity.access_token);
        if (identity.refresh_token) secrets.push(identity.refresh_token);
      }
    }
    expect(secrets.length).toBeGreaterThan(8);
    const logs = stack.allLogLines();
    expect(logs.length).toBeGreaterThan(100);
    expect(observed.texts.length).toBeGreaterThan(100);
    expect(findLeaks([...observed.texts, ...logs], secrets, info.m2m.clientId)).toEqual([]);
  });
});
