import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../src/cache/redis-store.js';
import { MemoryStore, type SharedStore } from '../src/cache/shared-store.js';
import { BrokerError } from '../src/errors/broker-error.js';
import { M2mTokenProvider } from '../src/management/m2m-token-provider.js';
import type { UpstreamClient } from '../src/upstream/upstream-client.js';
import { noRetryClient } from './support/no-retry-client.js';
import { sendJson, startLocalServer, type LocalServer } from './support/local-server.js';
import { redisUnavailableReason, startRedis } from './support/redis-server.js';
import { sealerFor } from './support/cache-key.js';

/** One fleet's key: every instance of a test's fleet seals with it. */
const fleetSealer = sealerFor();

/** A token endpoint that counts grants and can be told to fail. */
async function startTokenEndpoint(expiresIn = 86400) {
  let issued = 0;
  let failNext = 0;
  const server = await startLocalServer(async (_req, res) => {
    if (failNext > 0) {
      failNext -= 1;
      sendJson(res, 503, { error: 'temporarily_unavailable' });
      return;
    }
    issued += 1;
    await new Promise((resolve) => setTimeout(resolve, 30));
    sendJson(res, 200, {
      access_token: `m2m-token-${issued}`,
      expires_in: expiresIn,
      token_type: 'Bearer',
    });
  });
  return {
    server,
    grants: () =>
      server.requests.filter((r) => r.body.includes('grant_type=client_credentials')).length,
    failNext: (count: number) => {
      failNext = count;
    },
  };
}

function makeProvider(
  server: LocalServer,
  store: SharedStore,
  client: UpstreamClient,
  overrides: { marginSeconds?: number; now?: () => number; failureMemoryMs?: number } = {},
) {
  return new M2mTokenProvider({
    store,
    sealer: fleetSealer,
    client,
    tokenUrl: new URL('/oauth/token', server.url),
    clientId: 'linkboard-broker',
    clientSecret: 'secret',
    audience: `${server.url}/api/v2/`,
    marginSeconds: 60,
    lockTtlMs: 15_000,
    maxRetryAfterSeconds: 60,
    failureMemoryMs: 2000,
    ...overrides,
  });
}

describe('M2M token provider', () => {
  const client = noRetryClient();
  afterAll(() => client.close());

  it('sends one grant however many callers wait, then serves from cache', async () => {
    const endpoint = await startTokenEndpoint();
    const provider = makeProvider(endpoint.server, new MemoryStore(), client);
    const tokens = await Promise.all(Array.from({ length: 50 }, () => provider.get()));
    expect(new Set(tokens)).toEqual(new Set(['m2m-token-1']));
    await provider.get();
    expect(endpoint.grants()).toBe(1);
    const body = new URLSearchParams(endpoint.server.requests[0]!.body);
    expect(body.get('audience')).toBe(`${endpoint.server.url}/api/v2/`);
    await endpoint.server.close();
  });

  it('fetches a new token after drop, once', async () => {
    const endpoint = await startTokenEndpoint();
    const provider = makeProvider(endpoint.server, new MemoryStore(), client);
    const first = await provider.get();
    await provider.drop(first);
    const again = await Promise.all([provider.get(), provider.get()]);
    expect(again).toEqual(['m2m-token-2', 'm2m-token-2']);
    expect(endpoint.grants()).toBe(2);
    await endpoint.server.close();
  });

  it('keeps a token until its expiry minus the margin, then sends one more grant', async () => {
    // A 2 s token with a 1 s margin: usable for the first second of its life only.
    const endpoint = await startTokenEndpoint(2);
    let now = 1_000_000;
    const provider = makeProvider(endpoint.server, new MemoryStore(), client, {
      marginSeconds: 1,
      now: () => now,
    });
    expect(await provider.get()).toBe('m2m-token-1');
    now += 500;
    expect(await provider.get()).toBe('m2m-token-1');
    now += 499;
    expect(await provider.get()).toBe('m2m-token-1');
    expect(endpoint.grants()).toBe(1);
    now += 1;
    expect(await provider.get()).toBe('m2m-token-2');
    expect(endpoint.grants()).toBe(2);
    now += 999;
    expect(await provider.get()).toBe('m2m-token-2');
    expect(endpoint.grants()).toBe(2);
    await endpoint.server.close();
  });

  it('reports an unavailable token endpoint, remembers it briefly, then recovers', async () => {
    const endpoint = await startTokenEndpoint();
    let now = 1_000_000;
    const provider = makeProvider(endpoint.server, new MemoryStore(() => now), client, {
      now: () => now,
    });
    endpoint.failNext(1);
    await expect(provider.get()).rejects.toMatchObject({ code: 'upstream_unavailable' });
    // Callers within the memory get the same answer, with the time left, and send no grant.
    now += 500;
    await expect(
      Promise.all(Array.from({ length: 20 }, () => provider.get())),
    ).rejects.toMatchObject({ code: 'upstream_unavailable', extra: { retryAfterSeconds: 2 } });
    expect(endpoint.grants()).toBe(1);
    now += 1500;
    await expect(provider.get()).resolves.toBe('m2m-token-1');
    expect(endpoint.grants()).toBe(2);
    await endpoint.server.close();
    await expect(
      makeProvider(endpoint.server, new MemoryStore(), client).get(),
    ).rejects.toBeInstanceOf(BrokerError);
  });
});

describe('M2M token provider with an unreachable Redis', () => {
  it('fetches a token of its own instead of failing', async () => {
    const endpoint = await startTokenEndpoint();
    const client = noRetryClient();
    // Port 9 (discard) on loopback: nothing listens there in the test environment.
    const store = new RedisStore('redis://127.0.0.1:9');
    const provider = makeProvider(endpoint.server, store, client);
    await expect(provider.get()).resolves.toBe('m2m-token-1');
    expect(await store.ping().catch(() => false)).toBe(false);
    await store.close();
    await client.close();
    await endpoint.server.close();
  });
});

const noRedis = redisUnavailableReason();
describe.skipIf(noRedis !== undefined)(
  `M2M token shared through Redis${noRedis ? ` (skipped: ${noRedis})` : ''}`,
  () => {
    let redis: Awaited<ReturnType<typeof startRedis>>;
    const client = noRetryClient();
    beforeAll(async () => {
      redis = await startRedis();
    });
    afterAll(async () => {
      await client.close();
      redis?.stop();
    });

    it('lets a fleet of instances fetch one token per lifetime', async () => {
      const endpoint = await startTokenEndpoint();
      // Same prefix for all: one fleet.
      const prefix = `fleet-${Date.now()}:`;
      const fleetStores = Array.from({ length: 4 }, () => new RedisStore(redis.url, { prefix }));
      await Promise.all(fleetStores.map((store) => store.connected(5000)));
      const instances = fleetStores.map((store) => makeProvider(endpoint.server, store, client));
      const tokens = await Promise.all(
        instances.flatMap((instance) => Array.from({ length: 10 }, () => instance.get())),
      );
      expect(new Set(tokens)).toEqual(new Set(['m2m-token-1']));
      expect(endpoint.grants()).toBe(1);

      // A 401 on one instance drops the shared token; the fleet then shares the next one.
      await instances[0]!.drop('m2m-token-1');
      const fresh = makeProvider(endpoint.server, fleetStores[1]!, client);
      expect(await fresh.get()).toBe('m2m-token-2');
      expect(await makeProvider(endpoint.server, fleetStores[2]!, client).get()).toBe(
        'm2m-token-2',
      );
      expect(endpoint.grants()).toBe(2);

      await Promise.all(fleetStores.map((store) => store.close()));
      await endpoint.server.close();
    });
  },
);
