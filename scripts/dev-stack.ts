/**
 * `npm run dev:stack`: the sandbox tenant and a broker wired to it, for the desktop app and the
 * end-to-end suites. Prints one JSON line on stdout once both accept connections:
 *   {"sandbox": <the sandbox's start line>, "brokerUrl": "http://127.0.0.1:P"}
 * Everything else (both processes' logs) goes to stderr. SIGTERM or SIGINT stops both.
 *
 * Ports: SANDBOX_PORT and BROKER_PORT (default 0, a free port). Broker variables such as
 * LOG_LEVEL or REDIS_URL are passed through.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SandboxInfo } from '@linkboard/contract';
import { brokerEnvFromSandbox } from '@linkboard/broker';

const root = fileURLToPath(new URL('..', import.meta.url));
const START_TIMEOUT_MS = 30_000;
const children: ChildProcess[] = [];
let stopping = false;

function start(script: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`dev-stack: ${script} exited (${signal ?? code}); stopping`);
    void stop(1);
  });
  return child;
}

/** The first stdout line that `accept` takes; other lines go to stderr. */
function firstLine<T>(
  child: ChildProcess,
  name: string,
  accept: (line: string) => T | undefined,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start in time`)),
      START_TIMEOUT_MS,
    );
    let found = false;
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (!found) {
        let value: T | undefined;
        try {
          value = accept(line);
        } catch {
          value = undefined;
        }
        if (value !== undefined) {
          found = true;
          clearTimeout(timer);
          resolve(value);
          return;
        }
      }
      process.stderr.write(`${line}\n`);
    });
    child.once('exit', () => {
      clearTimeout(timer);
      if (!found) reject(new Error(`${name} exited before it was ready`));
    });
  });
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
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
          child.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
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

  const sandboxChild = start(
    'sandbox/src/cli.ts',
    ['--port', process.env.SANDBOX_PORT ?? '0'],
    process.env,
  );
  const sandboxLine = await firstLine(sandboxChild, 'sandbox', (line) => {
    const info = SandboxInfo.parse(JSON.parse(line));
    return { line, info };
  });
  await waitUntilAnswering(`${sandboxLine.info.domain}/.well-known/openid-configuration`);

  const brokerEnv = {
    ...process.env,
    ...brokerEnvFromSandbox(sandboxLine.info),
    PORT: process.env.BROKER_PORT ?? '0',
    HOST: '127.0.0.1',
  };
  const brokerChild = start('broker/src/cli.ts', [], brokerEnv);
  const brokerUrl = await firstLine(brokerChild, 'broker', (line) => {
    const value = JSON.parse(line) as { brokerUrl?: unknown };
    return typeof value.brokerUrl === 'string' ? value.brokerUrl : undefined;
  });
  await waitUntilAnswering(`${brokerUrl}/healthz`);

  process.stdout.write(
    `{"sandbox":${sandboxLine.line},"brokerUrl":${JSON.stringify(brokerUrl)}}\n`,
  );
}

main().catch((error: unknown) => {
  console.error('dev-stack:', error instanceof Error ? error.message : error);
  void stop(1);
});
