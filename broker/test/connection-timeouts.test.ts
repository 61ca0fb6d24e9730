import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRaw, trickle } from './support/raw-connection.js';
import { startStack, type BrokerHandle, type Stack } from './support/stack.js';

/**
 * Each of the broker's connection deadlines, against a real socket written by hand. The limits are
 * short so the test is quick; the slack covers Node's check interval (a quarter of the shortest
 * deadline) and a loaded machine.
 */
const LIMITS = {
  headersTimeoutMs: 600,
  requestTimeoutMs: 1200,
  keepAliveTimeoutMs: 400,
  connectionTimeoutMs: 3000,
};
const SLACK_MS = 1000;

describe('connection deadlines', () => {
  let stack: Stack;
  let broker: BrokerHandle;
  let token: string;

  beforeAll(async () => {
    stack = await startStack();
    token = await stack.tokenFor('alice');
    broker = await stack.startBroker({ limits: LIMITS });
  });
  afterAll(() => stack.close());

  it('closes a connection that sends nothing', async () => {
    const connection = await openRaw(broker.url);
    const lived = await connection.closed;
    expect(lived).toBeLessThan(LIMITS.headersTimeoutMs + SLACK_MS);
  });

  it('closes a connection whose headers trickle in', async () => {
    const connection = await openRaw(broker.url);
    void trickle(
      connection,
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ${'a'.repeat(500)}\r\n\r\n`,
      1,
      50,
    );
    const lived = await connection.closed;
    expect(lived).toBeLessThan(LIMITS.headersTimeoutMs + SLACK_MS);
    expect(connection.received()).not.toMatch(/^HTTP\/1\.1 200/);
  });

  it('closes a connection whose body trickles in, with a 408', async () => {
    const connection = await openRaw(broker.url);
    const body = JSON.stringify({ padding: 'x'.repeat(4000) });
    connection.socket.write(
      `POST /v1/idp/github/user/repos HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    void trickle(connection, body, 10, 50);
    const lived = await connection.closed;
    expect(lived).toBeLessThan(LIMITS.requestTimeoutMs + SLACK_MS);
    expect(connection.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes an idle keep-alive connection after its last answer', async () => {
    const connection = await openRaw(broker.url);
    connection.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    const answeredAt = await new Promise<number>((resolve) => {
      connection.socket.once('data', () => resolve(performance.now()));
    });
    await connection.closed;
    const idle = performance.now() - answeredAt;
    expect(connection.received()).toMatch(/^HTTP\/1\.1 200 /);
    // Node (24.6+) holds the socket `keepAliveTimeoutBuffer` (1 s) past the advertised timeout.
    expect(idle).toBeGreaterThan(LIMITS.keepAliveTimeoutMs);
    expect(idle).toBeLessThan(LIMITS.keepAliveTimeoutMs + 1000 + SLACK_MS);
  });

  it('answers a refused request at once and closes, instead of reading the rest of its body', async () => {
    const connection = await openRaw(broker.url);
    const declared = 1024 * 1024;
    connection.socket.write(
      'POST /v1/idp/github/user/repos HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer not-a-token\r\n' +
        `Content-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n{"a":"`,
    );
    void trickle(connection, 'x'.repeat(declared), 1024, 20);
    const lived = await connection.closed;
    expect(connection.received()).toMatch(/^HTTP\/1\.1 401 /);
    expect(connection.received()).toMatch(/connection: close/i);
    // Well before the request deadline: closed right after the answer.
    expect(lived).toBeLessThan(LIMITS.requestTimeoutMs);
  });
});
