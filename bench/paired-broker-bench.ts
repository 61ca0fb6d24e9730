/**
 * `npm run bench:broker:paired`: two builds of the broker under the same load at the same time,
 * to tell whether a change to the broker saves CPU. Sequential rounds of one build differ by up
 * to ±30 % on a shared machine, which hides any change below about 10 %; two brokers loaded in
 * the same seconds share the neighbours' load alike, so their ratio is steadier.
 *
 *   npm run bench:broker:paired -- save FOLDER     the current sources' production layout in
 *                                                  FOLDER (the baseline: run it before the change)
 *   npm run bench:broker:paired -- compare FOLDER  builds the current sources, then loads the
 *                                                  baseline in FOLDER and this build together
 *
 * In each round both brokers (production bundles, plain `node`, against one sandbox, one user's
 * access token each) get the bench's GitHub calls (`GITHUB_CALLS`) from two autocannon runs
 * started together, BENCH_CONNECTIONS / 2 connections each, for BENCH_DURATION seconds. Per
 * round it prints each broker's req/s and CPU per request (all threads, and the main thread's
 * part, from /proc) and the candidate / baseline ratios; at the end their medians. BENCH_ROUNDS
 * (default 10), BENCH_DURATION (3), BENCH_WARMUP (15 s, both brokers at once, not counted),
 * BENCH_CONNECTIONS (32) and LOG_LEVEL (info) tune it; BENCH_MEMORY_LIMIT_MIB runs each broker
 * within a memory limit of its own, as a container's (`memory-limit.ts`). BENCH_RATE (req/s sent
 * to each broker; default 0, as many as each takes) holds both at the same pace, below what the
 * machine can serve: a broker answering more calls per second spends less CPU on each (more work
 * per wake-up), so at full load a neighbour's slice of CPU changes both figures at once; at a
 * fixed pace only the work per call differs.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { buildBrokerApp, BUNDLE_PATH } from '../broker/production-bundle.js';
import { brokerEnvFromSandbox } from '@linkboard/dev-stack/broker-env';
import { SandboxInfo } from '@linkboard/sandbox/start-line';
import { signIn } from '../broker/test/support/sign-in.js';
import { benchNodeFlags, callMix, startBroker, startChild, stopChildren } from './children.js';
import { BenchMemoryLimits } from './memory-limit.js';
import { cpuMs, median } from './process-cpu.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 10);
const duration = Number(process.env.BENCH_DURATION ?? 3);
const warmUp = Number(process.env.BENCH_WARMUP ?? 15);
/** Requests per second sent to each broker (0: as many as they take). */
const rate = Number(process.env.BENCH_RATE ?? 0);
const connections = Math.max(1, Math.floor(Number(process.env.BENCH_CONNECTIONS ?? 32) / 2));
const results = fileURLToPath(new URL('results/', import.meta.url));

interface Loaded {
  name: string;
  url: string;
  pid: number;
  authorization: string;
}

interface RoundFigures {
  requestsPerSecond: number;
  cpuMicrosPerRequest: number;
  mainThreadMicrosPerRequest: number;
  failed: number;
}

/** One broker's load for `seconds`, with its CPU time per request over the same span. */
async function load(target: Loaded, seconds: number): Promise<RoundFigures> {
  const before = cpuMs(target.pid);
  const result = await autocannon({
    url: target.url,
    requests: callMix('/v1/idp/github'),
    connections,
    duration: seconds,
    headers: { authorization: target.authorization },
    ...(rate > 0 ? { overallRate: rate } : {}),
  });
  const after = cpuMs(target.pid);
  if (!before || !after) throw new Error('CPU time is read from /proc: Linux only');
  const total = Math.max(result.requests.total, 1);
  return {
    requestsPerSecond: Math.round(result.requests.average),
    cpuMicrosPerRequest: ((after.all - before.all) * 1000) / total,
    mainThreadMicrosPerRequest: ((after.main - before.main) * 1000) / total,
    failed: result.non2xx + result.errors,
  };
}

/** The brokers' memory limits, when BENCH_MEMORY_LIMIT_MIB sets one. */
const limits = new BenchMemoryLimits();

async function compare(baselineFolder: string): Promise<void> {
  const baselineBundle = join(baselineFolder, BUNDLE_PATH);
  if (!existsSync(baselineBundle)) {
    throw new Error(`no baseline at ${baselineBundle}: run "save ${baselineFolder}" first`);
  }
  const candidateFolder = join(results, 'paired-candidate');
  await buildBrokerApp(candidateFolder);
  const sandbox = startChild('sandbox/src/cli.ts', {}, (json) => SandboxInfo.parse(json), {
    args: ['--port', '0'],
  });
  const info = await sandbox.started;
  const env = { ...brokerEnvFromSandbox(info), LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' };
  const start = async (name: string, bundle: string): Promise<Loaded> => {
    // Each side's own node flags when given (the same build with two heap settings).
    const flags = benchNodeFlags(`BENCH_${name.toUpperCase()}_NODE_FLAGS`);
    const broker = await startBroker(env, join(results, `paired-${name}.log`), {
      bundle,
      nodeFlags: flags,
      limit: limits.for(`paired-${name}`),
    });
    if (broker.child.pid === undefined) throw new Error(`the ${name} broker has no pid`);
    // A token of its own: neither broker finds the caller already verified by the other.
    const { accessToken } = await signIn(info, 'alice');
    return {
      name,
      url: broker.url,
      pid: broker.child.pid,
      authorization: `Bearer ${accessToken}`,
    };
  };
  const baseline = await start('baseline', baselineBundle);
  const candidate = await start('candidate', join(candidateFolder, BUNDLE_PATH));
  console.log(
    `baseline ${baselineBundle}\ncandidate ${join(candidateFolder, BUNDLE_PATH)}\n` +
      `${rounds} rounds of ${duration} s, ${connections} connections on each broker at once, ` +
      `after a ${warmUp} s warm-up\n`,
  );
  // Both JIT-compiled and their connections open before anything is counted.
  await Promise.all([load(baseline, warmUp), load(candidate, warmUp)]);
  const cpuRatios: number[] = [];
  const mainRatios: number[] = [];
  const throughputRatios: number[] = [];
  const figures: Array<[RoundFigures, RoundFigures]> = [];
  for (let round = 0; round < rounds; round += 1) {
    const [base, cand] = await Promise.all([load(baseline, duration), load(candidate, duration)]);
    if (base.failed > 0 || cand.failed > 0) {
      throw new Error(`round ${round + 1}: ${base.failed} + ${cand.failed} calls failed`);
    }
    figures.push([base, cand]);
    cpuRatios.push(cand.cpuMicrosPerRequest / base.cpuMicrosPerRequest);
    mainRatios.push(cand.mainThreadMicrosPerRequest / base.mainThreadMicrosPerRequest);
    throughputRatios.push(cand.requestsPerSecond / base.requestsPerSecond);
    console.log(
      `round ${String(round + 1).padStart(2)}: ` +
        `baseline ${base.requestsPerSecond} req/s ${base.cpuMicrosPerRequest.toFixed(0)} µs/req ` +
        `(main ${base.mainThreadMicrosPerRequest.toFixed(0)}), ` +
        `candidate ${cand.requestsPerSecond} req/s ${cand.cpuMicrosPerRequest.toFixed(0)} µs/req ` +
        `(main ${cand.mainThreadMicrosPerRequest.toFixed(0)}); ` +
        `CPU ×${cpuRatios.at(-1)!.toFixed(3)}, main thread ×${mainRatios.at(-1)!.toFixed(3)}, ` +
        `throughput ×${throughputRatios.at(-1)!.toFixed(3)}`,
    );
  }
  const medianOf = (pick: (f: RoundFigures) => number, which: 0 | 1) =>
    median(figures.map((pair) => pick(pair[which]))).toFixed(0);
  console.log(
    `\nmedians: baseline ${medianOf((f) => f.cpuMicrosPerRequest, 0)} µs/req ` +
      `(main ${medianOf((f) => f.mainThreadMicrosPerRequest, 0)}), ` +
      `candidate ${medianOf((f) => f.cpuMicrosPerRequest, 1)} µs/req ` +
      `(main ${medianOf((f) => f.mainThreadMicrosPerRequest, 1)})\n` +
      `candidate / baseline: CPU per request ×${median(cpuRatios).toFixed(3)}, ` +
      `main thread ×${median(mainRatios).toFixed(3)}, ` +
      `throughput ×${median(throughputRatios).toFixed(3)} (medians of the per-round ratios)`,
  );
}

async function main(): Promise<void> {
  const [command, folder] = process.argv.slice(2);
  if ((command !== 'save' && command !== 'compare') || !folder) {
    console.error('usage: paired-broker-bench.ts save|compare FOLDER');
    process.exitCode = 64;
    return;
  }
  mkdirSync(results, { recursive: true });
  if (command === 'save') {
    const { bundle } = await buildBrokerApp(resolve(folder));
    console.log(`baseline saved: ${bundle}`);
    return;
  }
  await compare(resolve(folder));
}

main()
  .catch((error: unknown) => {
    console.error('bench failed:', error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await stopChildren();
    limits.removeAll();
  });
