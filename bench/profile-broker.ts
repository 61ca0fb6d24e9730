/**
 * `npm run bench:broker:profile`: the broker's CPU profile under the benchmark's load. Starts the
 * sandbox and a broker under `node --cpu-prof` (`PROFILE_TARGET=token-vault` for the broker in
 * token-vault mode, or the pass-through proxy with PROFILE_TARGET=pass-through, to compare), sends the bench's GitHub calls (`GITHUB_CALLS`)
 * with autocannon for PROFILE_SECONDS (default 8) after a 2 s warm-up, stops the process so it
 * writes its profile to bench/results/profiles/, and prints the top self-time frames and the
 * self time per package. PROFILE_KIND=allocations profiles the bytes allocated instead of the
 * time (`allocation-sampler.mjs`), in the same three views, per request; PROFILE_KIND=survivors
 * only the bytes that outlived a young-generation collection (promoted to the old generation, or
 * still alive at the end): what makes each scavenge cost more.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { brokerEnvFromSandbox } from '@linkboard/dev-stack/broker-env';
import { SandboxInfo } from '@linkboard/sandbox/start-line';
import { stopChildProcess } from '@linkboard/testing/stop-child-process';
import { connectAccount } from '../broker/test/support/connected-accounts.js';
import { signIn } from '../broker/test/support/sign-in.js';
import {
  buildBroker,
  callMix,
  githubTokenOf,
  root,
  benchNodeFlags,
  startBroker,
  startChild,
  stopChildren,
  urlStartLine,
} from './children.js';
import { printSummary, summariseProfile, type Profile } from './profile-summary.js';

const seconds = Number(process.env.PROFILE_SECONDS ?? 8);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const TARGETS = ['broker', 'token-vault', 'pass-through'] as const;
const target = TARGETS.find((name) => name === process.env.PROFILE_TARGET) ?? ('broker' as const);
const KINDS = ['time', 'allocations', 'survivors'] as const;
const kind = KINDS.find((name) => name === process.env.PROFILE_KIND) ?? ('time' as const);
const allocations = kind !== 'time';
/** What the allocation sampler needs: where to write, and whether to count survivors only. */
const samplerEnv = (file: string) => ({
  ALLOCATION_PROFILE_FILE: file,
  ...(kind === 'survivors' ? { ALLOCATION_PROFILE_SURVIVORS: '1' } : {}),
});

async function main() {
  await buildBroker();
  const sandbox = startChild('sandbox/src/cli.ts', {}, (json) => SandboxInfo.parse(json), {
    args: ['--port', '0'],
  });
  const info = await sandbox.started;
  const dir = join(root, 'bench/results/profiles', `${target}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  const allocationFile = join(dir, `${target}.heapprofile`);
  const nodeArgs = allocations
    ? ['--import', join(root, 'bench/allocation-sampler.mjs')]
    : ['--cpu-prof', `--cpu-prof-dir=${dir}`];

  let url: string;
  let authorization: string;
  let profiled: { child: ChildProcess };
  if (target !== 'pass-through') {
    const logLevel = process.env.LOG_LEVEL ?? 'info';
    const env =
      target === 'token-vault'
        ? brokerEnvFromSandbox(info, { TOKEN_SOURCE: 'token-vault', LOG_LEVEL: logLevel })
        : { ...brokerEnvFromSandbox(info), LOG_LEVEL: logLevel };
    const broker = await startBroker(
      { ...env, ...samplerEnv(allocationFile) },
      join(dir, 'broker.log'),
      { nodeArgs },
    );
    // In token-vault mode alice's GitHub is a connected account, as in bench:broker.
    if (target === 'token-vault') await connectAccount(info, 'alice', 'github');
    url = broker.url;
    profiled = broker;
    authorization = `Bearer ${(await signIn(info, 'alice')).accessToken}`;
  } else {
    const idpToken = await githubTokenOf(info, 'auth0|alice');
    const proxy = startChild(
      'bench/pass-through-proxy.ts',
      {
        TARGET_BASE_URL: info.idpBaseUrls.github!,
        IDP_TOKEN: idpToken,
        ...samplerEnv(allocationFile),
      },
      urlStartLine,
      { nodeArgs: [...benchNodeFlags(), ...nodeArgs] },
    );
    url = (await proxy.started).url;
    profiled = proxy;
    authorization = `Bearer ${idpToken}`;
  }

  const load = (duration: number) =>
    autocannon({
      url,
      requests: callMix('/v1/idp/github'),
      connections,
      duration,
      headers: { authorization },
    });
  const warmUp = await load(2);
  const result = await load(seconds);
  console.log(
    `${target}: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, ` +
      `p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}`,
  );
  await stopChildProcess(profiled.child);
  // The main thread's profile (thread 0); tsx's loader thread writes one too.
  const cpuFile = readdirSync(dir).find((name) => /\.0\.\d+\.cpuprofile$/.test(name));
  const file = allocations ? allocationFile : cpuFile && join(dir, cpuFile);
  if (!file || !existsSync(file)) throw new Error(`no profile written in ${dir}`);
  console.log(`${file}\n`);
  printSummary(
    summariseProfile(
      JSON.parse(readFileSync(file, 'utf8')) as Profile,
      Number(process.env.TOP ?? 30),
    ),
    warmUp.requests.total + result.requests.total,
  );
}

main()
  .catch((error: unknown) => {
    console.error('profile failed:', error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => stopChildren());
