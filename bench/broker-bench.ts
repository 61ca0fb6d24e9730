/**
 * `npm run bench:broker`: the same GitHub call measured three ways in one run, with autocannon:
 *   1. straight to the sandbox's emulated GitHub API (with the IdP token);
 *   2. through a minimal pass-through proxy (fixed token, no checks): the floor cost of a hop;
 *   3. through the broker, with a real user access token from the sandbox sign-in.
 * Prints req/s, p50 and p99 for each and the ratios broker / pass-through, and writes them to
 * bench/results/. Target: the broker keeps ≥ 70% of the pass-through throughput, p99 ≤ 2×.
 *
 * The three are measured in alternating rounds (A B C A B C …) and the median round of each is
 * kept, so a neighbour's load on a shared machine does not fall on one of them only.
 * BENCH_DURATION (seconds per round, default 5), BENCH_ROUNDS (default 3) and BENCH_CONNECTIONS
 * (default 32) tune the run; LOG_LEVEL is passed to the broker (default info: one audit line
 * per call, as in production).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { SandboxInfo } from '@linkboard/contract';
import { signIn } from '../broker/test/support/sign-in.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const duration = Number(process.env.BENCH_DURATION ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const CALL = '/user/repos?per_page=10';
const children: ChildProcess[] = [];

function startChild(
  script: string,
  env: NodeJS.ProcessEnv,
): { child: ChildProcess; line: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  children.push(child);
  const line = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start`)), 60_000);
    createInterface({ input: child.stdout! }).once('line', (first) => {
      clearTimeout(timer);
      resolve(first);
    });
    child.once('exit', () => reject(new Error(`${script} exited`)));
  });
  return { child, line };
}

/** Alice's GitHub token, read from the Management API the way the broker reads it. */
async function githubTokenOf(info: SandboxInfo, userId: string): Promise<string> {
  const grant = await fetch(`${info.domain}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: info.m2m.clientId,
      client_secret: info.m2m.clientSecret,
      audience: info.managementAudience,
    }),
  });
  const { access_token } = (await grant.json()) as { access_token: string };
  const user = (await (
    await fetch(`${info.managementAudience}users/${encodeURIComponent(userId)}`, {
      headers: { authorization: `Bearer ${access_token}` },
    })
  ).json()) as { identities: Array<{ connection: string; access_token?: string }> };
  const token = user.identities.find((identity) => identity.connection === 'github')?.access_token;
  if (!token) throw new Error('no GitHub token for the bench user');
  return token;
}

/** CPU time (user + system, ms) a process has used so far, from /proc; undefined elsewhere. */
function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** The broker process dev-stack started: its child running broker/src/cli.ts. */
function brokerPid(devStackPid: number | undefined): number | undefined {
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ');
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (Number(stat[1]) === devStackPid && cmdline.includes('broker/src/cli.ts'))
        return Number(entry);
    } catch {
      // The process went away.
    }
  }
  return undefined;
}

interface Figures {
  name: string;
  requestsPerSecond: number;
  /** CPU time the proxy process spent per request, in microseconds (when it can be read). */
  cpuMicrosPerRequest?: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

interface Target {
  name: string;
  url: string;
  authorization: string;
  /** The proxy process whose CPU time is measured. */
  pid?: number;
}

async function measure(
  { name, url, authorization, pid }: Target,
  seconds: number,
): Promise<Figures> {
  const cpuBefore = cpuMs(pid);
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    headers: { authorization },
  });
  const cpuAfter = cpuMs(pid);
  const cpu =
    cpuBefore === undefined || cpuAfter === undefined || result.requests.total === 0
      ? undefined
      : Math.round(((cpuAfter - cpuBefore) * 1000) / result.requests.total);
  return {
    name,
    requestsPerSecond: Math.round(result.requests.average),
    ...(cpu === undefined ? {} : { cpuMicrosPerRequest: cpu }),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

async function main() {
  const stack = startChild('scripts/dev-stack.ts', { LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' });
  const started = JSON.parse(await stack.line) as { sandbox: unknown; brokerUrl: string };
  const info = SandboxInfo.parse(started.sandbox);
  const githubBase = info.idpBaseUrls.github;
  if (!githubBase) throw new Error('the sandbox has no GitHub API');
  const idpToken = await githubTokenOf(info, 'auth0|alice');
  const { accessToken } = await signIn(info, 'alice');
  const proxy = startChild('bench/pass-through-proxy.ts', {
    TARGET_BASE_URL: githubBase,
    IDP_TOKEN: idpToken,
  });
  const proxyUrl = (JSON.parse(await proxy.line) as { url: string }).url;

  const brokerProcess = brokerPid(stack.child.pid);
  const targets: Target[] = [
    {
      name: 'direct to the sandbox GitHub API',
      url: `${githubBase}${CALL}`,
      authorization: `Bearer ${idpToken}`,
    },
    {
      name: 'pass-through proxy (no checks)',
      url: `${proxyUrl}/v1/idp/github${CALL}`,
      authorization: `Bearer ${idpToken}`,
      ...(proxy.child.pid === undefined ? {} : { pid: proxy.child.pid }),
    },
    {
      name: 'broker (user token, all checks)',
      url: `${started.brokerUrl}/v1/idp/github${CALL}`,
      authorization: `Bearer ${accessToken}`,
      ...(brokerProcess === undefined ? {} : { pid: brokerProcess }),
    },
  ];
  console.log(
    `GET ${CALL} — ${connections} connections, ${rounds} alternating rounds of ${duration} s each, after a 2 s warm-up\n`,
  );
  for (const target of targets) await measure(target, 2); // warm-up: connections, caches, JIT
  const byTarget: Figures[][] = targets.map(() => []);
  for (let round = 0; round < rounds; round += 1) {
    for (const [index, target] of targets.entries())
      byTarget[index]!.push(await measure(target, duration));
  }
  const results = byTarget.map((figures) => {
    const sorted = [...figures].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    return {
      ...median,
      non2xx: figures.reduce((sum, f) => sum + f.non2xx, 0),
      errors: figures.reduce((sum, f) => sum + f.errors, 0),
      rounds: figures.map((f) => f.requestsPerSecond),
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
    })),
  );
  const [, passThrough, broker] = results as [Figures, Figures, Figures] & unknown[];
  const throughputRatio = broker.requestsPerSecond / passThrough.requestsPerSecond;
  const p99Ratio = broker.p99 / Math.max(passThrough.p99, 1);
  const cpuRatio =
    broker.cpuMicrosPerRequest && passThrough.cpuMicrosPerRequest
      ? broker.cpuMicrosPerRequest / passThrough.cpuMicrosPerRequest
      : undefined;
  if (cpuRatio !== undefined) {
    console.log(
      `broker / pass-through: CPU per request ×${cpuRatio.toFixed(2)} (less noisy than req/s)`,
    );
  }
  console.log(
    `broker / pass-through: throughput ${(throughputRatio * 100).toFixed(1)}% (target ≥ 70%), ` +
      `p99 ×${p99Ratio.toFixed(2)} (target ≤ 2)`,
  );
  mkdirSync(new URL('results/', import.meta.url), { recursive: true });
  const file = new URL(
    `results/broker-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    import.meta.url,
  );
  writeFileSync(
    file,
    JSON.stringify(
      { call: CALL, connections, duration, results, throughputRatio, p99Ratio },
      null,
      2,
    ),
  );
  if (results.some((r) => r.non2xx > 0 || r.errors > 0)) {
    console.error('some requests failed: the figures above are not comparable');
    process.exitCode = 1;
  }
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
  .finally(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  });
