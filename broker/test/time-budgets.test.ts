import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newCacheKey } from './support/cache-key.js';
import { redisUnavailableReason, startRedis } from './support/redis-server.js';
import { callBroker, startStack, type Stack } from './support/stack.js';

const noRedis = redisUnavailableReason();

/**
 * The request's time budget against the sandbox's delay faults: retries and shared fetches end
 * within it, and the fleet's grant lock outlives the grant it guards.
 */
const BUDGET = { requestBudgetMs: 3000, upstreamTimeoutMs: 2500, retryBaseDelayMs: 20 };
/**
 * Longer than the whole budget, so no attempt the fault covers can answer in time, whatever the
 * granularity of undici's timers (which can fire an attempt's time limit late).
 */
const SLOW_MS = 4000;
/** Time to answer after the budget runs out, on a loaded machine. */
const SLACK_MS = 700;

describe('time budgets', () => {
  let stack: Stack;
  let alice: string;

  beforeAll(async () => {
    stack = await startStack();
    alice = await stack.tokenFor('alice');
  });
  afterAll(() => stack.close());
  afterEach(() => stack.reset());

  /** A call with a client that waits as long as the test does (callBroker gives up at 15 s). */
  async function timed(url: string, path: string) {
    const started = performance.now();
    const answer = await fetch(new URL(path, url), {
      headers: { authorization: `Bearer ${alice}` },
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await answer.json()) as { code?: string };
    return { status: answer.status, code: body.code, ms: performance.now() - started };
  }

  it('answers 503 within the budget when every attempt at the provider times out', async () => {
    const broker = await stack.startBroker({ limits: BUDGET });
    // Tokens and identities first, so the budget is all the provider's.
    expect((await callBroker(broker.url, '/v1/idp/github/user', alice)).status).toBe(200);
    await stack.fault({ target: 'idp:github', kind: 'delay', delayMs: SLOW_MS, count: 3 });
    const { status, code, ms } = await timed(broker.url, '/v1/idp/github/user');
    expect(status).toBe(503);
    expect(code).toBe('upstream_unavailable');
    expect(ms).toBeLessThan(BUDGET.requestBudgetMs + SLACK_MS);
  });

  it('answers 503 within the budget when the Management API is slow on a cold start', async () => {
    const broker = await stack.startBroker({ limits: BUDGET });
    await stack.fault({ target: 'management', kind: 'delay', delayMs: SLOW_MS, count: 3 });
    const { status, code, ms } = await timed(broker.url, '/v1/me/identities');
    expect(status).toBe(503);
    expect(code).toBe('upstream_unavailable');
    expect(ms).toBeLessThan(BUDGET.requestBudgetMs + SLACK_MS);
    // The next request, with the Management API quick again, is served.
    await stack.reset();
    await new Promise((resolve) => setTimeout(resolve, SLOW_MS));
    expect((await callBroker(broker.url, '/v1/me/identities', alice)).status).toBe(200);
  });

  it.skipIf(noRedis !== undefined)(
    `grants once across two instances sharing Redis while a grant takes longer than 15 s${noRedis ? ` (skipped: ${noRedis})` : ''}`,
    async () => {
      // A budget long enough for a 16 s grant (a slow tenant); the lock must outlive it.
      const limits = { requestBudgetMs: 18_000, upstreamTimeoutMs: 17_000 };
      const redis = await startRedis();
      const env = { REDIS_URL: redis.url, BROKER_CACHE_KEY: newCacheKey() };
      try {
        const [first, second] = await Promise.all([
          stack.startBroker({ limits, env }),
          stack.startBroker({ limits, env }),
        ]);
        await stack.reset();
        await stack.fault({ target: 'token', kind: 'delay', delayMs: 16_000, count: 1 });
        const slow = timed(first!.url, '/v1/me/identities');
        await new Promise((resolve) => setTimeout(resolve, 200));
        const waiting = timed(second!.url, '/v1/me/identities');
        const answers = await Promise.all([slow, waiting]);
        expect(answers.map(({ status }) => status)).toEqual([200, 200]);
        expect((await stack.stats()).grants.client_credentials).toBe(1);
        await Promise.all([first.close(), second.close()]);
      } finally {
        redis.stop();
      }
    },
    40_000,
  );
});
