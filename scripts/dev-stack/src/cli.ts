/**
 * `npm run dev:stack`: the sandbox tenant and a broker wired to it, for the desktop app and the
 * end-to-end suites. Prints one JSON line on stdout once both accept connections:
 *   {"sandbox": <the sandbox's start line>, "brokerUrl": "http://127.0.0.1:P"}
 * Everything else (both processes' logs) goes to stderr. SIGTERM or SIGINT stops both.
 *
 * Ports: SANDBOX_PORT and BROKER_PORT (default 0, a free port). Broker variables such as
 * LOG_LEVEL or REDIS_URL (with BROKER_CACHE_KEY, which Redis requires) are passed through.
 * TOKEN_SOURCE=token-vault runs the broker with the sandbox's Token Vault client and no
 * Management API settings.
 */
import { fileURLToPath } from 'node:url';
import { BrokerStartLine } from '@linkboard/broker/start-line';
import { SandboxInfo } from '@linkboard/sandbox/start-line';
import {
  spawnJsonLineProcess,
  type JsonLineProcess,
  type StartLine,
} from '@linkboard/testing/json-line-process';
import { brokerEnvFromSandbox } from './broker-env.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const START_TIMEOUT_MS = 30_000;
const children: JsonLineProcess<unknown>[] = [];
let stopping = false;

/** Starts a Node script; resolves with its start line (the first that `parse` takes). */
function start<T>(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  parse: (json: unknown) => T,
): Promise<StartLine<T>> {
  const started = spawnJsonLineProcess({
    command: process.execPath,
    args: ['--import', 'tsx', script, ...args],
    cwd: root,
    env,
    parse,
    stderr: 'inherit',
    timeoutMs: START_TIMEOUT_MS,
    // The broker logs on stdout once it runs: those lines go to stderr, and are not kept.
    onOtherLine: (line) => process.stderr.write(`${line}\n`),
    keepOutput: false,
    name: script,
  });
  children.push(started);
  started.child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`dev-stack: ${script} exited (${signal ?? code}); stopping`);
    void stop(1);
  });
  return started.started;
}

async function waitUntilAnswering(url: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.body?.cancel();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`${url} does not answer`);
}

async function stop(code: number): Promise<never> {
  stopping = true;
  await Promise.all(children.map((child) => child.stop({ graceMs: 5000 })));
  process.exit(code);
}

async function main(): Promise<void> {
  process.once('SIGTERM', () => void stop(0));
  process.once('SIGINT', () => void stop(0));
  // `npm run` may die on SIGTERM without passing it on: stop with the parent, not after it.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void stop(0);
  }, 500).unref();

  const sandbox = await start(
    'sandbox/src/cli.ts',
    ['--port', process.env.SANDBOX_PORT ?? '0'],
    process.env,
    (json) => SandboxInfo.parse(json),
  );
  await waitUntilAnswering(`${sandbox.value.domain}/.well-known/openid-configuration`);

  const tokenSource = process.env.TOKEN_SOURCE ?? 'management';
  const { AUTH0_M2M_CLIENT_ID: _id, AUTH0_M2M_CLIENT_SECRET: _secret, ...passedOn } = process.env;
  const brokerEnv = {
    // In Token Vault mode no Management API credential reaches the broker, even one set outside.
    ...(tokenSource === 'token-vault' ? passedOn : process.env),
    ...brokerEnvFromSandbox(sandbox.value, { TOKEN_SOURCE: tokenSource }),
    PORT: process.env.BROKER_PORT ?? '0',
    HOST: '127.0.0.1',
  };
  const broker = await start('broker/src/cli.ts', [], brokerEnv, (json) =>
    BrokerStartLine.parse(json),
  );
  await waitUntilAnswering(`${broker.value.brokerUrl}/healthz`);

  process.stdout.write(
    `{"sandbox":${sandbox.line},"brokerUrl":${JSON.stringify(broker.value.brokerUrl)}}\n`,
  );
}

main().catch((error: unknown) => {
  console.error('dev-stack:', error instanceof Error ? error.message : error);
  void stop(1);
});
