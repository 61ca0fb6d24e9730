import { Agent, get, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import Fastify from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { gracefulClose } from '../src/http/graceful-close.js';
import { startStack, type Stack } from './support/stack.js';

/**
 * The stop's keep-alive handling, in process: answers finished after a stop began close their
 * connections (`Connection: close`, or closed once idle when the answer was already under way),
 * so the stop ends when the last answer does, not when idle connections time out.
 * (graceful-shutdown.test.ts stops the broker's process with SIGTERM.)
 */
let stack: Stack;
let token: string;
const agents: Agent[] = [];

beforeAll(async () => {
  stack = await startStack();
  token = await stack.tokenFor('alice');
}, 60_000);
afterEach(async () => {
  for (const agent of agents.splice(0)) agent.destroy();
  await stack.reset();
});
afterAll(async () => {
  await stack?.close();
});

/** A keep-alive GET; resolves with the answer read whole and the socket it came on. */
function keepAliveGet(
  agent: Agent,
  url: string,
  headers: Record<string, string> = {},
): Promise<{ response: IncomingMessage; body: string; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ response, body, socket: request.socket! }));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

/** Resolves with the time the socket closed (at once if it already has). */
function closedAt(socket: Socket): Promise<number> {
  if (socket.destroyed) return Promise.resolve(performance.now());
  return new Promise((resolve) => socket.once('close', () => resolve(performance.now())));
}

describe('gracefulClose', () => {
  it('answers calls in flight with Connection: close, and ends with the last of them', async () => {
    // Idle connections would stay open for a minute: a stop that waited for them would show.
    const broker = await stack.startBroker({ limits: { keepAliveTimeoutMs: 60_000 } });
    const agent = new Agent({ keepAlive: true });
    agents.push(agent);
    await stack.fault({ target: 'idp:github', kind: 'delay', delayMs: 700, count: 3 });
    const calls = Array.from({ length: 3 }, () =>
      keepAliveGet(agent, `${broker.url}/v1/idp/github/user`, {
        authorization: `Bearer ${token}`,
      }),
    );
    while ((await stack.pendingFaults('idp:github')) > 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const stoppedAt = performance.now();
    const stopped = gracefulClose(broker.app, 10_000)().then(() => performance.now());
    const answers = await Promise.all(calls);
    for (const { response, body } of answers) {
      expect(response.statusCode).toBe(200);
      expect((JSON.parse(body) as { login?: string }).login).toBe('alice-example');
      expect(response.headers.connection).toBe('close');
    }
    // Each connection closes after its answer, and the stop ends with them.
    await Promise.all(answers.map(({ socket }) => closedAt(socket)));
    expect((await stopped) - stoppedAt).toBeLessThan(5000);
    expect(broker.app.server.listening).toBe(false);
  }, 30_000);

  it('closes a connection whose answer was already under way once that answer ends', async () => {
    const app = Fastify({ keepAliveTimeout: 60_000 });
    app.decorate('stopping', false);
    // An answer whose headers (keep-alive) left before the stop, its body 400 ms later.
    app.get('/slow', (_request, reply) => {
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/plain', 'content-length': '4' });
      reply.raw.write('sl');
      setTimeout(() => reply.raw.end('ow'), 400);
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const agent = new Agent({ keepAlive: true });
    agents.push(agent);

    const call = keepAliveGet(agent, `${url}/slow`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stoppedAt = performance.now();
    const stopped = gracefulClose(app, 10_000)().then(() => performance.now());
    const { response, body, socket } = await call;
    expect(body).toBe('slow');
    expect(response.headers.connection).toBe('keep-alive');
    const closed = await closedAt(socket);
    expect(closed - stoppedAt).toBeLessThan(2000);
    expect((await stopped) - stoppedAt).toBeLessThan(2000);
  }, 30_000);

  it('rejects when the close fails, leaving no timer of its own running', async () => {
    const app = Fastify();
    app.decorate('stopping', false);
    app.addHook('onClose', async () => {
      throw new Error('the store would not close');
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout');
    const before = timers().length;

    await expect(gracefulClose(app, 60_000)()).rejects.toThrow('the store would not close');
    // Neither the 60 s bound nor the idle sweep is left to keep the process alive.
    expect(timers().length).toBeLessThanOrEqual(before);
  });
});
