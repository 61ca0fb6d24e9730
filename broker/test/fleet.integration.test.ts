import { startRoundRobinBalancer } from '@linkboard/testing/round-robin-balancer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrokerProcesses, stopFleet, type FleetMember } from './support/broker-fleet.js';
import { newCacheKey } from './support/cache-key.js';
import { redisUnavailableReason, startRedis } from './support/redis-server.js';
import { callBroker, startStack, type SandboxStats, type Stack } from './support/stack.js';

/**
 * Three broker processes on one real Redis and the sandbox (docs/architecture.md#fleet-state):
 * the fleet-wide guarantees counted by the sandbox, and what a Redis outage under load costs.
 */
const noRedis = redisUnavailableReason();
type User = 'alice' | 'bob' | 'carol' | 'dave';

/** The mix of calls: each user's own kind of work, dave's needing a refresh of his Google token. */
const CALLS: ReadonlyArray<{ user: User; path: string; provider?: 'google-oauth2' }> = [
  { user: 'alice', path: '/v1/idp/github/user' },
  { user: 'alice', path: '/v1/idp/google-oauth2/oauth2/v3/userinfo', provider: 'google-oauth2' },
  { user: 'bob', path: '/v1/idp/windowslive/v1.0/me' },
  { user: 'carol', path: '/v1/me/identities' },
  { user: 'dave', path: '/v1/idp/google-oauth2/oauth2/v3/userinfo', provider: 'google-oauth2' },
];

function delta(after: SandboxStats, before: SandboxStats) {
  return {
    grants: after.grants.client_credentials - before.grants.client_credentials,
    getUser: after.managementGetUser - before.managementGetUser,
  };
}

/** A metric's value summed over its label sets, from a broker's `/metrics`. */
async function metricSum(url: string, name: string, labels = ''): Promise<number> {
  const { text } = await callBroker(url, '/metrics', undefined);
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) {
      if (line.includes(labels)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return sum;
}

describe.skipIf(noRedis !== undefined)(
  `a fleet of three broker processes on one Redis${noRedis ? ` (skipped: ${noRedis})` : ''}`,
  () => {
    let stack: Stack;
    let redis: Awaited<ReturnType<typeof startRedis>>;
    const tokens = {} as Record<User, string>;
    const fleets: FleetMember[][] = [];

    beforeAll(async () => {
      stack = await startStack();
      redis = await startRedis();
      for (const user of ['alice', 'bob', 'carol', 'dave'] as const) {
        tokens[user] = await stack.tokenFor(user);
      }
    }, 60_000);
    afterAll(async () => {
      await Promise.all(fleets.map(stopFleet));
      redis?.stop();
      await stack?.close();
    });

    async function startFleet(env: Record<string, string> = {}): Promise<FleetMember[]> {
      const fleet = await startBrokerProcesses(stack.info, 3, {
        REDIS_URL: redis.url,
        BROKER_CACHE_KEY: newCacheKey(),
        // The test's one client address opens every connection, like a balancer would, and its
        // four users' load stands for many users': no per-caller limit (tested on its own).
        BROKER_MAX_CONNECTIONS_PER_ADDRESS: '0',
        BROKER_RATE_LIMIT_MAX: '0',
        BROKER_READINESS_CACHE_MS: '0',
        ...env,
      });
      fleets.push(fleet);
      return fleet;
    }

    it('300 concurrent cold calls over the three: one grant, one Get User per user, one refresh', async () => {
      const fleet = await startFleet();
      await stack.reset();
      const answers = await Promise.all(
        Array.from({ length: 300 }, (_, index) => {
          const { user, path } = CALLS[index % CALLS.length]!;
          return callBroker(fleet[index % fleet.length]!.url, path, tokens[user]);
        }),
      );
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
      const stats = await stack.stats();
      const googleCalls = (300 / CALLS.length) * 2;
      const refreshes = stats.idpCalls['google-oauth2'] - googleCalls;
      console.warn(
        `[fleet] 300 cold calls over 3 broker processes: client-credentials grants ` +
          `${stats.grants.client_credentials}, Get User ${stats.managementGetUser} (4 users), ` +
          `provider token refreshes ${refreshes} (1 expired token)`,
      );
      expect(stats.grants.client_credentials).toBe(1);
      expect(stats.managementGetUser).toBe(4);
      expect(refreshes).toBe(1);
      expect(stats.idpCalls.github).toBe(60);
      expect(stats.idpCalls.windowslive).toBe(60);
      // Each instance answered a third, and only one of them fetched each value for the others.
      let fetched = 0;
      for (const member of fleet) {
        fetched += await metricSum(member.url, 'broker_fleet_cache_total', 'outcome="fetched"');
        expect(await metricSum(member.url, 'broker_fleet_cache_total', 'outcome="alone"')).toBe(0);
      }
      // The M2M token, four users' identities, dave's refreshed token.
      expect(fetched).toBe(6);
    }, 120_000);

    it('keeps answering while Redis is killed and restarted under load, then shares again', async () => {
      const windowMs = 3000;
      const fleet = await startFleet({ BROKER_IDENTITIES_TTL_MS: String(windowMs) });
      const failures: string[] = [];
      let answered = 0;
      let running = true;
      // Bounded load: 9 workers, each one call at a time, round robin over the fleet and the mix.
      const workers = Array.from({ length: 9 }, async (_, worker) => {
        for (let index = worker; running; index += 9) {
          const { user, path } = CALLS[index % CALLS.length]!;
          const member = fleet[index % fleet.length]!;
          try {
            const answer = await callBroker(member.url, path, tokens[user]);
            if (answer.status === 200) answered += 1;
            else failures.push(`${answer.status} ${answer.text.slice(0, 200)}`);
          } catch (error) {
            failures.push(String(error));
          }
        }
      });
      const degraded = async (member: FleetMember) =>
        (
          JSON.parse((await callBroker(member.url, '/readyz', undefined)).text) as {
            degraded?: { sharedStore?: unknown };
          }
        ).degraded?.sharedStore !== undefined;
      const waitFor = async (what: string, check: () => Promise<boolean>) => {
        const deadline = Date.now() + 20_000;
        while (!(await check())) {
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      };
      const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      const phaseMs = 2 * windowMs;
      try {
        await sleep(1000);
        const beforeBaseline = await stack.stats();
        await sleep(phaseMs);
        const baseline = delta(await stack.stats(), beforeBaseline);

        // Which instances hold the M2M token of their own (a cold read of it, from Redis or
        // granted): only the others should need a grant while each instance works alone.
        const m2mBefore = await Promise.all(
          fleet.map(async (member) => ({
            held: (await metricSum(member.url, 'broker_fleet_cache_total', 'cache="m2m"')) > 0,
            grants: await metricSum(member.url, 'broker_m2m_grants_total'),
          })),
        );
        const beforeOutage = await stack.stats();
        redis.stop();
        const started = Date.now();
        await waitFor('every broker to see Redis down', async () =>
          (await Promise.all(fleet.map(degraded))).every(Boolean),
        );
        // Readiness stays 200 while degraded: Redis alone takes no instance out of the balancer.
        expect((await callBroker(fleet[0]!.url, '/readyz', undefined)).status).toBe(200);
        await sleep(Math.max(0, phaseMs - (Date.now() - started)));
        redis = await startRedis(redis.port);
        await waitFor('every broker to reconnect', async () =>
          (await Promise.all(fleet.map(degraded))).every((down) => !down),
        );
        const outageMs = Date.now() - started;
        const outage = delta(await stack.stats(), beforeOutage);
        const outageGrants = await Promise.all(
          fleet.map(
            async (member, index) =>
              (await metricSum(member.url, 'broker_m2m_grants_total')) - m2mBefore[index]!.grants,
          ),
        );
        const withoutToken = m2mBefore.filter((member) => !member.held).length;
        const answeredDuring = answered;
        await sleep(1000);
        running = false;
        await Promise.all(workers);

        const storeErrors = (
          await Promise.all(
            fleet.map((member) => metricSum(member.url, 'broker_shared_store_errors_total')),
          )
        ).reduce((sum, value) => sum + value, 0);
        const alone = (
          await Promise.all(
            fleet.map((member) =>
              metricSum(member.url, 'broker_fleet_cache_total', 'outcome="alone"'),
            ),
          )
        ).reduce((sum, value) => sum + value, 0);
        console.warn(
          `[redis outage] ${answeredDuring} calls answered 200 by the end of the outage, ` +
            `${failures.length} failed; baseline with Redis over ${phaseMs} ms: ` +
            `${baseline.getUser} Get User, ${baseline.grants} grants; Redis down for ${outageMs} ms ` +
            `(kill to every broker reconnected): ${outage.getUser} Get User ` +
            `(${outage.getUser - Math.round((baseline.getUser * outageMs) / phaseMs)} extra), ` +
            `${outage.grants} grants (${outage.grants - Math.round((baseline.grants * outageMs) / phaseMs)} extra, ` +
            `from the ${withoutToken} of 3 instances that held no M2M token before); ` +
            `${storeErrors} Redis command failures, ${alone} reads fetched alone`,
        );
        expect(failures).toEqual([]);
        // An instance that holds the M2M token keeps using it without Redis (it lives a day);
        // one that never needed it grants its own, once.
        m2mBefore.forEach((member, index) =>
          expect(outageGrants[index]).toBeLessThanOrEqual(member.held ? 0 : 1),
        );
        expect(storeErrors).toBeGreaterThan(0);
        expect(alone).toBeGreaterThan(0);
        for (const member of fleet) {
          expect(await metricSum(member.url, 'broker_shared_store_up')).toBe(1);
        }

        // Guarantees resume: once every kept read has expired, a burst is one Get User per user.
        await sleep(windowMs + 500);
        await stack.reset();
        const burst = await Promise.all(
          Array.from({ length: 90 }, (_, index) => {
            const { user, path } = CALLS[index % CALLS.length]!;
            return callBroker(fleet[index % fleet.length]!.url, path, tokens[user]);
          }),
        );
        expect(burst.filter((answer) => answer.status !== 200)).toEqual([]);
        expect((await stack.stats()).managementGetUser).toBe(4);
      } finally {
        running = false;
        await Promise.all(workers);
      }
    }, 120_000);

    it('loses no call behind a balancer when one of the three is stopped with SIGTERM under load', async () => {
      const fleet = await startFleet({ BROKER_SHUTDOWN_GRACE_MS: '10000' });
      const balancer = await startRoundRobinBalancer(fleet.map((member) => member.url));
      // GitHub is kept for the slow calls below, so the load does not take their delay faults.
      const mix = CALLS.filter((call) => !call.path.startsWith('/v1/idp/github/'));
      const failures: string[] = [];
      let answered = 0;
      let running = true;
      const workers = Array.from({ length: 9 }, async (_, worker) => {
        for (let index = worker; running; index += 9) {
          const { user, path } = mix[index % mix.length]!;
          try {
            const answer = await callBroker(balancer.url, path, tokens[user]);
            if (answer.status === 200) answered += 1;
            else failures.push(`${answer.status} ${answer.text.slice(0, 200)}`);
          } catch (error) {
            failures.push(String(error));
          }
        }
      });
      try {
        await new Promise((resolve) => setTimeout(resolve, 1500));
        // Slow calls in flight at the instance that is stopped: each has reached the sandbox.
        const stopping = fleet[1]!;
        await stack.fault({ target: 'idp:github', kind: 'delay', delayMs: 1500, count: 4 });
        const slow = Array.from({ length: 4 }, () =>
          callBroker(stopping.url, '/v1/idp/github/user', tokens.alice).then(
            (answer) => answer.status,
            (error: unknown) => String(error),
          ),
        );
        const deadline = Date.now() + 10_000;
        while ((await stack.pendingFaults('idp:github')) > 0) {
          if (Date.now() > deadline) throw new Error('the slow calls never reached the sandbox');
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        const answeredBefore = answered;
        const exit = await stopping.process.stop({ graceMs: 20_000 });
        await new Promise((resolve) => setTimeout(resolve, 1500));
        running = false;
        await Promise.all(workers);
        console.warn(
          `[fleet shutdown] ${answered} calls through the balancer (${answered - answeredBefore} ` +
            `from SIGTERM on), ${failures.length} failed, ${balancer.retried()} sent again by the ` +
            `balancer after a refused connection; the stopped broker exited ${exit.code}`,
        );
        expect(exit).toEqual({ code: 0, signal: null });
        expect(await Promise.all(slow)).toEqual([200, 200, 200, 200]);
        expect(failures).toEqual([]);
        expect(answered - answeredBefore).toBeGreaterThan(0);
      } finally {
        running = false;
        await Promise.all(workers);
        await balancer.close();
      }
    }, 120_000);
  },
);
