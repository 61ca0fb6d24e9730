import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '@linkboard/testing/free-port';
import { newCacheKey } from './support/cache-key.js';
import { callBroker, startStack, type Stack } from './support/stack.js';

/**
 * The broker's metrics read from `/metrics` before and after real traffic against the sandbox:
 * cache hit ratios, upstream latency by connection, rate-limit refusals by whose limit, and
 * shared-store errors each move by what the traffic did.
 */
let stack: Stack;
let alice: string;
let dave: string;

beforeAll(async () => {
  stack = await startStack();
  alice = await stack.tokenFor('alice');
  dave = await stack.tokenFor('dave');
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

beforeEach(async () => {
  await stack.reset();
});

/**
 * The sum of a metric's samples whose labels include all of `labels`, from `/metrics`; undefined
 * when there is no such sample (a labelled series appears with its first observation).
 */
async function metric(
  brokerUrl: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const { status, text } = await callBroker(brokerUrl, '/metrics', undefined);
  expect(status).toBe(200);
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  let sum = 0;
  let seen = false;
  for (const line of text.split('\n')) {
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = (match[2] ?? '').split(',');
    if (wanted.every((pair) => present.includes(pair))) {
      sum += Number(match[3]);
      seen = true;
    }
  }
  return seen ? sum : undefined;
}

/** Each named reading, before (0 when absent) and after `traffic` (present), as differences. */
async function moves(
  brokerUrl: string,
  readings: Record<string, [string, Record<string, string>?]>,
  traffic: () => Promise<void>,
): Promise<Record<string, number>> {
  const read = async () =>
    Object.fromEntries(
      await Promise.all(
        Object.entries(readings).map(
          async ([key, [name, labels]]) => [key, await metric(brokerUrl, name, labels)] as const,
        ),
      ),
    );
  const before = await read();
  await traffic();
  const after = await read();
  return Object.fromEntries(
    Object.entries(readings).map(([key, [name, labels]]) => {
      const value = after[key];
      expect(value, `${name} ${JSON.stringify(labels ?? {})} in /metrics`).toBeDefined();
      return [key, value! - (before[key] ?? 0)];
    }),
  );
}

describe('metrics after real traffic', () => {
  it('counts identities and provider token lookups as hits and misses', async () => {
    const broker = await stack.startBroker();
    const delta = await moves(
      broker.url,
      {
        identitiesHit: ['broker_cache_lookups_total', { cache: 'identities', result: 'hit' }],
        identitiesMiss: ['broker_cache_lookups_total', { cache: 'identities', result: 'miss' }],
        tokensHit: ['broker_cache_lookups_total', { cache: 'provider_tokens', result: 'hit' }],
        tokensMiss: ['broker_cache_lookups_total', { cache: 'provider_tokens', result: 'miss' }],
      },
      async () => {
        // alice: her identities read once, then kept; her GitHub token is in them.
        for (let call = 0; call < 3; call += 1) {
          expect((await callBroker(broker.url, '/v1/idp/github/user', alice)).status).toBe(200);
        }
        // dave: his Google token has expired, so the first call refreshes it; the second has it.
        const userinfo = '/v1/idp/google-oauth2/oauth2/v3/userinfo';
        expect((await callBroker(broker.url, userinfo, dave)).status).toBe(200);
        expect((await callBroker(broker.url, userinfo, dave)).status).toBe(200);
      },
    );
    expect(delta).toEqual({ identitiesHit: 3, identitiesMiss: 2, tokensHit: 4, tokensMiss: 1 });
    await broker.close();
  });

  it('times each provider answer by connection', async () => {
    const broker = await stack.startBroker();
    const userinfo = '/v1/idp/google-oauth2/oauth2/v3/userinfo';
    expect((await callBroker(broker.url, userinfo, alice)).status).toBe(200);
    await stack.fault({ target: 'idp:github', kind: 'delay', delayMs: 300, count: 1 });
    const delta = await moves(
      broker.url,
      {
        github: ['broker_upstream_duration_seconds_count', { connection: 'github' }],
        githubSeconds: ['broker_upstream_duration_seconds_sum', { connection: 'github' }],
        githubFast: [
          'broker_upstream_duration_seconds_bucket',
          { connection: 'github', le: '0.25' },
        ],
        google: ['broker_upstream_duration_seconds_count', { connection: 'google-oauth2' }],
      },
      async () => {
        for (let call = 0; call < 3; call += 1) {
          expect((await callBroker(broker.url, '/v1/idp/github/user', alice)).status).toBe(200);
        }
      },
    );
    // Three GitHub answers, one of which the provider held for 300 ms (above the 0.25 s bucket).
    expect(delta.github).toBe(3);
    expect(delta.githubSeconds).toBeGreaterThanOrEqual(0.3);
    expect(delta.githubFast).toBe(2);
    expect(delta.google).toBe(0);
    await broker.close();
  });

  it('counts 429 answers by whose rate limit refused: token endpoint, Management API, provider', async () => {
    const limits = {
      provider: ['broker_rate_limit_refusals_total', { limit: 'provider' }],
      management: ['broker_rate_limit_refusals_total', { limit: 'management' }],
      tokenEndpoint: ['broker_rate_limit_refusals_total', { limit: 'token_endpoint' }],
    } satisfies Record<string, [string, Record<string, string>]>;
    const refusedBy = async (fault: Record<string, unknown>, calls: number[]) => {
      // A broker of its own each time: a refusal is remembered (the M2M grant's, the
      // Management API's wait), and would answer the next call itself.
      const broker = await stack.startBroker();
      await stack.reset();
      await stack.fault({ kind: 'status', status: 429, ...fault });
      const delta = await moves(broker.url, limits, async () => {
        for (const status of calls) {
          expect((await callBroker(broker.url, '/v1/idp/github/user', alice)).status).toBe(status);
        }
      });
      await broker.close();
      return delta;
    };
    expect(await refusedBy({ target: 'token', count: 1 }, [429])).toEqual({
      provider: 0,
      management: 0,
      tokenEndpoint: 1,
    });
    expect(await refusedBy({ target: 'management', count: 1 }, [429])).toEqual({
      provider: 0,
      management: 1,
      tokenEndpoint: 0,
    });
    expect(await refusedBy({ target: 'idp:github', count: 2 }, [429, 429, 200])).toEqual({
      provider: 2,
      management: 0,
      tokenEndpoint: 0,
    });
  });

  it('counts shared-store errors while Redis cannot be reached, and still answers', async () => {
    const nowhere = await freeLoopbackPort();
    const broker = await stack.startBroker({
      env: { REDIS_URL: `redis://127.0.0.1:${nowhere}`, BROKER_CACHE_KEY: newCacheKey() },
    });
    const delta = await moves(
      broker.url,
      { errors: ['broker_shared_store_errors_total'] },
      async () => {
        expect((await callBroker(broker.url, '/v1/idp/github/user', alice)).status).toBe(200);
      },
    );
    expect(delta.errors).toBeGreaterThan(0);
    await broker.close();
  });
});
