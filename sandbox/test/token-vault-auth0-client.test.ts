import { AuthClient, TokenForConnectionError } from '@auth0/auth0-auth-js';
import { exchangeCode, signInForCode, signInHeadless } from '@linkboard/testing/headless-sign-in';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../src/index.js';

/**
 * The Token Vault exchange driven by Auth0's own client, `@auth0/auth0-auth-js`'s
 * `AuthClient.getTokenForConnection` (both variants), not by a request this project wrote: the
 * sandbox must answer exactly what Auth0's SDK sends and read what it answers.
 */
let sandbox: RunningSandbox;

/** The name Auth0's client is given for the tenant: it always speaks https to `https://{domain}`. */
const TENANT = 'tenant.sandbox.test';

/**
 * What stands in for the TLS front a real tenant has: `https://{TENANT}` is the sandbox on
 * loopback, and the discovery document names that public https origin (as Auth0's does) instead
 * of the loopback one. Every request and answer passes through unchanged otherwise.
 */
function tenantFetch(): typeof fetch {
  const local = sandbox.url;
  const published = `https://${TENANT}`;
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.origin !== published) throw new Error(`no route to ${url.origin} in this test`);
    const answer = await fetch(`${local}${url.pathname}${url.search}`, init);
    if (url.pathname !== '/.well-known/openid-configuration') return answer;
    const text = (await answer.text()).replaceAll(local, published);
    return new Response(text, { status: answer.status, headers: answer.headers });
  };
}

function authClient(client: { clientId: string; clientSecret: string }): AuthClient {
  return new AuthClient({
    domain: TENANT,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    customFetch: tenantFetch(),
  });
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox?.close());
beforeEach(async () => {
  await fetch(`${sandbox.url}/_sandbox/reset`, { method: 'POST' });
});

describe("Token Vault through Auth0's AuthClient.getTokenForConnection", () => {
  it("gives the broker API's client erin's GitHub token for her access token", async () => {
    const erin = await signInHeadless(sandbox.info, 'erin');
    const answer = await authClient(sandbox.info.tokenVault).getTokenForConnection({
      connection: 'github',
      accessToken: erin.access_token,
    });
    expect(answer.accessToken).toMatch(/^gho_/);
    expect(answer.expiresAt).toBeGreaterThan(Date.now() / 1000);
    const user = await fetch(`${sandbox.info.idpBaseUrls.github}/user`, {
      headers: { authorization: `Bearer ${answer.accessToken}` },
    });
    expect(((await user.json()) as { login: string }).login).toBe('erin-vault');
  });

  it("gives the web application erin's GitHub token for her refresh token", async () => {
    const { webVault } = sandbox.info;
    const signIn = await signInForCode(sandbox.info, 'erin', {
      clientId: webVault.clientId,
      redirectUri: webVault.redirectUri,
      audience: '',
      scope: 'openid profile offline_access',
    });
    const { body } = await exchangeCode(sandbox.info, signIn, {
      client_id: webVault.clientId,
      client_secret: webVault.clientSecret,
    });
    const answer = await authClient(webVault).getTokenForConnection({
      connection: 'github',
      refreshToken: body.refresh_token as string,
    });
    expect(answer.accessToken).toMatch(/^gho_/);
  });

  it('refuses a user with no connected account as Auth0 does: 401, which the SDK raises', async () => {
    // alice's GitHub is linked in the tenant, not connected through Connected Accounts.
    const alice = await signInHeadless(sandbox.info, 'alice');
    const refused = await authClient(sandbox.info.tokenVault)
      .getTokenForConnection({ connection: 'github', accessToken: alice.access_token })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(refused).toBeInstanceOf(TokenForConnectionError);
    expect((refused as TokenForConnectionError & { statusCode?: number }).statusCode).toBe(401);
  });
});
