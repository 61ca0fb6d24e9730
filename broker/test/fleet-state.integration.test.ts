import { IssuedIdpTokens } from '@linkboard/sandbox/control';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCacheKey } from './support/cache-key.js';
import { findLeaks } from './support/leak-scan.js';
import { redisUnavailableReason, startRedis } from './support/redis-server.js';
import { callBroker, startStack, type Stack } from './support/stack.js';

/**
 * What a fleet keeps in Redis (docs/architecture.md#fleet-state), read straight from a real
 * `redis-server`: every value that carries a token is sealed, and a value the broker cannot open is
 * a miss, never an error.
 */
const noRedis = redisUnavailableReason();
const PREFIX = 'linkboard:broker:';

/** Every key in Redis with its value (strings only: the broker writes nothing else). */
async function dumpRedis(url: string): Promise<Map<string, string>> {
  const client = new Redis(url);
  try {
    const keys = await client.keys('*');
    const entries = new Map<string, string>();
    for (const key of keys) {
      expect(await client.type(key), key).toBe('string');
      const value = await client.get(key);
      if (value !== null) entries.set(key, value);
    }
    return entries;
  } finally {
    client.disconnect();
  }
}

async function flushRedis(url: string): Promise<void> {
  const client = new Redis(url);
  await client.flushall();
  client.disconnect();
}

describe.skipIf(noRedis !== undefined)(
  `fleet state in Redis${noRedis ? ` (skipped: ${noRedis})` : ''}`,
  () => {
    let stack: Stack;
    let redis: Awaited<ReturnType<typeof startRedis>>;
    const cacheKey = newCacheKey();
    const users = {} as Record<'alice' | 'bob' | 'dave' | 'erin', string>;

    beforeAll(async () => {
      stack = await startStack();
      redis = await startRedis();
      for (const name of ['alice', 'bob', 'dave', 'erin'] as const) {
        users[name] = await stack.tokenFor(name);
      }
    }, 60_000);
    afterAll(async () => {
      await stack?.close();
      redis?.stop();
    });

    it('holds no token in the clear: identities, the M2M token, refreshed and exchanged tokens are sealed', async () => {
      const env = { REDIS_URL: redis.url, BROKER_CACHE_KEY: cacheKey };
      const [first, second] = await Promise.all([
        stack.startBroker({ env }),
        stack.startBroker({ env }),
      ]);
      const vault = await stack.startBroker({
        env: {
          ...env,
          TOKEN_SOURCE: 'token-vault',
          AUTH0_TOKEN_VAULT_CLIENT_ID: stack.info.tokenVault.clientId,
          AUTH0_TOKEN_VAULT_CLIENT_SECRET: stack.info.tokenVault.clientSecret,
        },
        withoutEnv: ['AUTH0_M2M_CLIENT_ID', 'AUTH0_M2M_CLIENT_SECRET'],
      });
      await stack.reset();
      const calls = [
        [first.url, '/v1/idp/github/user', users.alice],
        [second.url, '/v1/idp/google-oauth2/oauth2/v3/userinfo', users.alice],
        [second.url, '/v1/idp/windowslive/v1.0/me', users.bob],
        // dave's Google token has expired: the broker refreshes it, and keeps the new one.
        [first.url, '/v1/idp/google-oauth2/oauth2/v3/userinfo', users.dave],
        [second.url, '/v1/idp/google-oauth2/oauth2/v3/userinfo', users.dave],
        // erin's accounts are in Token Vault: exchanged tokens, her Google one refreshed there.
        [vault.url, '/v1/idp/github/user', users.erin],
        [vault.url, '/v1/idp/google-oauth2/oauth2/v3/userinfo', users.erin],
      ] as const;
      for (const [url, path, token] of calls) {
        const answer = await callBroker(url, path, token);
        expect(answer.status, `${path}: ${answer.text}`).toBe(200);
      }
      const stats = await stack.stats();
      // One Get User per user, one grant, one refresh of dave's token for both brokers (Google
      // counts alice's call, dave's two, erin's, and that refresh at its token endpoint).
      expect(stats.managementGetUser).toBe(3);
      expect(stats.grants.client_credentials).toBe(1);
      expect(stats.idpCalls['google-oauth2']).toBe(5);
      expect(stats.tokenVaultExchanges).toMatchObject({ github: 1, 'google-oauth2': 1 });

      const entries = await dumpRedis(redis.url);
      const sealedKinds = ['identities', 'm2m-token', 'idp-refreshed', 'token-vault'];
      const cached = [...entries].filter(([key]) =>
        sealedKinds.some((kind) => key.startsWith(`${PREFIX}${kind}:`) && !key.endsWith(':lock')),
      );
      // What must be there is there: a scan of an empty Redis would prove nothing.
      expect(cached.map(([key]) => key).sort()).toEqual(
        [
          `${PREFIX}identities:auth0|alice`,
          `${PREFIX}identities:auth0|bob`,
          `${PREFIX}identities:auth0|dave`,
          `${PREFIX}idp-refreshed:auth0|dave\ngoogle-oauth2`,
          `${PREFIX}m2m-token:current`,
          `${PREFIX}token-vault:auth0|erin\ngithub`,
          `${PREFIX}token-vault:auth0|erin\ngoogle-oauth2`,
        ].sort(),
      );
      for (const [key, value] of cached) expect(value, key).toMatch(/^lb1\.[\w-]{8}\./);

      const { tokens: minted } = IssuedIdpTokens.parse(
        await (await fetch(`${stack.info.domain}/_sandbox/idp-tokens`)).json(),
      );
      // Every IdP token the sandbox seeded or minted in this run, including the refreshed ones.
      expect(minted.length).toBeGreaterThan(8);
      const texts = [...entries].map(([key, value]) => `${key} ${value}`);
      const secrets = [
        ...minted.map((token) => token.value),
        ...Object.values(users),
        stack.info.m2m.clientSecret,
        stack.info.tokenVault.clientSecret,
        cacheKey,
      ];
      expect(findLeaks(texts, secrets, stack.info.m2m.clientId)).toEqual([]);
      await Promise.all([first.close(), second.close(), vault.close()]);
    });

    it('reads values sealed with a previous key during a rotation, and takes a value it cannot open as a miss', async () => {
      const env = { REDIS_URL: redis.url, BROKER_CACHE_KEY: cacheKey };
      await flushRedis(redis.url);
      const sealing = await stack.startBroker({ env });
      await stack.reset();
      expect((await callBroker(sealing.url, '/v1/me/identities', users.bob)).status).toBe(200);
      expect((await stack.stats()).managementGetUser).toBe(1);

      // A new key first, the old one after it: bob's read sealed with the old key is still used.
      const rotated = await stack.startBroker({
        env: { ...env, BROKER_CACHE_KEY: `${newCacheKey()},${cacheKey}` },
      });
      expect((await callBroker(rotated.url, '/v1/me/identities', users.bob)).status).toBe(200);
      expect((await stack.stats()).managementGetUser).toBe(1);

      // A broker without that key cannot open it: a miss, so one more Get User, and a 200.
      const stranger = await stack.startBroker({
        env: { ...env, BROKER_CACHE_KEY: newCacheKey() },
      });
      const answer = await callBroker(stranger.url, '/v1/me/identities', users.bob);
      expect(answer.status).toBe(200);
      expect((await stack.stats()).managementGetUser).toBe(2);
      // The same for a value damaged in Redis.
      const client = new Redis(redis.url);
      await client.set(
        `${PREFIX}identities:auth0|alice`,
        'lb1.damaged.value.in.redis',
        'PX',
        60_000,
      );
      client.disconnect();
      expect((await callBroker(sealing.url, '/v1/me/identities', users.alice)).status).toBe(200);
      expect((await stack.stats()).managementGetUser).toBe(3);
      await Promise.all([sealing.close(), rotated.close(), stranger.close()]);
    });

    it('refuses to start with Redis and no cache key', async () => {
      await expect(stack.startBroker({ env: { REDIS_URL: redis.url } })).rejects.toThrow(
        /BROKER_CACHE_KEY \(or BROKER_CACHE_KEY_FILE\) is missing/,
      );
    });
  },
);
