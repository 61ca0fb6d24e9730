import { IssuedIdpTokens } from '@linkboard/sandbox/control';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callBroker, startStack, type BrokerHandle, type Stack } from './support/stack.js';

/**
 * The broker refreshes each provider's expired token with the refresh token Auth0 keeps for it,
 * at that provider's token endpoint as the sandbox emulates it (client authentication, required
 * parameters and answer shapes of each), and concurrent calls share one refresh.
 */
const PROVIDERS = [
  {
    connection: 'google-oauth2',
    username: 'dave',
    userId: 'auth0|dave',
    path: '/oauth2/v3/userinfo',
    identifies: { email: 'dave.refresh@gmail.com' },
  },
  {
    connection: 'windowslive',
    username: 'frank',
    userId: 'auth0|frank',
    path: '/v1.0/me',
    identifies: { mail: 'frank.renew@example.com' },
  },
  {
    connection: 'bitbucket',
    username: 'frank',
    userId: 'auth0|frank',
    path: '/2.0/user',
    identifies: { nickname: 'frank-renew' },
  },
] as const;

let stack: Stack;
let broker: BrokerHandle;

beforeAll(async () => {
  stack = await startStack();
  broker = await stack.startBroker();
});
afterAll(async () => {
  await stack?.close();
});

/** Access tokens the provider's token endpoint minted for the user's account there. */
async function refreshesOf(userId: string, connection: string): Promise<number> {
  const { tokens } = IssuedIdpTokens.parse(
    await (await fetch(`${stack.info.domain}/_sandbox/idp-tokens`)).json(),
  );
  return tokens.filter(
    (issued) =>
      issued.userId === userId &&
      issued.connection === connection &&
      issued.kind === 'access_token' &&
      issued.source === 'refresh',
  ).length;
}

/** The token Auth0 stored for the user's account at the provider, read as the broker reads it. */
async function storedToken(userId: string, connection: string): Promise<string> {
  const { tokens } = IssuedIdpTokens.parse(
    await (await fetch(`${stack.info.domain}/_sandbox/idp-tokens`)).json(),
  );
  const seeded = tokens.find(
    (issued) =>
      issued.userId === userId &&
      issued.connection === connection &&
      issued.kind === 'access_token' &&
      issued.source === 'seed',
  );
  if (!seeded) throw new Error(`no seeded ${connection} token for ${userId}`);
  return seeded.value;
}

describe.each(PROVIDERS)('$connection', (provider) => {
  it('the seeded token has expired: the provider itself refuses it', async () => {
    const token = await storedToken(provider.userId, provider.connection);
    const response = await fetch(`${stack.info.idpBaseUrls[provider.connection]}${provider.path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(401);
  });

  it('concurrent calls through the broker succeed on one refresh, and the new token is kept', async () => {
    const before = await refreshesOf(provider.userId, provider.connection);
    const token = await stack.tokenFor(provider.username);
    const path = `/v1/idp/${provider.connection}${provider.path}`;
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => callBroker(broker.url, path, token)),
    );
    for (const answer of answers) {
      expect(answer.status, answer.text).toBe(200);
      expect(answer.json()).toMatchObject(provider.identifies);
    }
    expect(await refreshesOf(provider.userId, provider.connection)).toBe(before + 1);

    const later = await callBroker(broker.url, path, token);
    expect(later.status).toBe(200);
    expect(await refreshesOf(provider.userId, provider.connection)).toBe(before + 1);
  });

  it('a refusing token endpoint is idp_reauth_required, with no token in the answer', async () => {
    const fresh = await stack.startBroker();
    try {
      await stack.fault({
        target: `idp-token:${provider.connection}`,
        kind: 'status',
        status: 400,
        count: 1,
      });
      const token = await stack.tokenFor(provider.username);
      const answer = await callBroker(
        fresh.url,
        `/v1/idp/${provider.connection}${provider.path}`,
        token,
      );
      expect(answer.status).toBe(403);
      expect(answer.json()).toMatchObject({ code: 'idp_reauth_required' });
      expect(answer.text).not.toMatch(/access_token|refresh_token/);
    } finally {
      await fresh.close();
    }
  });
});
