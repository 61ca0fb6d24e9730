import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { closeNow, listenOnLoopback, startLoopbackServer } from '../src/loopback-server.js';

describe('loopback servers', () => {
  it('listenOnLoopback answers the origin of a server listening on 127.0.0.1', async () => {
    const server = createServer((_request, response) => response.end('here'));
    const origin = await listenOnLoopback(server);
    expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.address()).toMatchObject({ address: '127.0.0.1' });
    expect(await (await fetch(origin)).text()).toBe('here');
    await closeNow(server);
  });

  it('listenOnLoopback rejects when the server cannot listen', async () => {
    const server = createServer();
    await listenOnLoopback(server);
    await expect(listenOnLoopback(server)).rejects.toThrow();
    await closeNow(server);
  });

  it('startLoopbackServer serves until closed, even with a keep-alive connection open', async () => {
    const server = await startLoopbackServer((_request, response) => response.end('ok'));
    expect(await (await fetch(server.origin)).text()).toBe('ok');
    await server.close();
    await expect(fetch(server.origin)).rejects.toThrow();
  });
});
