import { pkcePair, postToken, signInHeadless } from '@linkboard/testing/headless-sign-in';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSandbox, type RunningSandbox } from '../src/index.js';
import { changeIdpToken } from '../src/control-client.js';
import { ACCESS_TOKEN_TYPE, TOKEN_VAULT_GRANT_TYPE } from '../src/oidc/token-vault-grant.js';

const ALL_SCOPES =
  'create:me:connected_accounts read:me:connected_accounts delete:me:connected_accounts';
const REDIRECT_URI = 'http://127.0.0.1:53682/callback';

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox?.close());

/** A user's access token for the My Account API (audience `{domain}/me/`), from a real sign-in. */
async function myAccountToken(username: string, scope = ALL_SCOPES): Promise<string> {
  const tokens = await signInHeadless(sandbox.info, username, {
    audience: `${sandbox.info.domain}/me/`,
    scope: `openid profile ${scope}`,
  });
  return tokens.access_token;
}

async function call(
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${sandbox.info.domain}/me/v1/${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    headers: response.headers,
  };
}

interface Started {
  authSession: string;
  ticket: string;
  connectUri: string;
  verifier: string;
}

async function connect(
  token: string,
  connection = 'github',
  extra: Record<string, unknown> = {},
): Promise<Started> {
  const pkce = pkcePair();
  const { status, body } = await call('POST', 'connected-accounts/connect', token, {
    connection,
    redirect_uri: REDIRECT_URI,
    state: 'state-1',
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
    ...extra,
  });
  expect(status).toBe(201);
  const params = body.connect_params as { ticket: string };
  return {
    authSession: String(body.auth_session),
    ticket: params.ticket,
    connectUri: String(body.connect_uri),
    verifier: pkce.verifier,
  };
}

/** The user's decision on the connect page; returns where the browser is sent back. */
async function decide(started: Started, decision: 'allow' | 'deny'): Promise<URL> {
  const response = await fetch(started.connectUri, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ticket: started.ticket, decision }).toString(),
    redirect: 'manual',
  });
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location') ?? '');
}

function complete(
  token: string,
  started: Started,
  code: string,
  extra: Record<string, string> = {},
) {
  return call('POST', 'connected-accounts/complete', token, {
    auth_session: started.authSession,
    connect_code: code,
    redirect_uri: REDIRECT_URI,
    code_verifier: started.verifier,
    ...extra,
  });
}

async function vaultExchange(username: string, connection: string) {
  const brokerToken = (await signInHeadless(sandbox.info, username)).access_token;
  return postToken(sandbox.info, {
    grant_type: TOKEN_VAULT_GRANT_TYPE,
    client_id: sandbox.info.tokenVault.clientId,
    client_secret: sandbox.info.tokenVault.clientSecret,
    subject_token: brokerToken,
    subject_token_type: ACCESS_TOKEN_TYPE,
    connection,
  });
}

describe('My Account API: Connected Accounts', () => {
  it('connects, lists and deletes an account, and Token Vault follows', async () => {
    const token = await myAccountToken('carol');
    expect((await vaultExchange('carol', 'github')).status).toBe(401);

    const started = await connect(token);
    expect(started.connectUri).toBe(`${sandbox.info.domain}/connect`);
    const page = await fetch(`${started.connectUri}?ticket=${started.ticket}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Connect GitHub');
    expect(html).toContain('<code>read:user</code>');
    expect(html).toMatch(/value="allow">Allow</);
    expect(html).toMatch(/value="deny">Deny</);

    const back = await decide(started, 'allow');
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT_URI);
    expect(back.searchParams.get('state')).toBe('state-1');
    const code = back.searchParams.get('connect_code') ?? '';
    expect(code.length).toBeGreaterThan(20);
    expect(code.length).toBeLessThanOrEqual(46);

    const completed = await complete(token, started, code);
    expect(completed.status).toBe(201);
    expect(completed.body).toEqual({
      id: expect.stringMatching(/^cac_/),
      connection: 'github',
      access_type: 'offline',
      scopes: ['read:user', 'repo', 'read:org'],
      created_at: expect.any(String),
      expires_at: expect.any(String),
    });

    const listed = await call('GET', 'connected-accounts/accounts', token);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ accounts: [completed.body] });

    const exchanged = await vaultExchange('carol', 'github');
    expect(exchanged.status).toBe(200);
    const github = await fetch(`${sandbox.info.idpBaseUrls.github}/user`, {
      headers: { authorization: `Bearer ${String(exchanged.body.access_token)}` },
    });
    expect(github.status).toBe(200);

    const deleted = await call(
      'DELETE',
      `connected-accounts/accounts/${String(completed.body.id)}`,
      token,
    );
    expect(deleted.status).toBe(204);
    expect((await call('GET', 'connected-accounts/accounts', token)).body).toEqual({
      accounts: [],
    });
    expect((await vaultExchange('carol', 'github')).status).toBe(401);
    // The provider no longer accepts the token Token Vault held.
    const afterDelete = await fetch(`${sandbox.info.idpBaseUrls.github}/user`, {
      headers: { authorization: `Bearer ${String(exchanged.body.access_token)}` },
    });
    expect(afterDelete.status).toBe(401);
    const again = await call(
      'DELETE',
      `connected-accounts/accounts/${String(completed.body.id)}`,
      token,
    );
    expect(again.status).toBe(404);
  });

  it('lists the accounts seeded in Token Vault', async () => {
    const listed = await call('GET', 'connected-accounts/accounts', await myAccountToken('erin'));
    expect(
      (listed.body.accounts as Array<{ connection: string }>).map((account) => account.connection),
    ).toEqual(['github', 'google-oauth2']);
  });

  it('refuses each wrong completion with a problem document, and a code works once', async () => {
    const token = await myAccountToken('carol');
    const started = await connect(token, 'google-oauth2');
    const code = (await decide(started, 'allow')).searchParams.get('connect_code') ?? '';
    const dave = await myAccountToken('dave');

    for (const [name, attempt, status, detail] of [
      [
        'wrong verifier',
        complete(token, started, code, { code_verifier: pkcePair().verifier }),
        400,
        'Invalid code_verifier.',
      ],
      ['wrong code', complete(token, started, `${code}x`), 400, 'Invalid connect_code.'],
      [
        'wrong redirect_uri',
        complete(token, started, code, { redirect_uri: 'http://127.0.0.1:1/callback' }),
        400,
        'redirect_uri does not match the connect request.',
      ],
      [
        "another user's auth_session",
        complete(dave, started, code),
        404,
        'The connected account request was not found.',
      ],
    ] as const) {
      const refused = await attempt;
      expect({ name, status: refused.status, detail: refused.body.detail }).toEqual({
        name,
        status,
        detail,
      });
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body.type).toMatch(/^https:\/\/auth0\.com\/api-errors\/A0E-\d{3}-\d{4}$/);
    }
    expect((await complete(token, started, code)).status).toBe(201);
    const reused = await complete(token, started, code);
    expect(reused.status).toBe(404);
  });

  it('returns to the app with access_denied when the user denies, and nothing is connected', async () => {
    const token = await myAccountToken('carol');
    const started = await connect(token, 'windowslive');
    const back = await decide(started, 'deny');
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('state-1');
    expect(back.searchParams.has('connect_code')).toBe(false);
    const refused = await complete(token, started, 'x'.repeat(32));
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toBe('The connected account request was not approved.');
    const second = await fetch(`${started.connectUri}?ticket=${started.ticket}`);
    expect(second.status).toBe(400);
    expect((await vaultExchange('carol', 'windowslive')).status).toBe(401);
  });

  it('lets a ticket expire', async () => {
    const token = await myAccountToken('carol');
    const started = await connect(token);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 301_000);
      const page = await fetch(`${started.connectUri}?ticket=${started.ticket}`);
      expect(page.status).toBe(400);
      expect(await page.text()).toContain('This connect link has expired');
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses callers without a My Account token or without the scope', async () => {
    const readOnly = await myAccountToken('carol', 'read:me:connected_accounts');
    const brokerToken = (await signInHeadless(sandbox.info, 'carol')).access_token;
    for (const [name, token, status, detail] of [
      ['no token', undefined, 401, 'Missing or invalid token.'],
      ['a broker API token', brokerToken, 401, 'Missing or invalid token.'],
      [
        'no create scope',
        readOnly,
        403,
        'Insufficient scope, expected: create:me:connected_accounts.',
      ],
    ] as const) {
      const refused = await call('POST', 'connected-accounts/connect', token, {
        connection: 'github',
        redirect_uri: REDIRECT_URI,
      });
      expect({ name, status: refused.status, detail: refused.body.detail }).toEqual({
        name,
        status,
        detail,
      });
    }
    expect((await call('GET', 'connected-accounts/accounts', readOnly)).status).toBe(200);
    expect((await call('DELETE', 'connected-accounts/accounts/cac_x', readOnly)).status).toBe(403);
  });

  it('checks the connect request: PKCE for the public desktop client, its redirect URIs, the connection', async () => {
    const token = await myAccountToken('carol');
    const { challenge } = pkcePair();
    for (const [name, body, detail] of [
      [
        'no code_challenge',
        { connection: 'github', redirect_uri: REDIRECT_URI },
        'code_challenge is required for public clients.',
      ],
      [
        'a web redirect_uri',
        {
          connection: 'github',
          redirect_uri: 'https://evil.example/cb',
          code_challenge: challenge,
        },
        'redirect_uri is not allowed for this client.',
      ],
      [
        'an unknown connection',
        { connection: 'gitlab', redirect_uri: REDIRECT_URI, code_challenge: challenge },
        'Unknown connection: gitlab',
      ],
    ] as const) {
      const refused = await call('POST', 'connected-accounts/connect', token, body);
      expect({ name, status: refused.status, detail: refused.body.detail }).toEqual({
        name,
        status: 400,
        detail,
      });
    }
    const invalid = await call('POST', 'connected-accounts/connect', token, { connection: '' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.validation_errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'redirect_uri' })]),
    );
  });

  it('answers CORS preflights for the desktop origins only', async () => {
    for (const [origin, allowed] of [
      ['app://linkboard', true],
      ['http://127.0.0.1:5173', true],
      ['https://evil.example', false],
    ] as const) {
      const response = await fetch(`${sandbox.info.domain}/me/v1/connected-accounts/connect`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(allowed ? origin : null);
    }
  });
});

describe('POST /_sandbox/reset and Connected Accounts', () => {
  const githubUser = (token: unknown) =>
    fetch(`${sandbox.info.idpBaseUrls.github}/user`, {
      headers: { authorization: `Bearer ${String(token)}` },
    });

  it('restores the seeded connected accounts and their tokensets, and forgets what was connected or started since', async () => {
    const erin = await myAccountToken('erin');
    const seeded = (await call('GET', 'connected-accounts/accounts', erin)).body;
    const seededGithub = await vaultExchange('erin', 'github');
    expect(seededGithub.status).toBe(200);
    const [github, google] = seeded.accounts as Array<{ id: string; connection: string }>;
    expect([github?.connection, google?.connection]).toEqual(['github', 'google-oauth2']);
    // erin disconnects GitHub; her Google account is revoked at the provider.
    expect(
      (await call('DELETE', `connected-accounts/accounts/${String(github?.id)}`, erin)).status,
    ).toBe(204);
    const revoked = await changeIdpToken(sandbox.url, {
      userId: 'auth0|erin',
      connection: 'google-oauth2',
      action: 'revoke-connected',
    });
    expect(revoked.status).toBe(200);
    expect((await vaultExchange('erin', 'github')).status).toBe(401);
    expect((await vaultExchange('erin', 'google-oauth2')).status).toBe(401);
    // carol connects GitHub, and starts a Google connect she has not decided yet.
    const carol = await myAccountToken('carol');
    const carolGithub = await connect(carol);
    const code = (await decide(carolGithub, 'allow')).searchParams.get('connect_code') ?? '';
    expect((await complete(carol, carolGithub, code)).status).toBe(201);
    const carolToken = (await vaultExchange('carol', 'github')).body.access_token;
    expect((await githubUser(carolToken)).status).toBe(200);
    const pending = await connect(carol, 'google-oauth2');

    expect((await fetch(`${sandbox.url}/_sandbox/reset`, { method: 'POST' })).status).toBe(200);

    expect((await call('GET', 'connected-accounts/accounts', erin)).body).toEqual(seeded);
    const restored = await vaultExchange('erin', 'github');
    expect(restored.status).toBe(200);
    expect(restored.body.access_token).toBe(seededGithub.body.access_token);
    expect((await githubUser(restored.body.access_token)).status).toBe(200);
    expect((await vaultExchange('erin', 'google-oauth2')).status).toBe(200);
    // What carol connected is gone, its token refused; her flow in progress no longer works.
    expect((await call('GET', 'connected-accounts/accounts', carol)).body).toEqual({
      accounts: [],
    });
    expect((await vaultExchange('carol', 'github')).status).toBe(401);
    expect((await githubUser(carolToken)).status).toBe(401);
    expect((await fetch(`${pending.connectUri}?ticket=${pending.ticket}`)).status).toBe(400);
  });
});
