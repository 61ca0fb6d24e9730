import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brokerEnvFromSandbox } from '@linkboard/dev-stack/broker-env';
import { spawnJsonLineProcess, type JsonLineProcess } from '@linkboard/testing/json-line-process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRaw, type RawConnection } from './support/raw-connection.js';
import { callBroker, startStack, type Stack } from './support/stack.js';

const brokerDir = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The child's descriptor limit: low, so one client could use it up without the bounds. */
const DESCRIPTOR_LIMIT = 256;
/** More sockets than the process has descriptors. */
const HOSTILE_SOCKETS = 400;
/** Loopback addresses are a whole /8 on Linux: the hostile client gets one of its own. */
const HOSTILE_ADDRESS = '127.0.0.2';

describe(`the broker under ulimit -n ${DESCRIPTOR_LIMIT}, one client holding ${HOSTILE_SOCKETS} sockets`, () => {
  let stack: Stack;
  let broker: JsonLineProcess<string>;
  let brokerUrl: string;
  const hostile: RawConnection[] = [];

  beforeAll(async () => {
    stack = await startStack();
    broker = spawnJsonLineProcess({
      command: 'sh',
      args: [
        '-c',
        `ulimit -n ${DESCRIPTOR_LIMIT} && exec "$0" --import tsx src/cli.ts`,
        process.execPath,
      ],
      cwd: brokerDir,
      env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', ...brokerEnvFromSandbox(stack.info) },
      parse: (json) => {
        const line = json as { brokerUrl?: unknown } | null;
        if (typeof line?.brokerUrl !== 'string') throw new Error('no brokerUrl');
        return line.brokerUrl;
      },
      timeoutMs: 20_000,
      name: 'broker (low descriptor limit)',
    });
    brokerUrl = (await broker.started).value;
  });
  afterAll(async () => {
    for (const connection of hostile) connection.socket.destroy();
    await broker?.stop();
    await stack?.close();
  });

  it('keeps serving other clients', async () => {
    const token = await stack.tokenFor('alice');
    // The hostile client opens its sockets and starts a request on each that it never finishes.
    for (let i = 0; i < HOSTILE_SOCKETS; i += 1) {
      const connection = await openRaw(brokerUrl, HOSTILE_ADDRESS).catch(() => undefined);
      if (!connection) continue;
      connection.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
      hostile.push(connection);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    const held = hostile.filter((connection) => !connection.isClosed()).length;
    const descriptors = readdirSync(`/proc/${broker.child.pid}/fd`).length;

    // Everyone else: sequential and concurrent calls that need the tenant and the provider too.
    // A connection the broker drops counts as status 0.
    const statusOf = (path: string) =>
      callBroker(brokerUrl, path, token).then(
        (response) => response.status,
        () => 0,
      );
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) statuses.push(await statusOf('/v1/me/identities'));
    statuses.push(
      ...(await Promise.all(
        Array.from({ length: 30 }, (_, i) => statusOf(i % 2 ? '/v1/idp/github/user' : '/healthz')),
      )),
    );

    // The figures, for the record (docs/architecture.md#timeouts-budgets-and-limits).
    console.warn(
      `[descriptors] hostile sockets opened ${hostile.length}, still held ${held}; ` +
        `broker descriptors ${descriptors}/${DESCRIPTOR_LIMIT}; ` +
        `other clients: ${statuses.filter((status) => status === 200).length}/${statuses.length} answered 200`,
    );
    expect(statuses).toEqual(Array(40).fill(200));
    expect(held).toBeLessThanOrEqual(64);
    expect(descriptors).toBeLessThan(DESCRIPTOR_LIMIT / 2);
  });
});
