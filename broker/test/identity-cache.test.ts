import { afterAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../src/cache/shared-store.js';
import { IN_PROCESS } from '../src/cache/value-sealer.js';
import { IdentityCache } from '../src/management/identity-cache.js';
import { M2mTokenProvider } from '../src/management/m2m-token-provider.js';
import { ManagementRateGate } from '../src/management/management-rate-gate.js';
import { noRetryClient } from './support/no-retry-client.js';
import { sendJson, startLocalServer, type LocalServer } from './support/local-server.js';

/** A tiny tenant: token endpoint and Get User, with knobs for 401 and 429. */
async function startTenant(
  options: {
    expiresIn?: number;
    refuseTokens?: Set<string>;
    forbidGetUser?: boolean;
    retryAfter?: string;
  } = {},
) {
  let issued = 0;
  let rateLimitNext = 0;
  const server = await startLocalServer(async (req, res) => {
    if (req.url === '/oauth/token') {
      issued += 1;
      sendJson(res, 200, { access_token: `m2m-${issued}`, expires_in: 86400 });
      return;
    }
    if (rateLimitNext > 0) {
      rateLimitNext -= 1;
      sendJson(res, 429, { statusCode: 429 }, { 'retry-after': options.retryAfter ?? '30' });
      return;
    }
    const bearer = (req.headers.authorization ?? '').replace('Bearer ', '');
    if (options.refuseTokens?.has(bearer)) {
      sendJson(res, 401, { statusCode: 401 });
      return;
    }
    if (options.forbidGetUser) {
      sendJson(res, 403, { statusCode: 403, errorCode: 'insufficient_scope' });
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    const id = decodeURIComponent(
      new URL(req.url ?? '/', 'http://x').pathname.split('/').pop() ?? '',
    );
    sendJson(res, 200, {
      user_id: id,
      identities: [
        {
          connection: 'github',
          provider: 'github',
          user_id: 1,
          isSocial: true,
          access_token: 'gho_test',
          ...(options.expiresIn === undefined ? {} : { expires_in: options.expiresIn }),
        },
      ],
    });
  });
  return {
    server,
    getUserCalls: () => server.requests.filter((r) => r.url.startsWith('/api/v2/users/')),
    rateLimitNext: (count: number) => {
      rateLimitNext = count;
    },
  };
}

function makeCache(
  server: LocalServer,
  clock: { now: number },
  onLookup?: (result: 'hit' | 'miss') => void,
) {
  const now = () => clock.now;
  const store = new MemoryStore(now);
  const client = noRetryClient();
  const m2m = new M2mTokenProvider({
    store,
    sealer: IN_PROCESS,
    client,
    tokenUrl: new URL('/oauth/token', server.url),
    clientId: 'c',
    clientSecret: 's',
    audience: `${server.url}/api/v2/`,
    marginSeconds: 60,
    lockTtlMs: 15_000,
    maxRetryAfterSeconds: 60,
    failureMemoryMs: 2000,
    now,
  });
  const cache = new IdentityCache({
    store,
    sealer: IN_PROCESS,
    lockTtlMs: 15_000,
    client,
    m2m,
    gate: new ManagementRateGate(store, 60, now),
    managementBaseUrl: `${server.url}/api/v2/`,
    ttlMs: 60_000,
    maxRetryAfterSeconds: 60,
    now,
    onLookup,
  });
  return { cache, client };
}

describe('identity cache', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const step of cleanup) await step();
  });
  /** A tenant, a clock the test moves, and a cache reading from that tenant. */
  async function setUp(options?: Parameters<typeof startTenant>[0]) {
    const tenant = await startTenant(options);
    const clock = { now: Date.now() };
    const lookups: string[] = [];
    const { cache, client } = makeCache(tenant.server, clock, (result) => lookups.push(result));
    cleanup.push(
      () => tenant.server.close(),
      () => client.close(),
    );
    return { tenant, clock, cache, lookups };
  }

  it('reads each user once however many callers wait, asking only for the needed fields', async () => {
    const { tenant, cache } = await setUp();
    const reads = await Promise.all([
      ...Array.from({ length: 20 }, () => cache.get('auth0|alice')),
      ...Array.from({ length: 20 }, () => cache.get('auth0|bob')),
    ]);
    expect(new Set(reads.map((read) => read.userId))).toEqual(
      new Set(['auth0|alice', 'auth0|bob']),
    );
    const calls = tenant.getUserCalls();
    expect(calls).toHaveLength(2);
    expect(calls[0]?.url).toContain('/api/v2/users/auth0%7C');
    expect(new URL(calls[0]!.url, 'http://x').searchParams.get('fields')).toBe(
      'user_id,name,email,nickname,picture,identities',
    );
  });

  it('gives a current read at once to `held`, counted as a hit only when it is used', async () => {
    const { tenant, clock, cache, lookups } = await setUp({ expiresIn: 10 });
    const use = (read: { userId: string }) => read.userId;
    // Nothing held yet: `held` starts no read and counts nothing.
    expect(cache.held('auth0|alice', use)).toBeUndefined();
    expect(tenant.getUserCalls()).toHaveLength(0);
    await cache.get('auth0|alice');
    expect(lookups).toEqual(['miss']);
    expect(cache.held('auth0|alice', use)).toBe('auth0|alice');
    expect(cache.held('auth0|alice', () => undefined)).toBeUndefined();
    expect(lookups).toEqual(['miss', 'hit']);
    clock.now += 11_000; // past the IdP token's expiry: the read is no longer current
    expect(cache.held('auth0|alice', use)).toBeUndefined();
    expect(tenant.getUserCalls()).toHaveLength(1);
  });

  it('keeps an entry briefly, and never past the IdP token expiry', async () => {
    const { tenant, clock, cache } = await setUp({ expiresIn: 10 });
    await cache.get('auth0|alice');
    clock.now += 9_000;
    await cache.get('auth0|alice');
    expect(tenant.getUserCalls()).toHaveLength(1);
    clock.now += 2_000; // past the token's 10 s
    await cache.get('auth0|alice');
    expect(tenant.getUserCalls()).toHaveLength(2);
  });

  it('drops the M2M token on a Management 401 and retries once with a new one', async () => {
    const { tenant, cache } = await setUp({ refuseTokens: new Set(['m2m-1']) });
    await expect(cache.get('auth0|alice')).resolves.toMatchObject({ userId: 'auth0|alice' });
    const users = tenant.getUserCalls();
    expect(users.map((r) => r.headers.authorization)).toEqual(['Bearer m2m-1', 'Bearer m2m-2']);
  });

  it('tells the operator which grants the M2M client lacks when Get User is forbidden', async () => {
    const { tenant, cache } = await setUp({ forbidGetUser: true });
    const refusal = cache.get('auth0|alice');
    await expect(refusal).rejects.toMatchObject({ code: 'upstream_error', status: 502 });
    await expect(refusal).rejects.toThrow(/\(403\).*read:users and read:user_idp_tokens/);
    expect(tenant.getUserCalls()).toHaveLength(1);
  });

  it('stops calling the Management API while it says to wait', async () => {
    const { tenant, clock, cache } = await setUp();
    tenant.rateLimitNext(1);
    await expect(cache.get('auth0|alice')).rejects.toMatchObject({
      code: 'upstream_rate_limited',
      extra: { retryAfterSeconds: 30 },
    });
    await expect(cache.get('auth0|bob')).rejects.toMatchObject({ code: 'upstream_rate_limited' });
    expect(tenant.getUserCalls()).toHaveLength(1);
    clock.now += 31_000;
    await expect(cache.get('auth0|bob')).resolves.toMatchObject({ userId: 'auth0|bob' });
  });

  it('caps an hour-long Retry-After, then lets one trial call through before the others', async () => {
    const { tenant, clock, cache } = await setUp({ retryAfter: '3600' });
    tenant.rateLimitNext(1);
    await expect(cache.get('auth0|alice')).rejects.toMatchObject({
      code: 'upstream_rate_limited',
      extra: { retryAfterSeconds: 60 },
    });
    clock.now += 59_000;
    await expect(cache.get('auth0|bob')).rejects.toMatchObject({ code: 'upstream_rate_limited' });
    expect(tenant.getUserCalls()).toHaveLength(1);

    // The capped wait is over: of five callers at once, one is the trial, the rest still wait.
    clock.now += 2_000;
    const users = ['u1', 'u2', 'u3', 'u4', 'u5'].map((name) => `auth0|${name}`);
    const outcomes = await Promise.allSettled(users.map((user) => cache.get(user)));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    for (const outcome of outcomes.filter((o) => o.status === 'rejected')) {
      expect(outcome.reason).toMatchObject({ code: 'upstream_rate_limited' });
    }
    expect(tenant.getUserCalls()).toHaveLength(2);

    // The trial succeeded: everyone may call again.
    await expect(cache.get('auth0|bob')).resolves.toMatchObject({ userId: 'auth0|bob' });
    expect(tenant.getUserCalls()).toHaveLength(3);
  });

  it('shuts again when the trial call is rate limited too', async () => {
    const { tenant, clock, cache } = await setUp({ retryAfter: '5' });
    tenant.rateLimitNext(2);
    await expect(cache.get('auth0|alice')).rejects.toMatchObject({ code: 'upstream_rate_limited' });
    clock.now += 6_000;
    await expect(cache.get('auth0|alice')).rejects.toMatchObject({
      code: 'upstream_rate_limited',
      extra: { retryAfterSeconds: 5 },
    });
    await expect(cache.get('auth0|bob')).rejects.toMatchObject({ code: 'upstream_rate_limited' });
    expect(tenant.getUserCalls()).toHaveLength(2);
    clock.now += 6_000;
    await expect(cache.get('auth0|bob')).resolves.toMatchObject({ userId: 'auth0|bob' });
  });
});
