import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { brokerEnvFromSandbox } from '@linkboard/dev-stack/broker-env';
import { spawnJsonLineProcess, type JsonLineProcess } from '@linkboard/testing/json-line-process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callBroker, startStack, type Stack } from './support/stack.js';

/**
 * `npm run broker` as a child process stopped by SIGTERM while slow proxied calls are in flight
 * (docs/architecture.md#timeouts-budgets-and-limits, "Shutdown grace").
 */
const brokerDir = fileURLToPath(new URL('..', import.meta.url));
let stack: Stack;
let token: string;
let broker: JsonLineProcess<string> | undefined;

beforeAll(async () => {
  stack = await startStack();
  token = await stack.tokenFor('alice');
}, 60_000);
afterEach(async () => {
  await broker?.stop({ signal: 'SIGKILL' });
  await stack.reset();
});
afterAll(async () => {
  await stack?.close();
});

function startBrokerProcess(graceMs: number): JsonLineProcess<string> {
  return spawnJsonLineProcess({
    command: process.execPath,
    args: ['--import', 'tsx', 'src/cli.ts'],
    cwd: brokerDir,
    env: {
      PATH: process.env.PATH,
      ...brokerEnvFromSandbox(stack.info, { LOG_LEVEL: 'warn' }),
      BROKER_SHUTDOWN_GRACE_MS: String(graceMs),
    },
    parse: (json) => {
      const line = json as { brokerUrl?: unknown } | null;
      if (typeof line?.brokerUrl !== 'string') throw new Error('no brokerUrl');
      return line.brokerUrl;
    },
    stderr: 'pipe',
    timeoutMs: 30_000,
    name: 'npm run broker',
  });
}

/** Resolves with the error code of a new TCP connection to `url` ('connected' if it was accepted). */
function tryConnect(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

/** Slow GitHub calls, sent once each has reached the sandbox (its delay fault has fired). */
async function slowCallsInFlight(brokerUrl: string, count: number, delayMs: number) {
  await stack.fault({ target: 'idp:github', kind: 'delay', delayMs, count });
  // Settled at once, so a call cut by the bound is an outcome to check, not an unhandled error.
  const calls = Array.from({ length: count }, () =>
    callBroker(brokerUrl, '/v1/idp/github/user', token).then(
      (answer) => ({ answer }),
      (error: unknown) => ({ error }),
    ),
  );
  const deadline = Date.now() + 10_000;
  while ((await stack.pendingFaults('idp:github')) > 0) {
    if (Date.now() > deadline) throw new Error('the slow calls never reached the sandbox');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return calls;
}

describe('graceful shutdown on SIGTERM', () => {
  it('refuses new connections, finishes every call in flight, then exits 0 within the bound', async () => {
    const graceMs = 8000;
    broker = startBrokerProcess(graceMs);
    const { value: brokerUrl } = await broker.started;
    const calls = await slowCallsInFlight(brokerUrl, 4, 1500);

    const signalled = performance.now();
    const exited = broker.stop({ graceMs: graceMs + 5000 });
    let exitedAt = 0;
    void exited.then(() => (exitedAt = performance.now()));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await tryConnect(brokerUrl)).toBe('ECONNREFUSED');

    const outcomes = await Promise.all(calls);
    const answeredAt = performance.now();
    for (const outcome of outcomes) {
      expect(outcome).toHaveProperty('answer');
      const { answer } = outcome as { answer: Awaited<ReturnType<typeof callBroker>> };
      expect(answer.status).toBe(200);
      expect((answer.json() as { login?: string }).login).toBeTypeOf('string');
    }
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(exitedAt).toBeGreaterThanOrEqual(answeredAt - 50);
    expect(exitedAt - signalled).toBeLessThan(graceMs);
  }, 30_000);

  it('closes calls still running at the bound and exits 1', async () => {
    const graceMs = 500;
    broker = startBrokerProcess(graceMs);
    const { value: brokerUrl } = await broker.started;
    const calls = await slowCallsInFlight(brokerUrl, 2, 5000);

    const signalled = performance.now();
    const exit = await broker.stop({ graceMs: 10_000 });
    const stoppedMs = performance.now() - signalled;
    expect(exit).toEqual({ code: 1, signal: null });
    expect(stoppedMs).toBeLessThan(4000);
    for (const outcome of await Promise.all(calls)) expect(outcome).toHaveProperty('error');
  }, 30_000);
});
