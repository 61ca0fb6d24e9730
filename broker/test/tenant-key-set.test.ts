import { jwtVerify } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TenantKeySet, type TenantKeySetOptions } from '../src/auth/tenant-key-set.js';
import { BrokerError } from '../src/errors/broker-error.js';
import { noRetryClient } from './support/no-retry-client.js';
import { startStack, type Stack } from './support/stack.js';
import { makeKey, signAccessToken } from './support/token-factory.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Enough firings of a fault that a test never runs out of them. */
const MANY = 10_000;

describe('the tenant key set (sandbox JWKS, injected clock)', () => {
  let stack: Stack;
  let aliceToken: string;
  let strangerToken: string;
  const client = noRetryClient();

  beforeAll(async () => {
    stack = await startStack();
    aliceToken = await stack.tokenFor('alice');
    // Signed by a key the tenant never published: its `kid` is unknown.
    strangerToken = await signAccessToken(await makeKey('not-the-tenant'), {
      issuer: stack.info.issuer,
      audience: stack.info.brokerAudience,
    });
  });
  afterAll(async () => {
    await client.close();
    await stack.close();
  });
  beforeEach(() => stack.reset());

  function keySet(overrides: Partial<TenantKeySetOptions> = {}) {
    const clock = { now: 1_000_000 };
    const fetches: string[] = [];
    const keys = new TenantKeySet({
      url: new URL('/.well-known/jwks.json', stack.info.domain),
      client,
      refreshAfterMs: 10 * MINUTE,
      maxStaleMs: 24 * HOUR,
      cooldownMs: 30_000,
      failureCooldownMs: 5000,
      now: () => clock.now,
      onFetch: (outcome) => fetches.push(outcome),
      ...overrides,
    });
    const verify = (token: string) => jwtVerify(token, keys.resolve, { algorithms: ['RS256'] });
    return { keys, clock, fetches, verify };
  }

  /** The JWKS requests the sandbox answered with the fault injected by `failJwks`. */
  async function failedFetches(): Promise<number> {
    return MANY - (await stack.pendingFaults('jwks'));
  }
  const failJwks = () => stack.fault({ target: 'jwks', kind: 'status', status: 503, count: MANY });

  it('keeps verifying with the last good keys while refreshes fail, for at most the stale bound', async () => {
    const { keys, clock, fetches, verify } = keySet();
    await verify(aliceToken);
    expect(fetches).toEqual(['ok']);
    await failJwks();

    // Past the refresh age (where jose's remote set would answer 503): still verifies, and one
    // refresh is tried behind the request.
    clock.now += 11 * MINUTE;
    await expect(verify(aliceToken)).resolves.toBeDefined();
    await keys.refresh();
    expect(fetches).toEqual(['ok', 'failed']);
    expect(await failedFetches()).toBe(1);
    expect(await keys.status()).toEqual({ usable: true, ageSeconds: 660, lastFetchFailed: true });

    // Within the failure cool-down, a hundred requests try no fetch.
    clock.now += 4000;
    for (let i = 0; i < 100; i += 1) await verify(aliceToken);
    expect(await failedFetches()).toBe(1);

    // Just before the bound the old keys still serve; just after they do not.
    clock.now = 1_000_000 + 24 * HOUR;
    await expect(verify(aliceToken)).resolves.toBeDefined();
    clock.now += 1;
    const refused = await verify(aliceToken).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BrokerError);
    expect((refused as BrokerError).code).toBe('upstream_unavailable');
    expect((await keys.status()).usable).toBe(false);

    // The tenant answers again: the next fetch (after the cool-down) restores verification.
    await stack.reset();
    clock.now += 5000;
    await expect(verify(aliceToken)).resolves.toBeDefined();
    expect(await keys.status()).toEqual({ usable: true, ageSeconds: 0, lastFetchFailed: false });
  });

  it('fetches once for any number of concurrent first requests', async () => {
    const { fetches, verify } = keySet();
    await stack.fault({ target: 'jwks', kind: 'delay', delayMs: 100, count: MANY });
    await Promise.all(Array.from({ length: 50 }, () => verify(aliceToken)));
    expect(fetches).toEqual(['ok']);
    expect(MANY - (await stack.pendingFaults('jwks'))).toBe(1);
  });

  it('lets a flood of unknown kids during an outage fetch once per cool-down, not once per token', async () => {
    const { clock, fetches, verify } = keySet();
    await verify(aliceToken);
    await failJwks();
    clock.now += 31_000;
    // Sequential and concurrent floods alike.
    for (let i = 0; i < 100; i += 1) {
      await expect(verify(strangerToken)).rejects.toMatchObject({
        code: 'ERR_JWKS_NO_MATCHING_KEY',
      });
    }
    await Promise.all(
      Array.from({ length: 100 }, () =>
        expect(verify(strangerToken)).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' }),
      ),
    );
    expect(await failedFetches()).toBe(1);
    // The cool-down counts from that failed attempt: 4.9 s later still none, 5 s later one more.
    clock.now += 4900;
    await verify(strangerToken).catch(() => undefined);
    expect(await failedFetches()).toBe(1);
    clock.now += 100;
    await verify(strangerToken).catch(() => undefined);
    expect(await failedFetches()).toBe(2);
    // Known keys verified all along.
    await expect(verify(aliceToken)).resolves.toBeDefined();
    expect(fetches).toEqual(['ok', 'failed', 'failed']);
  });

  it('refetches on an unknown kid once the success cool-down has passed, not before', async () => {
    const { clock, fetches, verify } = keySet();
    await verify(aliceToken);
    clock.now += 29_000;
    await verify(strangerToken).catch(() => undefined);
    expect(fetches).toEqual(['ok']);
    clock.now += 1000;
    await verify(strangerToken).catch(() => undefined);
    expect(fetches).toEqual(['ok', 'ok']);
  });
});
