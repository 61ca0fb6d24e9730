import { Problem } from '@linkboard/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCacheKey } from './support/cache-key.js';
import { redisUnavailableReason, startRedis } from './support/redis-server.js';
import { callBroker, startStack, type BrokerHandle, type Stack } from './support/stack.js';

/**
 * The per-caller rate limit (docs/architecture.md#caller-rate-limit): counted per user across a
 * fleet of three brokers sharing a real Redis, with the IETF draft RateLimit headers.
 */
const noRedis = redisUnavailableReason();

/** A metric's value from one broker's `/metrics`, by its name and labels as written there. */
async function metric(member: BrokerHandle, series: string): Promise<number | undefined> {
  const text = (await callBroker(member.url, '/metrics', undefined)).text;
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe.skipIf(noRedis !== undefined)(
  `caller rate limit across a fleet${noRedis ? ` (skipped: ${noRedis})` : ''}`,
  () => {
    let stack: Stack;
    let redis: Awaited<ReturnType<typeof startRedis>>;
    let fleet: BrokerHandle[];
    let alice: string;
    let bob: string;

    beforeAll(async () => {
      stack = await startStack();
      redis = await startRedis();
      const env = { REDIS_URL: redis.url, BROKER_CACHE_KEY: newCacheKey() };
      const limits = { rateLimitMax: 10, rateLimitWindowMs: 60_000 };
      fleet = await Promise.all([1, 2, 3].map(() => stack.startBroker({ env, limits })));
      alice = await stack.tokenFor('alice');
      bob = await stack.tokenFor('bob');
    }, 60_000);
    afterAll(async () => {
      await stack?.close();
      redis?.stop();
    });

    it('counts one user across the three, refuses the eleventh with 429, Retry-After and RateLimit headers', async () => {
      const remaining: string[] = [];
      for (let index = 0; index < 10; index += 1) {
        const answer = await callBroker(fleet[index % 3]!.url, '/v1/providers', alice);
        expect(answer.status).toBe(200);
        expect(answer.headers.get('ratelimit-limit')).toBe('10');
        remaining.push(answer.headers.get('ratelimit-remaining') ?? '');
      }
      expect(remaining).toEqual(['9', '8', '7', '6', '5', '4', '3', '2', '1', '0']);

      const refused = await callBroker(fleet[1]!.url, '/v1/idp/github/user', alice);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      const problem = Problem.parse(refused.json());
      expect(problem.code).toBe('rate_limited');
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(problem.retryAfter).toBe(retryAfter);
      expect(refused.headers.get('ratelimit-limit')).toBe('10');
      expect(refused.headers.get('ratelimit-remaining')).toBe('0');
      expect(Number(refused.headers.get('ratelimit-reset'))).toBe(retryAfter);
      // Refused before any work: no provider call was made for it.
      expect(refused.text).not.toContain('login');
      // Every instance refuses alice now; bob has his own count.
      for (const member of fleet) {
        expect((await callBroker(member.url, '/v1/providers', alice)).status).toBe(429);
      }
      const other = await callBroker(fleet[0]!.url, '/v1/providers', bob);
      expect(other.status).toBe(200);
      expect(other.headers.get('ratelimit-remaining')).toBe('9');
      const refusals = (await callBroker(fleet[0]!.url, '/metrics', undefined)).text;
      expect(refusals).toMatch(/^broker_rate_limit_refusals_total\{limit="caller"\} [1-9]/m);
    });

    it('never limits /healthz, /readyz or /metrics, nor a refused token', async () => {
      for (let index = 0; index < 15; index += 1) {
        for (const path of ['/healthz', '/readyz', '/metrics']) {
          const answer = await callBroker(fleet[0]!.url, path, alice);
          expect(answer.status, path).toBe(200);
          expect(answer.headers.get('ratelimit-limit'), path).toBeNull();
        }
      }
      // No verified caller, no count: the token check answers first.
      const anonymous = await callBroker(fleet[0]!.url, '/v1/providers', undefined);
      expect(anonymous.status).toBe(401);
    });

    it('limits each instance from its own memory while Redis is down, and counts for the fleet again once it is back', async () => {
      const carol = await stack.tokenFor('carol');
      const statuses: number[] = [];
      const call = async (member: BrokerHandle) => {
        const answer = await callBroker(member.url, '/v1/providers', carol);
        statuses.push(answer.status);
        return answer;
      };
      const storeUpEverywhere = async (up: 0 | 1) => {
        const deadline = Date.now() + 20_000;
        for (const member of fleet) {
          while ((await metric(member, 'broker_shared_store_up')) !== up) {
            if (Date.now() > deadline) throw new Error(`broker_shared_store_up never ${up}`);
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }
      };
      redis.stop();
      await storeUpEverywhere(0);

      // Down: fleet[0] counts carol in its memory, and refuses her eleventh call.
      const remaining: string[] = [];
      for (let index = 0; index < 10; index += 1) {
        const answer = await call(fleet[0]!);
        expect(answer.status).toBe(200);
        remaining.push(answer.headers.get('ratelimit-remaining') ?? '');
      }
      expect(remaining).toEqual(['9', '8', '7', '6', '5', '4', '3', '2', '1', '0']);
      const refused = await call(fleet[0]!);
      expect(refused.status).toBe(429);
      expect(Problem.parse(refused.json()).code).toBe('rate_limited');
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // Each instance has a count of its own while Redis is down.
      const elsewhere = await call(fleet[1]!);
      expect(elsewhere.status).toBe(200);
      expect(elsewhere.headers.get('ratelimit-remaining')).toBe('9');
      // fleet[0]'s eleven counts, each tried in Redis first.
      expect(
        await metric(fleet[0]!, 'broker_shared_store_errors_total{operation="rate_limit"}'),
      ).toBe(11);

      redis = await startRedis(redis.port);
      await storeUpEverywhere(1);
      // Back: the fleet's count again. fleet[0], whose memory refuses carol, serves her, and the
      // eleventh call over the three is refused.
      const counted: string[] = [];
      for (let index = 0; index < 10; index += 1) {
        const answer = await call(fleet[index % 3]!);
        expect(answer.status).toBe(200);
        counted.push(answer.headers.get('ratelimit-remaining') ?? '');
      }
      expect(counted).toEqual(['9', '8', '7', '6', '5', '4', '3', '2', '1', '0']);
      expect((await call(fleet[2]!)).status).toBe(429);
      // Nobody got a 5xx because of Redis.
      expect(statuses.filter((status) => status !== 200 && status !== 429)).toEqual([]);
    });
  },
);
