/**
 * `npm run bench:broker`: the same GitHub calls measured four ways in one run, with autocannon:
 *   1. straight to the sandbox's emulated GitHub API (with the IdP token);
 *   2. through a minimal pass-through proxy (fixed token, no checks, the same undici settings and
 *      the same response headers passed on): the floor cost of a hop;
 *   3. through the broker in `management` mode, with a real user access token from the sandbox
 *      sign-in;
 *   4. through the broker in `token-vault` mode (only the Token Vault client's credentials), the
 *      same user and token, her GitHub connected through Connected Accounts first (the same GitHub
 *      account and data as her linked identity, so the answers are the same).
 * Each connection sends the calls of `GITHUB_CALLS` in turn (what the app's GitHub views ask for).
 * Prints req/s, p50, p99 and CPU per request for each and each broker's ratios broker /
 * pass-through, and writes them to bench/results/. Target (bench/README.md): the broker keeps
 * ≥ 90 % of the pass-through throughput with CPU per request ≤ ×1.3.
 *
 * The four are measured in alternating rounds (A B C D, then D C B A, …), each with the same
 * connection count and keep-alive, and the median of each figure over the rounds is kept, so a
 * neighbour's load on a shared machine does not fall on one of them only; the broker /
 * pass-through ratios (throughput, p99, CPU per request) are also given per round (they ran
 * seconds apart) with their median.
 * CPU time per request of each proxy process comes from /proc, all threads, and the part of it
 * on the main (JavaScript) thread; the rest is V8's GC and compiler threads. The sandbox, the broker (its
 * production bundle, as operators run it) and the pass-through proxy run as separate processes;
 * the brokers' stdout (their audit lines) goes straight to bench/results/broker-bench.log and
 * broker-vault-bench.log.
 * BENCH_DURATION (seconds per round, default 4), BENCH_ROUNDS (default 5) and BENCH_CONNECTIONS
 * (default 32) tune the run; LOG_LEVEL is passed to the broker (default info: one audit line
 * per call, as in production). Each proxy's peak memory (resident set, and the part of it that
 * is its own rather than the `node` binary's pages) is printed with its figures;
 * BENCH_MEMORY_LIMIT_MIB runs each proxy process within a memory limit of its own, as a
 * container's (`memory-limit.ts`), and reports the processes the kernel killed for memory.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { brokerEnvFromSandbox } from '@linkboard/dev-stack/broker-env';
import { SandboxInfo } from '@linkboard/sandbox/start-line';
import { connectAccount } from '../broker/test/support/connected-accounts.js';
import { signIn } from '../broker/test/support/sign-in.js';
import {
  buildBroker,
  callMix,
  GITHUB_CALLS,
  githubTokenOf,
  benchNodeFlags,
  startBroker,
  startChild,
  stopChildren,
  urlStartLine,
} from './children.js';
import { BenchMemoryLimits } from './memory-limit.js';
import { cpuMs, median } from './process-cpu.js';
import { peakRssMiB, samplePeakAnonMiB } from './process-memory.js';

const duration = Number(process.env.BENCH_DURATION ?? 4);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);

interface Figures {
  name: string;
  requestsPerSecond: number;
  /** CPU time the proxy process spent per request, in microseconds (when it can be read). */
  cpuMicrosPerRequest?: number;
  /** The part of it spent on the process's main (JavaScript) thread. */
  mainThreadMicrosPerRequest?: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

interface Target {
  name: string;
  /** The server's origin. */
  url: string;
  /** Put before each call's path (the proxy route), or ''. */
  prefix: string;
  authorization: string;
  /** The proxy process whose CPU time is measured. */
  pid?: number;
}

async function measure(
  { name, url, prefix, authorization, pid }: Target,
  seconds: number,
): Promise<Figures> {
  const cpuBefore = cpuMs(pid);
  const result = await autocannon({
    url,
    requests: callMix(prefix),
    connections,
    duration: seconds,
    headers: { authorization },
  });
  const cpuAfter = cpuMs(pid);
  const perRequest = (ms: number) => Math.round((ms * 1000) / result.requests.total);
  const cpu =
    cpuBefore === undefined || cpuAfter === undefined || result.requests.total === 0
      ? {}
      : {
          cpuMicrosPerRequest: perRequest(cpuAfter.all - cpuBefore.all),
          mainThreadMicrosPerRequest: perRequest(cpuAfter.main - cpuBefore.main),
        };
  return {
    name,
    requestsPerSecond: Math.round(result.requests.average),
    ...cpu,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** The proxies' memory limits, when BENCH_MEMORY_LIMIT_MIB sets one. */
const limits = new BenchMemoryLimits();

async function main() {
  await buildBroker();
  const sandbox = startChild('sandbox/src/cli.ts', {}, (json) => SandboxInfo.parse(json), {
    args: ['--port', '0'],
  });
  const info = await sandbox.started;
  const githubBase = info.idpBaseUrls.github;
  if (!githubBase) throw new Error('the sandbox has no GitHub API');
  mkdirSync(new URL('results/', import.meta.url), { recursive: true });
  const brokerLog = fileURLToPath(new URL('results/broker-bench.log', import.meta.url));
  const broker = await startBroker(
    { ...brokerEnvFromSandbox(info), LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
    brokerLog,
    { limit: limits.for('broker') },
  );
  const vaultBroker = await startBroker(
    brokerEnvFromSandbox(info, {
      TOKEN_SOURCE: 'token-vault',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    }),
    fileURLToPath(new URL('results/broker-vault-bench.log', import.meta.url)),
    { limit: limits.for('broker-vault') },
  );
  await connectAccount(info, 'alice', 'github');
  const idpToken = await githubTokenOf(info, 'auth0|alice');
  const { accessToken } = await signIn(info, 'alice');
  const proxy = startChild(
    'bench/pass-through-proxy.ts',
    { TARGET_BASE_URL: githubBase, IDP_TOKEN: idpToken },
    urlStartLine,
    // The same flags as the brokers unless told otherwise (the pass-through at its own best).
    {
      nodeArgs: benchNodeFlags('BENCH_PASS_THROUGH_NODE_FLAGS'),
      limit: limits.for('pass-through'),
    },
  );
  const proxyUrl = (await proxy.started).url;

  const targets: Target[] = [
    {
      name: 'direct to the sandbox GitHub API',
      // The emulated API's base URL has a path of its own, before each call's.
      url: new URL(githubBase).origin,
      prefix: new URL(githubBase).pathname.replace(/\/$/, ''),
      authorization: `Bearer ${idpToken}`,
    },
    {
      name: 'pass-through proxy (no checks)',
      url: proxyUrl,
      prefix: '/v1/idp/github',
      authorization: `Bearer ${idpToken}`,
      ...(proxy.child.pid === undefined ? {} : { pid: proxy.child.pid }),
    },
    {
      name: 'broker (user token, all checks)',
      url: broker.url,
      prefix: '/v1/idp/github',
      authorization: `Bearer ${accessToken}`,
      ...(broker.child.pid === undefined ? {} : { pid: broker.child.pid }),
    },
    {
      name: 'broker, token-vault mode',
      url: vaultBroker.url,
      prefix: '/v1/idp/github',
      authorization: `Bearer ${accessToken}`,
      ...(vaultBroker.child.pid === undefined ? {} : { pid: vaultBroker.child.pid }),
    },
  ];
  console.log(
    `GET ${GITHUB_CALLS.join(', ')} in turn — ${connections} connections each, ${rounds} alternating rounds of ${duration} s ` +
      `(order reversed every other round), after a 2 s warm-up of each\n`,
  );
  for (const target of targets) await measure(target, 2); // warm-up: connections, caches, JIT
  const anonPeaks = targets.map((target) => samplePeakAnonMiB(target.pid));
  const byTarget: Figures[][] = targets.map(() => []);
  for (let round = 0; round < rounds; round += 1) {
    // A B C D, then D C B A: no proxy always runs right after another.
    const forward = targets.map((_target, index) => index);
    const order = round % 2 === 0 ? forward : forward.toReversed();
    for (const index of order) byTarget[index]!.push(await measure(targets[index]!, duration));
  }
  const peakAnon = anonPeaks.map((sampler) => sampler.stop());
  const results = byTarget.map((figures, index) => {
    const sorted = [...figures].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
    const middle = sorted[Math.floor(sorted.length / 2)]!;
    const cpu = figures.flatMap((f) =>
      f.cpuMicrosPerRequest === undefined ? [] : [f.cpuMicrosPerRequest],
    );
    const mainThread = figures.flatMap((f) =>
      f.mainThreadMicrosPerRequest === undefined ? [] : [f.mainThreadMicrosPerRequest],
    );
    return {
      ...middle,
      // Medians of each figure over the rounds (the p50/p99 of the median-throughput round would
      // tie the latencies to one possibly disturbed round).
      p50: median(figures.map((f) => f.p50)),
      p99: median(figures.map((f) => f.p99)),
      ...(cpu.length > 0 ? { cpuMicrosPerRequest: median(cpu) } : {}),
      ...(mainThread.length > 0 ? { mainThreadMicrosPerRequest: median(mainThread) } : {}),
      non2xx: figures.reduce((sum, f) => sum + f.non2xx, 0),
      errors: figures.reduce((sum, f) => sum + f.errors, 0),
      rounds: figures.map((f) => f.requestsPerSecond),
      peakRssMiB: peakRssMiB(targets[index]!.pid),
      peakAnonMiB: peakAnon[index],
    };
  });
  console.table(
    results.map((r) => ({
      path: r.name,
      'req/s': r.requestsPerSecond,
      'p50 ms': r.p50,
      'p99 ms': r.p99,
      non2xx: r.non2xx,
      errors: r.errors,
      'req/s per round': r.rounds.join(' / '),
      'proxy CPU µs/req': r.cpuMicrosPerRequest ?? '',
      'of it main thread': r.mainThreadMicrosPerRequest ?? '',
      'peak RSS MiB': r.peakRssMiB ?? '',
      'of it own': r.peakAnonMiB ?? '',
    })),
  );
  const memoryLimitMiB = limits.mib;
  const oomKills = limits.oomKills();
  if (memoryLimitMiB !== undefined) {
    console.log(
      `each proxy within ${memoryLimitMiB} MiB; killed for memory: ${oomKills.join(', ')}`,
    );
  }
  const management = ratiosToPassThrough('broker', results, byTarget, 2);
  const tokenVault = ratiosToPassThrough('broker (token-vault)', results, byTarget, 3);
  const file = new URL(
    `results/broker-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    import.meta.url,
  );
  writeFileSync(
    file,
    JSON.stringify(
      {
        calls: GITHUB_CALLS,
        connections,
        duration,
        rounds,
        ...(memoryLimitMiB === undefined ? {} : { memoryLimitMiB, oomKills }),
        results,
        ...management,
        tokenVault,
      },
      null,
      2,
    ),
  );
  if (results.some((r) => r.non2xx > 0 || r.errors > 0)) {
    console.error('some requests failed: the figures above are not comparable');
    process.exitCode = 1;
  }
}

/**
 * The broker at `index` against the pass-through (index 1): throughput, p99 and CPU per request
 * from the medians, and the same within each round (the two ran seconds apart, under the same
 * neighbours); printed under `label`.
 */
function ratiosToPassThrough(
  label: string,
  results: Figures[],
  byTarget: Figures[][],
  index: number,
) {
  const passThrough = results[1]!;
  const brokerFigures = results[index]!;
  const brokerRounds = byTarget[index]!;
  const floorRounds = byTarget[1]!;
  const throughputRatio = brokerFigures.requestsPerSecond / passThrough.requestsPerSecond;
  const p99Ratio = brokerFigures.p99 / Math.max(passThrough.p99, 1);
  const roundRatios = brokerRounds.map(
    (f, round) => f.requestsPerSecond / floorRounds[round]!.requestsPerSecond,
  );
  const roundThroughputRatio = median(roundRatios);
  const roundP99Ratio = median(
    brokerRounds.map((f, round) => f.p99 / Math.max(floorRounds[round]!.p99, 1)),
  );
  const cpuRatio =
    brokerFigures.cpuMicrosPerRequest && passThrough.cpuMicrosPerRequest
      ? brokerFigures.cpuMicrosPerRequest / passThrough.cpuMicrosPerRequest
      : undefined;
  const roundCpuRatios = brokerRounds.flatMap((f, round) => {
    const floor = floorRounds[round]!.cpuMicrosPerRequest;
    return f.cpuMicrosPerRequest && floor ? [f.cpuMicrosPerRequest / floor] : [];
  });
  const roundCpuRatio = roundCpuRatios.length > 0 ? median(roundCpuRatios) : undefined;
  if (cpuRatio !== undefined) {
    console.log(
      `${label} / pass-through: CPU per request ×${cpuRatio.toFixed(2)} (target ≤ 1.3; less noisy than req/s)`,
    );
  }
  console.log(
    `${label} / pass-through: throughput ${(throughputRatio * 100).toFixed(1)}% (target ≥ 90%), ` +
      `p99 ×${p99Ratio.toFixed(2)} (target ≤ 2)`,
  );
  console.log(
    `per round: throughput ${roundRatios.map((r) => `${(r * 100).toFixed(0)}%`).join(' / ')}, ` +
      `median ${(roundThroughputRatio * 100).toFixed(1)}%; p99 median ×${roundP99Ratio.toFixed(2)}`,
  );
  if (roundCpuRatio !== undefined) {
    console.log(
      `per round: CPU per request ${roundCpuRatios.map((r) => `×${r.toFixed(2)}`).join(' / ')}, ` +
        `median ×${roundCpuRatio.toFixed(2)}`,
    );
  }
  return {
    throughputRatio,
    p99Ratio,
    roundThroughputRatio,
    roundP99Ratio,
    cpuRatio,
    roundCpuRatio,
  };
}

main()
  .catch((error: unknown) => {
    console.error(
      'bench failed:',
      error instanceof Error
        ? `${error.message} ${String((error as { cause?: unknown }).cause ?? '')}`
        : error,
    );
    process.exitCode = 1;
  })
  .finally(async () => {
    await stopChildren();
    limits.removeAll();
  });
