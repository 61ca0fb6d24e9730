/**
 * `npm run bench:fleet`: the broker as a fleet against the broker alone, in one run, with
 * autocannon through the same loopback balancer (testing/src/round-robin-balancer.ts):
 *   1. three broker processes sharing a real `redis-server` (docs/architecture.md#fleet-state);
 *   2. one broker process with its memory store (no Redis);
 *   3. the three of 1. again, with the caller rate limit on (one Redis round trip per request) at a
 *      limit nobody reaches.
 * Each connection sends a mix of four users' calls in turn (alice's GitHub views, bob's Microsoft
 * profile, dave's Google profile, whose token the broker must refresh, and carol's identities), so
 * the counts show the fleet-wide guarantees: the sandbox's client-credentials grants and Get User
 * calls in each setup's first (cold) round, and Redis round trips per request from Redis's own
 * command counts (the per-caller rate limit is off in 1. and 2., as in bench:broker: four users
 * stand for many). Throughput, p50 and p99 are medians over alternating rounds (1 2 3, then 3 2 1, …).
 * The machine's load average is printed at the start and the end: on a shared 2-core machine the
 * fleet's three processes compete with everything else, so read the figures with it.
 * BENCH_DURATION (seconds per round, default 5), BENCH_ROUNDS (default 3) and BENCH_CONNECTIONS
 * (default 32) tune the run. Results go to bench/results/fleet-*.json.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { brokerEnvFromSandbox } from '@linkboard/dev-stack/broker-env';
import { SandboxInfo } from '@linkboard/sandbox/start-line';
import {
  startRoundRobinBalancer,
  type RoundRobinBalancer,
} from '@linkboard/testing/round-robin-balancer';
import { startRedis } from '../broker/test/support/redis-server.js';
import { signIn } from '../broker/test/support/sign-in.js';
import { buildBroker, GITHUB_CALLS, startBroker, startChild, stopChildren } from './children.js';

const duration = Number(process.env.BENCH_DURATION ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);

interface Setup {
  name: string;
  balancer: RoundRobinBalancer;
  /** The fleet's own Redis, whose command counts are read around each round. */
  redis?: Redis;
}

interface Round {
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  redisRoundTrips: number;
  redisCommands: number;
}

/**
 * Redis's command counts since it started (`INFO commandstats`), without the bench's own INFO:
 * every command (those a Lua script runs included), and the round trips brokers made: the same
 * without the commands only scripts run (INCR, PTTL, PEXPIRE: the rate limit's script; a lock
 * release's GET and DEL inside its script are rare, cold fetches only, and counted).
 */
async function redisCounts(redis: Redis | undefined): Promise<{ all: number; roundTrips: number }> {
  if (!redis) return { all: 0, roundTrips: 0 };
  const calls = new Map<string, number>();
  for (const match of (await redis.info('commandstats')).matchAll(/cmdstat_(\w+):calls=(\d+)/g)) {
    calls.set(match[1]!, Number(match[2]));
  }
  calls.delete('info');
  const all = [...calls.values()].reduce((sum, value) => sum + value, 0);
  const inScripts = ['incr', 'pttl', 'pexpire'].reduce(
    (sum, name) => sum + (calls.get(name) ?? 0),
    0,
  );
  return { all, roundTrips: all - inScripts };
}

function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main() {
  const loadAtStart = loadAverage();
  await buildBroker();
  const sandbox = startChild('sandbox/src/cli.ts', {}, (json) => SandboxInfo.parse(json), {
    args: ['--port', '0'],
  });
  const info = await sandbox.started;
  const control = (path: string, init?: RequestInit) => fetch(new URL(path, info.domain), init);
  // Each fleet has a Redis of its own: the second fleet finds nothing the first one cached.
  const redisServers = [await startRedis(), await startRedis()];
  stopRedis = () => redisServers.forEach((server) => server.stop());
  const redisClients = redisServers.map((server) => new Redis(server.url));
  mkdirSync(new URL('results/', import.meta.url), { recursive: true });
  const log = (name: string) => fileURLToPath(new URL(`results/${name}.log`, import.meta.url));
  const env = { ...brokerEnvFromSandbox(info), LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' };
  // One key per fleet: every member must open what the others sealed.
  const cacheKeys = redisServers.map(() => randomBytes(32).toString('base64'));
  const fleetEnv = (index: number) => ({
    ...env,
    REDIS_URL: redisServers[index]!.url,
    BROKER_CACHE_KEY: cacheKeys[index]!,
  });
  const fleet = await Promise.all(
    [1, 2, 3].map((index) => startBroker(fleetEnv(0), log(`fleet-bench-broker-${index}`))),
  );
  // The same fleet with the caller rate limit counting every request in Redis, at a limit no
  // caller reaches: what the fleet-wide count costs.
  const limited = await Promise.all(
    [1, 2, 3].map((index) =>
      startBroker(
        { ...fleetEnv(1), BROKER_RATE_LIMIT_MAX: '1000000000' },
        log(`fleet-bench-limited-${index}`),
      ),
    ),
  );
  const alone = await startBroker(env, log('fleet-bench-alone'));
  const setups: Setup[] = [
    {
      name: 'three brokers + Redis',
      balancer: await startRoundRobinBalancer(fleet.map((broker) => broker.url)),
      redis: redisClients[0]!,
    },
    { name: 'one broker, memory', balancer: await startRoundRobinBalancer([alone.url]) },
    {
      name: 'three + Redis + rate limit',
      balancer: await startRoundRobinBalancer(limited.map((broker) => broker.url)),
      redis: redisClients[1]!,
    },
  ];

  const token: Record<string, string> = {};
  for (const user of ['alice', 'bob', 'carol', 'dave']) {
    token[user] = (await signIn(info, user)).accessToken;
  }
  const mix = [
    ...GITHUB_CALLS.map((call) => ({ user: 'alice', path: `/v1/idp/github${call}` })),
    { user: 'bob', path: '/v1/idp/windowslive/v1.0/me' },
    { user: 'dave', path: '/v1/idp/google-oauth2/oauth2/v3/userinfo' },
    { user: 'carol', path: '/v1/me/identities' },
  ];
  const requests = mix.map(({ user, path }) => ({
    method: 'GET' as const,
    path,
    headers: { authorization: `Bearer ${token[user]}` },
  }));

  async function measure(setup: Setup): Promise<Round> {
    const before = await redisCounts(setup.redis);
    const result = await autocannon({
      url: setup.balancer.url,
      requests,
      connections,
      duration,
    });
    const after = await redisCounts(setup.redis);
    return {
      requests: result.requests.total,
      requestsPerSecond: Math.round(result.requests.average),
      p50: result.latency.p50,
      p99: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors,
      redisRoundTrips: after.roundTrips - before.roundTrips,
      redisCommands: after.all - before.all,
    };
  }

  console.log(
    `${mix.length} calls of 4 users in turn, ${connections} connections through a loopback ` +
      `round-robin balancer, ${rounds} alternating rounds of ${duration} s; load average at ` +
      `start ${loadAtStart}\n`,
  );
  const byRound: Round[][] = setups.map(() => []);
  const cold: Array<{ grants: number; getUser: number }> = [];
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? [0, 1, 2] : [2, 1, 0];
    for (const index of order) {
      const setup = setups[index]!;
      if (round === 0) await control('/_sandbox/reset', { method: 'POST' });
      const figures = await measure(setup);
      byRound[index]!.push(figures);
      if (round === 0) {
        const stats = (await (await control('/_sandbox/stats')).json()) as {
          grants: { client_credentials: number };
          managementGetUser: number;
        };
        cold[index] = { grants: stats.grants.client_credentials, getUser: stats.managementGetUser };
      }
    }
  }
  const results = setups.map((setup, index) => {
    const figures = byRound[index]!;
    const total = figures.reduce((sum, f) => sum + f.requests, 0);
    return {
      name: setup.name,
      requestsPerSecond: median(figures.map((f) => f.requestsPerSecond)),
      p50: median(figures.map((f) => f.p50)),
      p99: median(figures.map((f) => f.p99)),
      redisRoundTripsPerRequest: figures.reduce((sum, f) => sum + f.redisRoundTrips, 0) / total,
      redisCommandsPerRequest: figures.reduce((sum, f) => sum + f.redisCommands, 0) / total,
      non2xx: figures.reduce((sum, f) => sum + f.non2xx, 0),
      errors: figures.reduce((sum, f) => sum + f.errors, 0),
      rounds: figures.map((f) => f.requestsPerSecond),
      cold: cold[index]!,
    };
  });
  const loadAtEnd = loadAverage();
  console.table(
    results.map((r) => ({
      setup: r.name,
      'req/s': r.requestsPerSecond,
      'p50 ms': r.p50,
      'p99 ms': r.p99,
      'Redis round trips/req': r.redisRoundTripsPerRequest.toFixed(2),
      'Redis cmds/req': r.redisCommandsPerRequest.toFixed(2),
      'grants (cold round)': r.cold.grants,
      'Get User (cold round)': r.cold.getUser,
      non2xx: r.non2xx,
      errors: r.errors,
      'req/s per round': r.rounds.join(' / '),
    })),
  );
  const [fleetFigures, aloneFigures] = results as [(typeof results)[0], (typeof results)[0]];
  const limitedFigures = results[2]!;
  console.log(
    `fleet / alone: throughput ×${(fleetFigures.requestsPerSecond / aloneFigures.requestsPerSecond).toFixed(2)}, ` +
      `p99 ×${(fleetFigures.p99 / Math.max(aloneFigures.p99, 1)).toFixed(2)}; with the caller rate ` +
      `limit in Redis ×${(limitedFigures.requestsPerSecond / aloneFigures.requestsPerSecond).toFixed(2)}; ` +
      `load average at end ${loadAtEnd}`,
  );
  const file = new URL(
    `results/fleet-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    import.meta.url,
  );
  writeFileSync(
    file,
    JSON.stringify(
      { mix, connections, duration, rounds, loadAtStart, loadAtEnd, results },
      null,
      2,
    ),
  );
  await Promise.all(setups.map((setup) => setup.balancer.close()));
  redisClients.forEach((client) => client.disconnect());
  await stopChildren();
  if (results.some((r) => r.non2xx > 0 || r.errors > 0)) {
    console.error('some requests failed: the figures above are not comparable');
    process.exitCode = 1;
  }
}

/** Stops the bench's `redis-server` (a daemon): set once it runs. */
let stopRedis = () => {};

main()
  .catch(async (error: unknown) => {
    console.error('bench failed:', error instanceof Error ? error.message : error);
    await stopChildren();
    process.exitCode = 1;
  })
  .finally(() => stopRedis());
