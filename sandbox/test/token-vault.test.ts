import {
  clientCredentials,
  exchangeCode,
  postToken,
  signInForCode,
  signInHeadless,
} from '@linkboard/testing/headless-sign-in';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { IssuedIdpTokens } from '../src/control-schemas.js';
import { startSandbox, type RunningSandbox, type SandboxStats } from '../src/index.js';
import {
  ACCESS_TOKEN_TYPE,
  FEDERATED_CONNECTION_ACCESS_TOKEN_TYPE,
  REFRESH_TOKEN_TYPE,
  TOKEN_VAULT_GRANT_TYPE,
} from '../src/oidc/token-vault-grant.js';
import { getUser, managementToken } from './support/management.js';

let sandbox: RunningSandbox;
/** Erin's and Alice's access tokens for the broker API, from a real sign-in. */
const brokerTokens: Record<'erin' | 'alice', string> = { erin: '', alice: '' };
let aliceIdToken: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  const erin = await signInHeadless(sandbox.info, 'erin');
  const alice = await signInHeadless(sandbox.info, 'alice');
  brokerTokens.erin = erin.access_token;
  brokerTokens.alice = alice.access_token;
  aliceIdToken = alice.id_token;
});
afterAll(() => sandbox?.close());
beforeEach(async () => {
  await fetch(`${sandbox.url}/_sandbox/reset`, { method: 'POST' });
});

/** The broker's exchange, as its Token Vault client sends it; `overrides` replace or drop fields. */
function exchange(
  subjectToken: string,
  connection: string,
  overrides: Record<string, string | undefined> = {},
) {
  const form: Record<string, string | undefined> = {
    grant_type: TOKEN_VAULT_GRANT_TYPE,
    client_id: sandbox.info.tokenVault.clientId,
    client_secret: sandbox.info.tokenVault.clientSecret,
    subject_token: subjectToken,
    subject_token_type: ACCESS_TOKEN_TYPE,
    requested_token_type: FEDERATED_CONNECTION_ACCESS_TOKEN_TYPE,
    connection,
    ...overrides,
  };
  return postToken(
    sandbox.info,
    Object.fromEntries(
      Object.entries(form).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ),
  );
}

async function stats(): Promise<SandboxStats> {
  return (await (await fetch(`${sandbox.url}/_sandbox/stats`)).json()) as SandboxStats;
}

describe('Token Vault exchange (access token variant) at /oauth/token', () => {
  it("gives the broker's Token Vault client the user's connected GitHub token, which GitHub accepts", async () => {
    const { status, body, headers } = await exchange(brokerTokens.erin, 'github');
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toContain('no-store');
    expect(body).toEqual({
      access_token: expect.stringMatching(/^gho_/),
      token_type: 'Bearer',
      expires_in: expect.any(Number),
      scope: 'read:user repo read:org',
      issued_token_type: FEDERATED_CONNECTION_ACCESS_TOKEN_TYPE,
    });
    expect(body.expires_in).toBeGreaterThan(7 * 3600);

    const user = await fetch(`${sandbox.info.idpBaseUrls.github}/user`, {
      headers: { authorization: `Bearer ${String(body.access_token)}` },
    });
    expect(user.status).toBe(200);
    expect(((await user.json()) as { login: string }).login).toBe('erin-vault');
    expect((await stats()).tokenVaultExchanges).toEqual({
      github: 1,
      'google-oauth2': 0,
      windowslive: 0,
      bitbucket: 0,
    });
  });

  it('refreshes an expired connected token at the provider before answering', async () => {
    const { status, body } = await exchange(brokerTokens.erin, 'google-oauth2');
    expect(status).toBe(200);
    const token = String(body.access_token);
    const issued = IssuedIdpTokens.parse(
      await (await fetch(`${sandbox.url}/_sandbox/idp-tokens`)).json(),
    ).tokens.filter((entry) => entry.userId === 'auth0|erin' && entry.kind === 'access_token');
    expect(issued.find((entry) => entry.value === token)?.source).toBe('refresh');
    expect(
      issued.find((entry) => entry.source === 'seed' && entry.connection === 'google-oauth2'),
    ).toBeDefined();

    const userinfo = await fetch(
      `${sandbox.info.idpBaseUrls['google-oauth2']}/oauth2/v3/userinfo`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(userinfo.status).toBe(200);
    // The refreshed token is kept: a second exchange gives the same one.
    expect((await exchange(brokerTokens.erin, 'google-oauth2')).body.access_token).toBe(token);
  });

  it('answers 401 federated_connection_refresh_token_not_found when the user connected no such account', async () => {
    // Alice's GitHub is linked (identities[]), not connected: Token Vault has nothing for her.
    for (const [token, connection, hint] of [
      [brokerTokens.alice, 'github', undefined],
      [brokerTokens.erin, 'windowslive', undefined],
      [brokerTokens.erin, 'github', '5810001'],
    ] as const) {
      const { status, body } = await exchange(token, connection, { login_hint: hint });
      expect({ connection, hint, status, error: body.error }).toEqual({
        connection,
        hint,
        status: 401,
        error: 'federated_connection_refresh_token_not_found',
      });
    }
    expect((await exchange(brokerTokens.erin, 'github', { login_hint: '5810005' })).status).toBe(
      200,
    );
  });

  it("refuses any subject token that is not a user's access token for the client's API", async () => {
    const managementApiToken = await managementToken(sandbox.info);
    const brokerApiM2mToken = (
      await clientCredentials(sandbox.info, sandbox.info.m2mLimited, sandbox.info.brokerAudience)
    ).body.access_token as string;
    const opaqueUserToken = (await signInHeadless(sandbox.info, 'erin', { audience: '' }))
      .access_token;
    const [header, payload] = brokerTokens.erin.split('.');
    const forged = `${header}.${payload}.${Buffer.from('not the tenant signature').toString('base64url')}`;

    for (const [name, subjectToken, description] of [
      [
        'a token for another API',
        managementApiToken,
        'The subject token is not for the API of this client',
      ],
      [
        'an M2M token for the API',
        brokerApiM2mToken,
        'The subject token was issued to a client, not a user',
      ],
      ['an ID token', aliceIdToken, 'Invalid subject token'],
      ['an opaque /userinfo token', opaqueUserToken, 'Invalid subject token'],
      ['a token with a forged signature', forged, 'Invalid subject token'],
    ] as const) {
      const { status, body } = await exchange(subjectToken, 'github');
      expect({ name, status, body }).toEqual({
        name,
        status: 403,
        body: { error: 'invalid_grant', error_description: description },
      });
    }
  });

  it('refuses a subject token that has expired', async () => {
    // The sandbox runs in this process: its clock is this one, moved past the token's hour.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 2 * 3600 * 1000);
      const { status, body } = await exchange(brokerTokens.erin, 'github');
      expect({ status, body }).toEqual({
        status: 403,
        body: { error: 'invalid_grant', error_description: 'The subject token has expired' },
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses missing and unsupported parameters with 400 invalid_request', async () => {
    for (const [overrides, description] of [
      [{ connection: undefined }, 'Missing required parameter: connection'],
      [{ subject_token: undefined }, 'Missing required parameter: subject_token'],
      [
        { subject_token_type: 'urn:ietf:params:oauth:token-type:id_token' },
        'Unsupported subject_token_type',
      ],
      [{ requested_token_type: ACCESS_TOKEN_TYPE }, 'Unsupported requested_token_type'],
      [{ connection: 'gitlab' }, 'Unknown connection: gitlab'],
    ] as const) {
      const { status, body } = await exchange(brokerTokens.erin, 'github', overrides);
      expect({ overrides, status, body }).toEqual({
        overrides,
        status: 400,
        body: { error: 'invalid_request', error_description: description },
      });
    }
  });

  it('is refused to clients without the grant, and the Token Vault client has no Management API access', async () => {
    const desktop = await postToken(sandbox.info, {
      grant_type: TOKEN_VAULT_GRANT_TYPE,
      client_id: sandbox.info.desktopClientId,
      subject_token: brokerTokens.erin,
      subject_token_type: ACCESS_TOKEN_TYPE,
      connection: 'github',
    });
    const broker = await exchange(brokerTokens.erin, 'github', {
      client_id: sandbox.info.m2m.clientId,
      client_secret: sandbox.info.m2m.clientSecret,
    });
    for (const refused of [desktop, broker]) {
      expect(refused.status).toBe(403);
      expect(refused.body.error).toBe('unauthorized_client');
    }
    const wrongSecret = await exchange(brokerTokens.erin, 'github', {
      client_secret: 'not-the-secret-of-this-client',
    });
    expect(wrongSecret.status).toBe(401);

    const management = await clientCredentials(sandbox.info, sandbox.info.tokenVault);
    expect(management.status).toBe(403);
    expect(management.body.error).toBe('unauthorized_client');
  });

  it("keeps connected accounts out of the user's linked identities", async () => {
    const response = await getUser(sandbox.info, 'auth0|erin', await managementToken(sandbox.info));
    expect(response.status).toBe(200);
    // Only her database identity: nothing of GitHub or Google for the Management API to hand out.
    const { identities } = (await response.json()) as { identities: Array<{ provider: string }> };
    expect(identities.map((identity) => identity.provider)).toEqual(['auth0']);
    expect(sandbox.info.users.find((user) => user.username === 'erin')).toMatchObject({
      connections: [],
      connectedAccounts: ['github', 'google-oauth2'],
    });
  });
});

describe('Token Vault exchange (refresh token variant) at /oauth/token', () => {
  /** A refresh token the tenant issued to the web application for `username`, from a real sign-in. */
  async function webAppRefreshToken(username: string): Promise<string> {
    const { webVault } = sandbox.info;
    const signIn = await signInForCode(sandbox.info, username, {
      clientId: webVault.clientId,
      redirectUri: webVault.redirectUri,
      audience: '',
      scope: 'openid profile offline_access',
    });
    const { status, body } = await exchangeCode(sandbox.info, signIn, {
      client_id: webVault.clientId,
      client_secret: webVault.clientSecret,
    });
    expect(status).toBe(200);
    return body.refresh_token as string;
  }

  /** The web application's exchange of a refresh token; `overrides` replace or add fields. */
  function exchangeRefreshToken(
    refreshToken: string,
    connection: string,
    overrides: Record<string, string> = {},
  ) {
    return postToken(sandbox.info, {
      grant_type: TOKEN_VAULT_GRANT_TYPE,
      client_id: sandbox.info.webVault.clientId,
      client_secret: sandbox.info.webVault.clientSecret,
      subject_token: refreshToken,
      subject_token_type: REFRESH_TOKEN_TYPE,
      requested_token_type: FEDERATED_CONNECTION_ACCESS_TOKEN_TYPE,
      connection,
      ...overrides,
    });
  }

  const UNUSABLE_REFRESH_TOKEN = {
    status: 403,
    body: { error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' },
  };

  it("gives the web application the user's connected GitHub token for its refresh token, which GitHub accepts", async () => {
    const refreshToken = await webAppRefreshToken('erin');
    const { status, body, headers } = await exchangeRefreshToken(refreshToken, 'github');
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toContain('no-store');
    expect(body).toEqual({
      access_token: expect.stringMatching(/^gho_/),
      token_type: 'Bearer',
      expires_in: expect.any(Number),
      scope: 'read:user repo read:org',
      issued_token_type: FEDERATED_CONNECTION_ACCESS_TOKEN_TYPE,
    });
    const user = await fetch(`${sandbox.info.idpBaseUrls.github}/user`, {
      headers: { authorization: `Bearer ${String(body.access_token)}` },
    });
    expect(((await user.json()) as { login: string }).login).toBe('erin-vault');
    expect((await stats()).tokenVaultExchanges).toEqual({
      github: 1,
      'google-oauth2': 0,
      windowslive: 0,
      bitbucket: 0,
    });
  });

  it('keeps the refresh token usable: rotation is off for this application, as Token Vault needs', async () => {
    const refreshToken = await webAppRefreshToken('erin');
    const refreshed = await postToken(sandbox.info, {
      grant_type: 'refresh_token',
      client_id: sandbox.info.webVault.clientId,
      client_secret: sandbox.info.webVault.clientSecret,
      refresh_token: refreshToken,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).toBe(refreshToken);
    expect((await exchangeRefreshToken(refreshToken, 'github')).status).toBe(200);
  });

  it('refreshes an expired connected token at the provider before answering', async () => {
    const { status, body } = await exchangeRefreshToken(
      await webAppRefreshToken('erin'),
      'google-oauth2',
    );
    expect(status).toBe(200);
    const issued = IssuedIdpTokens.parse(
      await (await fetch(`${sandbox.url}/_sandbox/idp-tokens`)).json(),
    ).tokens.find((entry) => entry.value === body.access_token);
    expect(issued).toMatchObject({ userId: 'auth0|erin', source: 'refresh' });
  });

  it('answers 401 federated_connection_refresh_token_not_found when the user connected no such account', async () => {
    const alice = await webAppRefreshToken('alice');
    const erin = await webAppRefreshToken('erin');
    for (const [refreshToken, connection, hint] of [
      [alice, 'github', undefined],
      [erin, 'windowslive', undefined],
      [erin, 'github', '5810001'],
    ] as const) {
      const { status, body } = await exchangeRefreshToken(
        refreshToken,
        connection,
        hint ? { login_hint: hint } : {},
      );
      expect({ connection, status, body }).toEqual({
        connection,
        status: 401,
        body: {
          error: 'federated_connection_refresh_token_not_found',
          error_description: 'Federated connection refresh token not found.',
        },
      });
    }
  });

  it("refuses another client's refresh token, a revoked one, an access token and garbage", async () => {
    const desktopRefreshToken = (await signInHeadless(sandbox.info, 'erin')).refresh_token;
    expect(desktopRefreshToken).toBeDefined();
    const revoked = await webAppRefreshToken('erin');
    const revocation = await fetch(new URL('/oauth/revoke', sandbox.info.domain), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: sandbox.info.webVault.clientId,
        client_secret: sandbox.info.webVault.clientSecret,
        token: revoked,
      }).toString(),
    });
    expect(revocation.status).toBe(200);

    for (const [name, subjectToken] of [
      ["the desktop app's refresh token", desktopRefreshToken as string],
      ['a revoked refresh token', revoked],
      ['an access token', brokerTokens.erin],
      ['garbage', 'not-a-refresh-token'],
    ] as const) {
      const { status, body } = await exchangeRefreshToken(subjectToken, 'github');
      expect({ name, status, body }).toEqual({ name, ...UNUSABLE_REFRESH_TOKEN });
    }
    // The broker's Token Vault client cannot use the web application's refresh token either.
    const webToken = await webAppRefreshToken('erin');
    const { status, body } = await exchangeRefreshToken(webToken, 'github', {
      client_id: sandbox.info.tokenVault.clientId,
      client_secret: sandbox.info.tokenVault.clientSecret,
    });
    expect({ status, body }).toEqual(UNUSABLE_REFRESH_TOKEN);
    const wrongSecret = await exchangeRefreshToken(webToken, 'github', {
      client_secret: 'not-the-secret-of-this-client',
    });
    expect(wrongSecret.status).toBe(401);
  });

  it('refuses a refresh token that has expired', async () => {
    const refreshToken = await webAppRefreshToken('erin');
    // The sandbox runs in this process: its clock is this one, moved past the token's 30 days.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 31 * 86_400 * 1000);
      const { status, body } = await exchangeRefreshToken(refreshToken, 'github');
      expect({ status, body }).toEqual(UNUSABLE_REFRESH_TOKEN);
    } finally {
      vi.useRealTimers();
    }
  });
});
