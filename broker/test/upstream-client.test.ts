import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  UpstreamClient,
  UpstreamTooLargeError,
  UpstreamUnreachableError,
} from '../src/upstream/upstream-client.js';
import { RequestDeadline } from '../src/upstream/deadline.js';
import { startLocalServer } from './support/local-server.js';

describe('upstream client', () => {
  const client = new UpstreamClient({
    timeoutMs: 1000,
    budgetMs: 10_000,
    maxResponseBytes: 1024,
    retries: 2,
    retryBaseDelayMs: 5,
  });
  afterAll(() => client.close());

  it('refuses an answer larger than the bound, declared or streamed', async () => {
    const server = await startLocalServer((req, res) => {
      if (req.url === '/declared') {
        res.writeHead(200, { 'content-length': '4096' });
        res.end('x'.repeat(4096));
      } else {
        res.writeHead(200);
        for (let i = 0; i < 8; i += 1) res.write('y'.repeat(512));
        res.end();
      }
    });
    for (const path of ['/declared', '/streamed']) {
      await expect(
        client.send({ method: 'GET', url: new URL(path, server.url), idempotent: true }),
      ).rejects.toBeInstanceOf(UpstreamTooLargeError);
    }
    await server.close();
  });

  it('does not follow redirects', async () => {
    const server = await startLocalServer((req, res) => {
      res.writeHead(302, { location: '/elsewhere' });
      res.end();
    });
    const response = await client.send({
      method: 'GET',
      url: new URL('/start', server.url),
      idempotent: true,
    });
    expect(response.status).toBe(302);
    expect(server.requests.map((r) => r.url)).toEqual(['/start']);
    await server.close();
  });

  it('retries idempotent calls on 503 a bounded number of times, never the others', async () => {
    const server = await startLocalServer((_req, res) => {
      res.writeHead(503);
      res.end();
    });
    const url = new URL('/x', server.url);
    expect((await client.send({ method: 'GET', url, idempotent: true })).status).toBe(503);
    expect(server.requests).toHaveLength(3);
    expect((await client.send({ method: 'POST', url, idempotent: false })).status).toBe(503);
    expect(server.requests).toHaveLength(4);
    await server.close();
  });

  it('reports a server that does not answer in time as unreachable', async () => {
    const server = await startLocalServer(() => {
      // Never answers.
    });
    await expect(
      client.send({ method: 'GET', url: new URL('/slow', server.url), idempotent: false }),
    ).rejects.toBeInstanceOf(UpstreamUnreachableError);
    await server.close();
  });

  it("ends a call and its retries within its budget, or the caller's deadline if sooner", async () => {
    // Each attempt times out (1 s); three of them and their waits would take over 3 s.
    const server = await startLocalServer(() => {});
    const url = new URL('/slow', server.url);
    const budgeted = new UpstreamClient({
      timeoutMs: 1000,
      budgetMs: 1500,
      maxResponseBytes: 1024,
      retries: 2,
      retryBaseDelayMs: 5,
    });
    try {
      let started = performance.now();
      await expect(budgeted.send({ method: 'GET', url, idempotent: true })).rejects.toEqual(
        new UpstreamUnreachableError('time budget spent'),
      );
      expect(performance.now() - started).toBeLessThan(1500 + 300);
      expect(server.requests.length).toBeLessThanOrEqual(2);

      started = performance.now();
      await expect(
        budgeted.send({ method: 'GET', url, idempotent: true, signal: AbortSignal.timeout(300) }),
      ).rejects.toEqual(new UpstreamUnreachableError('time budget spent'));
      expect(performance.now() - started).toBeLessThan(300 + 300);

      // A request deadline (which says when it ends) later than the budget: the budget still
      // ends the call, as the second attempt is cut rather than timing out on its own.
      const late = { signal: new AbortController().signal, endsAt: performance.now() + 60_000 };
      await expect(
        budgeted.send({ method: 'GET', url, idempotent: true, signal: late }),
      ).rejects.toEqual(new UpstreamUnreachableError('time budget spent'));
      // One that ends sooner ends the call by itself.
      const soon = new RequestDeadline(300);
      await expect(
        budgeted.send({ method: 'GET', url, idempotent: true, signal: soon }),
      ).rejects.toEqual(new UpstreamUnreachableError('time budget spent'));
      expect(soon.signal.aborted).toBe(true);
    } finally {
      await budgeted.close();
      await server.close();
    }
  });

  it('gives a request one deadline whose signal aborts when it passes, and whose end stops it', async () => {
    const passing = new RequestDeadline(30);
    const reason = await new Promise<unknown>((resolve) =>
      passing.signal.addEventListener('abort', () => resolve(passing.signal.reason)),
    );
    expect((reason as DOMException).name).toBe('TimeoutError');

    const answered = new RequestDeadline(30);
    const { signal } = answered;
    answered.end();
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(signal.aborted).toBe(false);
    // The same signal every time it is asked for.
    expect(answered.signal).toBe(signal);
  });
});

describe('upstream client: answers held whole or passed on (`open`)', () => {
  const client = new UpstreamClient({
    timeoutMs: 2000,
    budgetMs: 10_000,
    maxResponseBytes: 64 * 1024,
    retries: 0,
    retryBaseDelayMs: 5,
  });
  afterAll(() => client.close());
  const HOLD = 1024;
  const text = (size: number) => 'abcdefghij'.repeat(size / 10);
  /** All of an opened answer's bytes, and whether it was held whole. */
  async function bytesOf(answer: Awaited<ReturnType<UpstreamClient['open']>>) {
    if (Array.isArray(answer.body))
      return { held: true, text: Buffer.concat(answer.body).toString() };
    let all = '';
    for await (const chunk of answer.body) all += (chunk as Buffer).toString();
    return { held: false, text: all };
  }

  it('holds an answer of at most the bound, declared or not, and streams a larger one whole', async () => {
    const server = await startLocalServer((req, res) => {
      const size = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('size'));
      if (req.url?.startsWith('/declared')) {
        res.writeHead(200, { 'content-length': String(size) });
        res.end(text(size));
        return;
      }
      // Chunked, in pieces of 100 bytes: its length is only known at its end.
      res.writeHead(200);
      for (let sent = 0; sent < size; sent += 100) res.write(text(100));
      res.end();
    });
    const open = (path: string) =>
      client.open({ method: 'GET', url: new URL(path, server.url), idempotent: true }, HOLD);
    const cases: Array<[path: string, size: number, held: boolean]> = [
      ['/declared', 1000, true],
      ['/chunked', 1000, true],
      // Past the bound: a stream that starts with what was held.
      ['/declared', 5000, false],
      ['/chunked', 20000, false],
    ];
    for (const [path, size, held] of cases) {
      expect(await bytesOf(await open(`${path}?size=${size}`)), path).toEqual({
        held,
        text: text(size),
      });
    }
    // Holding nothing: every answer flows.
    const flowing = await client.open({
      method: 'GET',
      url: new URL('/declared?size=10', server.url),
      idempotent: true,
    });
    expect(await bytesOf(flowing)).toEqual({ held: false, text: text(10) });
    await server.close();
  });

  it('decodes a compressed answer as it flows, and refuses one declaring too much', async () => {
    const plain = text(2000);
    const server = await startLocalServer((req, res) => {
      if (req.url === '/gzip') {
        const body = gzipSync(plain);
        res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(body.length) });
        res.end(body);
        return;
      }
      res.writeHead(200, { 'content-length': String(100 * 1024) });
      res.end(Buffer.alloc(100 * 1024));
    });
    const gzip = await client.open(
      { method: 'GET', url: new URL('/gzip', server.url), idempotent: true },
      HOLD * 64,
    );
    expect(gzip.headers['content-encoding']).toBeUndefined();
    expect(await bytesOf(gzip)).toEqual({ held: false, text: plain });
    await expect(
      client.open({ method: 'GET', url: new URL('/big', server.url), idempotent: true }, HOLD),
    ).rejects.toBeInstanceOf(UpstreamTooLargeError);
    await server.close();
  });

  it("ends a held answer at the caller's deadline, and stops reading a stream dropped early", async () => {
    let closed = 0;
    const server = await startLocalServer((req, res) => {
      res.on('close', () => {
        closed += 1;
      });
      res.writeHead(200);
      // Part of an answer, then nothing more: held until the deadline ends the call.
      if (req.url === '/stall') res.write(text(100));
      // A long answer sent as fast as it is read.
      else for (let i = 0; i < 500; i += 1) res.write(text(100));
    });
    const started = performance.now();
    await expect(
      client.open(
        {
          method: 'GET',
          url: new URL('/stall', server.url),
          idempotent: true,
          signal: new RequestDeadline(150),
        },
        HOLD,
      ),
    ).rejects.toThrow(new UpstreamUnreachableError('time budget spent'));
    expect(performance.now() - started).toBeLessThan(1500);
    const long = await client.open(
      { method: 'GET', url: new URL('/long', server.url), idempotent: true },
      HOLD,
    );
    expect(long.body).toBeInstanceOf(Readable);
    (long.body as Readable).destroy();
    // The connection to the server is dropped, not left reading the rest.
    await expect.poll(() => closed, { timeout: 2000 }).toBe(2);
    await server.close();
  });
});
