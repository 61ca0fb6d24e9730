import { createHmac, hkdfSync } from 'node:crypto';
import { IssuedIdpTokens } from '@linkboard/sandbox/control';
import { Redis } from 'ioredis';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCacheKey } from './support/cache-key.js';
import { findLeaks } from './support/leak-scan.js';
import { redisUnavailableReason, startRedis } from './support/redis-server.js';
import { callBroker, startStack, type Stack } from './support/stack.js';

/**
 * What a fleet keeps in Redis (docs/architecture.md#fleet-state), read straight from a real
 * `redis-server`: every value that carries a token is sealed, no key name says whose it is, and a
 * value the broker cannot open is a miss, never an error.
 */
const noRedis = redisUnavailableReason();
const PREFIX = 'linkboard:broker:';

/**
 * A value's key in Redis as docs/architecture.md#fleet-state defines it, computed here from the
 * `BROKER_CACHE_KEY` key that seals: HKDF-SHA-256 (no salt, info `linkboard broker store names`)
 * gives the naming key, HMAC-SHA-256 of `<namespace>\0<id>` the name.
 */
function keyNameFor(cacheKey: string, namespace: string, id: string): string {
  const namingKey = hkdfSync(
    'sha256',
    Buffer.from(cacheKey, 'base64'),
    Buffer.alloc(0),
    'linkboard broker store names',
    32,
  );
  const digest = createHmac('sha256', Buffer.from(namingKey))
    .update(`${namespace}\0${id}`)
    .digest('base64url');
  return `${PREFIX}${namespace}:${digest}`;
}

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
      const vault = await stack.startVaultBroker({ env });
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
      const name = (namespace: string, id: string) => keyNameFor(cacheKey, namespace, id);
      expect(cached.map(([key]) => key).sort()).toEqual(
        [
          name('identities', 'auth0|alice'),
          name('identities', 'auth0|bob'),
          name('identities', 'auth0|dave'),
          name('idp-refreshed', 'auth0|dave\ngoogle-oauth2'),
          name('m2m-token', 'current'),
          name('token-vault', 'auth0|erin\ngithub'),
          name('token-vault', 'auth0|erin\ngoogle-oauth2'),
        ].sort(),
      );
      for (const [key, value] of cached) expect(value, key).toMatch(/^lb1\.[\w-]{8}\./);
      const subs = Object.values(users).map((token) => decodeJwt(token).sub ?? '');
      expect(subs).toEqual(['auth0|alice', 'auth0|bob', 'auth0|dave', 'auth0|erin']);
      // Each caller's rate limit count, named the same way.
      expect(
        [...entries.keys()].filter((key) => key.startsWith(`${PREFIX}rate-limit:`)).sort(),
      ).toEqual(subs.map((sub) => name('rate-limit', sub)).sort());

      // Listing the keys says nothing about who uses what: every name is a kind and a digest,
      // and no key or value holds a user id or a connection name.
      for (const key of entries.keys()) {
        expect(key).toMatch(
          /^linkboard:broker:((identities|m2m-token|idp-refreshed|token-vault|rate-limit):[\w-]{43}(:lock)?|management-gate(-trial)?)$/,
        );
      }
      for (const [key, value] of entries) {
        for (const sub of subs) {
          expect(key).not.toContain(sub);
          expect(value, key).not.toContain(sub);
        }
        for (const connection of ['github', 'google-oauth2', 'windowslive', 'bitbucket']) {
          expect(key).not.toContain(connection);
          expect(value, key).not.toContain(connection);
        }
      }

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

    it('shares "no connected account" across the fleet: one exchange per user and connection', async () => {
      await flushRedis(redis.url);
      const env = { REDIS_URL: redis.url, BROKER_CACHE_KEY: cacheKey };
      const [first, second] = await Promise.all([
        stack.startVaultBroker({ env }),
        stack.startVaultBroker({ env }),
      ]);
      await stack.reset();
      // alice's accounts are linked in the tenant, none connected through Token Vault.
      for (const url of [first.url, second.url]) {
        const answer = await callBroker(url, '/v1/me/identities', users.alice);
        expect(answer.status).toBe(200);
      }
      const once = { github: 1, 'google-oauth2': 1, windowslive: 1, bitbucket: 1 };
      expect((await stack.stats()).tokenVaultExchanges).toEqual(once);
      const refused = await callBroker(second.url, '/v1/idp/github/user', users.alice);
      expect(refused.status).toBe(404);
      expect((await stack.stats()).tokenVaultExchanges).toEqual(once);
      const kept = await dumpRedis(redis.url);
      const notConnected = kept.get(keyNameFor(cacheKey, 'token-vault', 'auth0|alice\ngithub'));
      // Sealed like the tokens under the same kind of key.
      expect(notConnected).toMatch(/^lb1\.[\w-]{8}\./);
      await Promise.all([first.close(), second.close()]);
    });

    it('reads values sealed with a previous key during a rotation, and takes a value it cannot open as a miss', async () => {
      const env = { REDIS_URL: redis.url, BROKER_CACHE_KEY: cacheKey };
      await flushRedis(redis.url);
      const sealing = await stack.startBroker({ env });
      await stack.reset();
      expect((await callBroker(sealing.url, '/v1/me/identities', users.bob)).status).toBe(200);
      expect((await stack.stats()).managementGetUser).toBe(1);

      // A new key first, the old one after it: bob's read sealed with the old key, under the old
      // key's name, is still used.
      const newKey = newCacheKey();
      const rotated = await stack.startBroker({
        env: { ...env, BROKER_CACHE_KEY: `${newKey},${cacheKey}` },
      });
      expect((await callBroker(rotated.url, '/v1/me/identities', users.bob)).status).toBe(200);
      expect((await stack.stats()).managementGetUser).toBe(1);
      // What it fetches goes under the new key's name: names follow the key that seals.
      expect((await callBroker(rotated.url, '/v1/me/identities', users.dave)).status).toBe(200);
      expect((await stack.stats()).managementGetUser).toBe(2);
      const keys = [...(await dumpRedis(redis.url)).keys()];
      expect(keys).toContain(keyNameFor(newKey, 'identities', 'auth0|dave'));
      expect(keys).not.toContain(keyNameFor(cacheKey, 'identities', 'auth0|dave'));
      expect(keys).toContain(keyNameFor(cacheKey, 'identities', 'auth0|bob'));

      // A broker without that key cannot open it: a miss, so one more Get User, and a 200.
      const stranger = await stack.startBroker({
        env: { ...env, BROKER_CACHE_KEY: newCacheKey() },
      });
      const answer = await callBroker(stranger.url, '/v1/me/identities', users.bob);
      expect(answer.status).toBe(200);
      expect((await stack.stats()).managementGetUser).toBe(3);
      // The same for a value damaged in Redis.
      const client = new Redis(redis.url);
      await client.set(
        keyNameFor(cacheKey, 'identities', 'auth0|alice'),
        'lb1.damaged.value.in.redis',
        'PX',
        60_000,
      );
      expect((await callBroker(sealing.url, '/v1/me/identities', users.alice)).status).toBe(200);
      expect((await stack.stats()).managementGetUser).toBe(4);
      // Fetched again and written over the damaged value.
      expect(await client.get(keyNameFor(cacheKey, 'identities', 'auth0|alice'))).toMatch(
        /^lb1\.[\w-]{8}\./,
      );
      client.disconnect();
      await Promise.all([sealing.close(), rotated.close(), stranger.close()]);
    });

    it('refuses to start with Redis and no cache key', async () => {
      await expect(stack.startBroker({ env: { REDIS_URL: redis.url } })).rejects.toThrow(
        /BROKER_CACHE_KEY \(or BROKER_CACHE_KEY_FILE\) is missing/,
      );
    });
  },
);
