import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SandboxInfo } from '@linkboard/sandbox/start-line';
import { BROKER_NODE_FLAGS, BUNDLE_PATH, buildBrokerBundle } from '../broker/production-bundle.js';
import { BrokerStartLine } from '../broker/src/start-line.js';
import { clientCredentialsToken } from '@linkboard/testing/client-credentials';
import { spawnJsonLineProcess } from '@linkboard/testing/json-line-process';
import { stopChildProcess } from '@linkboard/testing/stop-child-process';
import type { MemoryLimit } from './memory-limit.js';

export const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * The GitHub calls a bench sends, in turn on each connection: what the desktop app's GitHub views
 * ask for (docs/architecture.md): the profile, a first and a later page of repositories (the
 * broker rewrites their `Link`), a larger page, organisations and starred repositories. The bench
 * user (`alice-example`) has 45 repositories, 3 organisations and 20 starred.
 */
export const GITHUB_CALLS = [
  '/user/repos?per_page=10',
  '/user',
  '/user/repos?per_page=10&page=2',
  '/user/orgs',
  '/user/starred?per_page=10',
  '/user/repos?per_page=30&page=2',
] as const;

/** autocannon's `requests`: the calls above, each under `prefix` (the proxy's path, or none). */
export function callMix(prefix: string): Array<{ method: 'GET'; path: string }> {
  return GITHUB_CALLS.map((call) => ({ method: 'GET', path: `${prefix}${call}` }));
}

/**
 * The `node` flags of the brokers and of the pass-through proxy: the broker's production flags
 * (`BROKER_NODE_FLAGS`), or `BENCH_NODE_FLAGS` (space-separated) to try others. Both sides run
 * with the same ones, as V8's heap settings change the pass-through's cost as well
 * (bench/README.md, point 11), unless `ownVariable` (say `BENCH_PASS_THROUGH_NODE_FLAGS`) names
 * flags of one side's own.
 */
export function benchNodeFlags(ownVariable?: string): string[] {
  const chosen =
    (ownVariable === undefined ? undefined : process.env[ownVariable]) ??
    process.env.BENCH_NODE_FLAGS;
  return chosen === undefined ? [...BROKER_NODE_FLAGS] : chosen.split(' ').filter(Boolean);
}

/** `node args…`, started within `limit` when given. */
function nodeCommand(args: string[], limit?: MemoryLimit): { command: string; args: string[] } {
  return limit ? limit.wrap(process.execPath, args) : { command: process.execPath, args };
}

/** Node processes a bench started; `stopChildren` ends them (SIGTERM) when the bench ends. */
const children: ChildProcess[] = [];

/**
 * Starts `node [nodeArgs] --import tsx script [args]` from the repository root (within `limit`
 * when given) and resolves with its start line as `parse` reads it (a zod schema's `parse` fits);
 * stderr is dropped.
 */
export function startChild<T>(
  script: string,
  env: NodeJS.ProcessEnv,
  parse: (json: unknown) => T,
  options: { args?: string[]; nodeArgs?: string[]; limit?: MemoryLimit } = {},
): { child: ChildProcess; started: Promise<T> } {
  const args = [...(options.nodeArgs ?? []), '--import', 'tsx', script, ...(options.args ?? [])];
  const started = spawnJsonLineProcess({
    ...nodeCommand(args, options.limit),
    cwd: root,
    env: { ...process.env, ...env },
    parse,
    stderr: 'ignore',
    keepOutput: false,
    timeoutMs: 60_000,
    name: script,
  });
  children.push(started.child);
  return { child: started.child, started: started.started.then(({ value }) => value) };
}

/** The pass-through proxy's start line. */
export function urlStartLine(json: unknown): { url: string } {
  const url = (json as { url?: unknown } | null)?.url;
  if (typeof url !== 'string') throw new Error('no "url" in the start line');
  return { url };
}

/**
 * Builds the broker's production bundle (as `npm run build:broker` does), so a bench measures
 * what operators run: plain `node` on one ES module, not the TypeScript sources through tsx.
 */
export async function buildBroker(): Promise<void> {
  await buildBrokerBundle();
}

/** How `startBroker` runs the broker; each is optional. */
export interface BrokerStart {
  /** `node` arguments after the flags (`--cpu-prof`, …). */
  nodeArgs?: string[];
  /** Another build's `broker.mjs` (default: the current sources' bundle). */
  bundle?: string;
  /** The `node` flags (default: `benchNodeFlags()`, the broker's own unless told otherwise). */
  nodeFlags?: string[];
  /** A memory limit to run it within. */
  limit?: MemoryLimit;
}

/**
 * Starts the broker's production bundle (built by `buildBroker`, or another build's) with its
 * stdout (start line, then one JSON log line per call) going straight to a file, as a
 * production log would, rather than through a relay process that would spend CPU on every line
 * on this small machine. Resolves with its URL and pid.
 */
export async function startBroker(
  env: Record<string, string>,
  logFile: string,
  {
    nodeArgs = [],
    bundle = join(root, 'broker', BUNDLE_PATH),
    nodeFlags = benchNodeFlags(),
    limit,
  }: BrokerStart = {},
): Promise<{ url: string; child: ChildProcess }> {
  const out = openSync(logFile, 'w');
  // BENCH_FULL_CACHES: the broker starts with its caches' worth of data held (full-caches.mjs).
  const fullCaches = process.env.BENCH_FULL_CACHES
    ? ['--import', join(root, 'bench/full-caches.mjs')]
    : [];
  const command = nodeCommand([...nodeFlags, ...fullCaches, ...nodeArgs, bundle], limit);
  const child = spawn(command.command, command.args, {
    cwd: root,
    // The load generator stands for many clients but connects from one address, with one user's
    // token: neither the per-address connection bound, nor the per-caller rate limit, nor the
    // bound on one user's provider calls at once applies. With that bound (8 by default) the
    // bench's 32 connections of one user would measure that user's queue — waits the
    // pass-through never has — not the broker's cost per call; each call still takes and gives
    // back its slot (bench/README.md, point 7, has both figures).
    env: {
      ...process.env,
      BROKER_MAX_CONNECTIONS_PER_ADDRESS: '0',
      BROKER_RATE_LIMIT_MAX: '0',
      BROKER_MAX_CALLS_PER_USER: '1024',
      ...env,
    },
    stdio: ['ignore', out, 'ignore'],
  });
  closeSync(out);
  children.push(child);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error('the broker exited');
    // The first JSON line: a V8 tracing flag (`--trace-gc`) may print before it.
    const first =
      readFileSync(logFile, 'utf8')
        .split('\n')
        .find((line) => line.startsWith('{')) ?? '';
    try {
      return { url: BrokerStartLine.parse(JSON.parse(first)).brokerUrl, child };
    } catch {
      // Not written whole yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the broker did not start');
}

/** SIGTERM to every child the bench started (SIGKILL after 10 s); resolves once all have exited. */
export async function stopChildren(): Promise<void> {
  await Promise.all(children.map((child) => stopChildProcess(child)));
}

/** A user's GitHub token, read from the Management API the way the broker reads it. */
export async function githubTokenOf(info: SandboxInfo, userId: string): Promise<string> {
  const access_token = await clientCredentialsToken({
    domain: info.domain,
    ...info.m2m,
    audience: info.managementAudience,
  });
  const user = (await (
    await fetch(`${info.managementAudience}users/${encodeURIComponent(userId)}`, {
      headers: { authorization: `Bearer ${access_token}` },
    })
  ).json()) as { identities: Array<{ connection: string; access_token?: string }> };
  const token = user.identities.find((identity) => identity.connection === 'github')?.access_token;
  if (!token) throw new Error('no GitHub token for the bench user');
  return token;
}
