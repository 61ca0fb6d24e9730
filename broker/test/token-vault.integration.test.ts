import { changeIdpToken } from '@linkboard/sandbox/control-client';
import { IdentitiesResponse, Problem } from '@linkboard/contract';
import { clientCredentialsToken } from '@linkboard/testing/client-credentials';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { NOT_CONNECTED_TTL_MS } from '../src/idp/token-vault-token-source.js';
import { connectAccount, disconnectAccount } from './support/connected-accounts.js';
import { signIn } from './support/sign-in.js';
import {
  callBroker,
  listIdentities,
  startStack,
  type BrokerHandle,
  type Stack,
} from './support/stack.js';

/**
 * The broker with `TOKEN_SOURCE=token-vault`, started with only the Token Vault client's
 * credentials (no Management API settings at all), against the sandbox's real exchange: erin's
 * GitHub and Google are connected through Connected Accounts only.
 */
const TOKEN_VAULT_GRANT =
  'urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token';

let stack: Stack;
let broker: BrokerHandle;
let erin: string;

beforeAll(async () => {
  stack = await startStack();
  broker = await stack.startVaultBroker();
  erin = await stack.tokenFor('erin');
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

beforeEach(async () => {
  await stack.reset();
});

const problemOf = (response: { json: () => unknown }) => Problem.parse(response.json());

/** A Token Vault exchange sent by hand with the broker's credentials and `subjectToken`. */
async function exchange(subjectToken: string, connection = 'github') {
  const response = await fetch(new URL('/oauth/token', stack.info.domain), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: TOKEN_VAULT_GRANT,
      client_id: stack.info.tokenVault.clientId,
      client_secret: stack.info.tokenVault.clientSecret,
      subject_token: subjectToken,
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      requested_token_type: 'http://auth0.com/oauth/token-type/federated-connection-access-token',
      connection,
    }),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('TOKEN_SOURCE=token-vault', () => {
  it('lets erin browse GitHub with no Management API call at all', async () => {
    const response = await callBroker(broker.url, '/v1/idp/github/user/repos', erin);
    expect(response.status).toBe(200);
    expect(Array.isArray(response.json())).toBe(true);
    const again = await callBroker(broker.url, '/v1/idp/github/user', erin);
    expect(again.status).toBe(200);
    expect((again.json() as { login: string }).login).toBe('erin-vault');

    const stats = await stack.stats();
    expect(stats.managementGetUser).toBe(0);
    expect(stats.grants.client_credentials).toBe(0);
    // The second call reused the exchanged token.
    expect(stats.tokenVaultExchanges.github).toBe(1);
    expect(stats.idpCalls.github).toBe(2);
    // Neither erin's token, the exchanged GitHub token nor the client secret reaches the logs.
    const exchanged = (await exchange(erin)).body.access_token;
    expect(typeof exchanged).toBe('string');
    const logs = broker.logLines.join('\n');
    for (const secret of [erin, exchanged as string, stack.info.tokenVault.clientSecret]) {
      expect(logs).not.toContain(secret);
    }
  });

  it('is ready with the key set and the token endpoint, and checks no M2M token', async () => {
    const response = await callBroker(broker.url, '/readyz', undefined);
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({
      status: 'ready',
      checks: { jwks: true, tokenEndpoint: true },
    });
    expect((await stack.stats()).grants.client_credentials).toBe(0);
  });

  it('answers identity_not_linked with a connect hint for a connection the user has not connected', async () => {
    const response = await callBroker(broker.url, '/v1/idp/windowslive/v1.0/me?$select=id', erin);
    expect(response.status).toBe(404);
    expect(problemOf(response)).toMatchObject({
      code: 'identity_not_linked',
      connect: { connection: 'windowslive' },
    });
    // alice's GitHub is linked in the tenant, not connected through Token Vault.
    const alice = await callBroker(
      broker.url,
      '/v1/idp/github/user',
      await stack.tokenFor('alice'),
    );
    expect(problemOf(alice)).toMatchObject({
      code: 'identity_not_linked',
      connect: { connection: 'github' },
    });
    expect((await stack.stats()).tokenVaultExchanges).toMatchObject({ windowslive: 1, github: 1 });
  });

  it("says the broker's credentials were refused, not that the user must connect, when its secret is wrong", async () => {
    const misconfigured = await stack.startVaultBroker({
      env: { AUTH0_TOKEN_VAULT_CLIENT_SECRET: 'not-the-token-vault-client-secret' },
    });
    try {
      const response = await callBroker(misconfigured.url, '/v1/idp/github/user', erin);
      expect(response.status).toBe(502);
      const problem = problemOf(response);
      expect(problem.code).toBe('upstream_error');
      expect(problem).not.toHaveProperty('connect');
      expect(problem.detail).toMatch(/AUTH0_TOKEN_VAULT_CLIENT_SECRET/);
      // Not remembered as "not connected": the next call asks the tenant again, and both count
      // as refused (the tenant counts no exchange for a client it did not authenticate).
      await callBroker(misconfigured.url, '/v1/idp/github/user', erin);
      const metrics = await misconfigured.app.inject({ url: '/metrics' });
      expect(metrics.body).toContain(
        'broker_token_vault_exchanges_total{connection="github",outcome="refused"} 2',
      );
      expect(metrics.body).not.toContain('outcome="not_connected"');
      // The account list says the same instead of listing nothing connected.
      const list = await callBroker(misconfigured.url, '/v1/me/identities', erin);
      expect(list.status).toBe(502);
      expect(problemOf(list).code).toBe('upstream_error');
      // …and nothing of the sandbox's answer or the wrong secret reaches the caller.
      expect(response.text).not.toContain('not-the-token-vault-client-secret');
      // A balancer sends no one to it: the readiness check authenticates the broker's client.
      const ready = await callBroker(misconfigured.url, '/readyz', undefined);
      expect(ready.status).toBe(503);
      expect(ready.json()).toMatchObject({ checks: { jwks: true, tokenEndpoint: false } });
    } finally {
      await misconfigured.close();
    }
  });

  it('exchanges once for 200 concurrent cold calls of one user and connection', async () => {
    const fresh = await stack.startVaultBroker({
      // 200 connections from one address: the per-address bound is not what this test is about.
      limits: { maxConnectionsPerAddress: 0 },
    });
    const answers = await Promise.all(
      Array.from({ length: 200 }, () => callBroker(fresh.url, '/v1/idp/github/user', erin)),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(200).fill(200));
    const stats = await stack.stats();
    expect(stats.tokenVaultExchanges.github).toBe(1);
    expect(stats.managementGetUser).toBe(0);
  });

  it('exchanges once more when the provider refuses the token, then asks to reconnect', async () => {
    const fresh = await stack.startVaultBroker();
    await stack.fault({ target: 'idp:github', kind: 'status', status: 401, count: 1 });
    const response = await callBroker(fresh.url, '/v1/idp/github/user', erin);
    expect(response.status).toBe(403);
    expect(problemOf(response).code).toBe('idp_reauth_required');
    const stats = await stack.stats();
    // The re-exchange gave the token the provider had just refused: it is not sent again.
    expect(stats.tokenVaultExchanges.github).toBe(2);
    expect(stats.idpCalls.github).toBe(1);

    // The refused token is not kept: the next call exchanges afresh.
    const next = await callBroker(fresh.url, '/v1/idp/github/user', erin);
    expect(next.status).toBe(200);
    expect((await stack.stats()).tokenVaultExchanges.github).toBe(3);
  });
});

describe('GET /v1/me/identities with TOKEN_SOURCE=token-vault', () => {
  it("lists erin's connected accounts from exchange results, and every catalogue connection as connectable", async () => {
    const fresh = await stack.startVaultBroker();
    const response = await callBroker(fresh.url, '/v1/me/identities', erin);
    expect(response.status).toBe(200);
    const body = IdentitiesResponse.parse(response.json());
    expect(body.connectable.sort()).toEqual([
      'bitbucket',
      'github',
      'google-oauth2',
      'windowslive',
    ]);
    expect(
      body.identities.map(({ connection, status, userId }) => ({ connection, status, userId })),
    ).toEqual([
      { connection: 'github', status: 'ready', userId: undefined },
      { connection: 'google-oauth2', status: 'ready', userId: undefined },
    ]);
    const stats = await stack.stats();
    expect(stats.managementGetUser).toBe(0);
    expect(stats.grants.client_credentials).toBe(0);
    expect(stats.tokenVaultExchanges).toMatchObject({
      github: 1,
      'google-oauth2': 1,
      windowslive: 1,
    });

    // The exchanged tokens are the proxy's too: browsing GitHub now costs no exchange.
    expect((await callBroker(fresh.url, '/v1/idp/github/user', erin)).status).toBe(200);
    expect((await stack.stats()).tokenVaultExchanges.github).toBe(1);
    // Neither a provider token nor erin's own appears in the answer.
    expect(response.text).not.toMatch(/gh[or]_|ya29\.|eyJ/);
  });

  it('says reconnect_required when the provider no longer takes the connected account', async () => {
    const fresh = await stack.startVaultBroker();
    const revoke = await changeIdpToken(stack.info.domain, {
      userId: 'auth0|erin',
      connection: 'google-oauth2',
      action: 'revoke-connected',
    });
    expect(revoke.status).toBe(200);
    const body = IdentitiesResponse.parse(
      (await callBroker(fresh.url, '/v1/me/identities', erin)).json(),
    );
    expect(body.identities.map(({ connection, status }) => ({ connection, status }))).toEqual([
      { connection: 'github', status: 'ready' },
      { connection: 'google-oauth2', status: 'reconnect_required' },
    ]);
  });
});

describe('"no connected account" remembered, and the fresh list after Connect and Disconnect', () => {
  it('exchanges once per unconnected connection for repeated lists and proxied calls', async () => {
    const fresh = await stack.startVaultBroker();
    // frank's accounts are linked in the tenant, none connected through Token Vault.
    const frank = await stack.tokenFor('frank');
    const lists = await Promise.all([
      listIdentities(fresh.url, frank),
      listIdentities(fresh.url, frank),
    ]);
    lists.push(await listIdentities(fresh.url, frank));
    expect(lists).toEqual([[], [], []]);
    const refused = await callBroker(fresh.url, '/v1/idp/windowslive/v1.0/me?$select=id', frank);
    expect(refused.status).toBe(404);
    expect(problemOf(refused)).toMatchObject({
      code: 'identity_not_linked',
      connect: { connection: 'windowslive' },
    });
    expect((await stack.stats()).tokenVaultExchanges).toEqual({
      github: 1,
      'google-oauth2': 1,
      windowslive: 1,
      bitbucket: 1,
    });
  });

  it('forgets "no connected account" after NOT_CONNECTED_TTL_MS', async () => {
    let clock = Date.now();
    const fresh = await stack.startVaultBroker({
      now: () => clock,
    });
    const frank = await stack.tokenFor('frank');
    const exchangesAfter = async (advanceMs: number) => {
      clock += advanceMs;
      expect(await listIdentities(fresh.url, frank)).toEqual([]);
      return (await stack.stats()).tokenVaultExchanges.windowslive;
    };
    expect(await exchangesAfter(0)).toBe(1);
    expect(await exchangesAfter(NOT_CONNECTED_TTL_MS - 1000)).toBe(1);
    expect(await exchangesAfter(2000)).toBe(2);
  });

  it('shows an account connected from the app at once on the no-cache list, and browses it', async () => {
    const fresh = await stack.startVaultBroker();
    const carol = await stack.tokenFor('carol');
    expect(await listIdentities(fresh.url, carol)).toEqual([]);
    await connectAccount(stack.info, 'carol', 'github');
    // Remembered: an ordinary list does not see the new account yet (and costs no exchange)…
    expect(await listIdentities(fresh.url, carol)).toEqual([]);
    expect((await stack.stats()).tokenVaultExchanges.github).toBe(1);
    // …the app's list after its Connect asks for a fresh answer, and gets it.
    expect(await listIdentities(fresh.url, carol, true)).toEqual(['github:ready']);
    expect((await stack.stats()).tokenVaultExchanges).toEqual({
      github: 2,
      'google-oauth2': 2,
      windowslive: 2,
      bitbucket: 2,
    });
    const user = await callBroker(fresh.url, '/v1/idp/github/user', carol);
    expect(user.status).toBe(200);
    expect((await stack.stats()).tokenVaultExchanges.github).toBe(2);
  });

  it('stops serving a disconnected account once the app asks for its no-cache list', async () => {
    const fresh = await stack.startVaultBroker();
    const dave = await stack.tokenFor('dave');
    await connectAccount(stack.info, 'dave', 'github');
    expect((await callBroker(fresh.url, '/v1/idp/github/user', dave)).status).toBe(200);
    await disconnectAccount(stack.info, 'dave', 'github');
    expect(await listIdentities(fresh.url, dave, true)).toEqual([]);

    const refused = await callBroker(fresh.url, '/v1/idp/github/user', dave);
    expect(refused.status).toBe(404);
    expect(problemOf(refused)).toMatchObject({
      code: 'identity_not_linked',
      connect: { connection: 'github' },
    });
    // The exchange of the fresh list answered it: the proxied call cost none, nor a GitHub call.
    const stats = await stack.stats();
    expect(stats.tokenVaultExchanges.github).toBe(2);
    expect(stats.idpCalls.github).toBe(1);
  });

  it("honours no-cache for the caller's own user only", async () => {
    const fresh = await stack.startVaultBroker();
    const carol = await stack.tokenFor('carol');
    await listIdentities(fresh.url, erin);
    await listIdentities(fresh.url, carol, true);
    await listIdentities(fresh.url, erin);
    // erin's answers were kept through carol's fresh list: one exchange per connection for her.
    expect((await stack.stats()).tokenVaultExchanges.github).toBe(2);
  });
});

describe("the Token Vault client's credentials alone", () => {
  it('are refused a Management API token', async () => {
    await expect(
      clientCredentialsToken({
        domain: stack.info.domain,
        clientId: stack.info.tokenVault.clientId,
        clientSecret: stack.info.tokenVault.clientSecret,
        audience: stack.info.managementAudience,
      }),
    ).rejects.toThrow(/HTTP 4\d\d/);
  });

  it("obtain erin's GitHub token only with erin's access token for the broker API", async () => {
    expect((await exchange(erin)).status).toBe(200);

    // erin's own access token, but for the My Account API, not the broker's API.
    const otherAudience = await signIn(stack.info, 'erin', {
      audience: `${stack.info.domain}/me/`,
      scope: 'openid profile read:me:connected_accounts',
    });
    const refusedAudience = await exchange(otherAudience.accessToken);
    expect(refusedAudience.status).toBe(403);
    expect(refusedAudience.body).toMatchObject({ error: 'invalid_grant' });

    const signedIn = await signIn(stack.info, 'erin');
    if (!signedIn.idToken) throw new Error('the sign-in gave no ID token');
    const refusedIdToken = await exchange(signedIn.idToken);
    expect(refusedIdToken.status).toBe(403);
    expect(refusedIdToken.body).toMatchObject({ error: 'invalid_grant' });

    // A token whose signature is not the tenant's (erin's, with one byte of the payload changed).
    const [header, payload, signature] = erin.split('.');
    const tampered = `${header}.${payload?.slice(0, -2)}AA.${signature}`;
    expect((await exchange(tampered)).status).toBe(403);

    expect((await exchange('')).status).toBe(400);

    // erin's own token once it has expired: the sandbox runs in this process, so its clock is
    // this one, moved past the token's hour.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 2 * 3600 * 1000);
      const expired = await exchange(erin);
      expect(expired.status).toBe(403);
      expect(expired.body).toMatchObject({ error: 'invalid_grant' });
    } finally {
      vi.useRealTimers();
    }
  });
});
