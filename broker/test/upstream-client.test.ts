import { afterAll, describe, expect, it } from 'vitest';
import {
  UpstreamClient,
  UpstreamTooLargeError,
  UpstreamUnreachableError,
} from '../src/upstream/upstream-client.js';
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
    } finally {
      await budgeted.close();
      await server.close();
    }
  });
});
