import { describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '../src/free-port.js';
import { startLoopbackServer } from '../src/loopback-server.js';
import { startRoundRobinBalancer } from '../src/round-robin-balancer.js';

describe('round-robin balancer', () => {
  it('sends requests to each backend in turn, passing status, headers and body', async () => {
    const backends = await Promise.all(
      ['one', 'two'].map((name) =>
        startLoopbackServer((request, response) => {
          response.writeHead(201, { 'x-backend': name, 'content-type': 'text/plain' });
          response.end(`${name} ${request.method} ${request.url}`);
        }),
      ),
    );
    const balancer = await startRoundRobinBalancer(backends.map((backend) => backend.origin));
    const answers = [];
    for (let index = 0; index < 4; index += 1) {
      const response = await fetch(`${balancer.url}/path?q=${index}`);
      answers.push(
        `${response.status} ${response.headers.get('x-backend')} ${await response.text()}`,
      );
    }
    expect(answers).toEqual([
      '201 one one GET /path?q=0',
      '201 two two GET /path?q=1',
      '201 one one GET /path?q=2',
      '201 two two GET /path?q=3',
    ]);
    await balancer.close();
    await Promise.all(backends.map((backend) => backend.close()));
  });

  it('sends a GET to the next backend when one refuses the connection, and answers 502 for a POST', async () => {
    const live = await startLoopbackServer((_request, response) => response.end('live'));
    const dead = `http://127.0.0.1:${await freeLoopbackPort()}`;
    const balancer = await startRoundRobinBalancer([dead, live.origin]);
    expect(await (await fetch(balancer.url)).text()).toBe('live');
    expect(balancer.retried()).toBe(1);
    // Turns go on from where they were: live, then dead again, where a POST is not sent twice.
    expect((await fetch(balancer.url, { method: 'POST', body: 'x' })).status).toBe(200);
    expect((await fetch(balancer.url, { method: 'POST', body: 'x' })).status).toBe(502);
    expect(balancer.retried()).toBe(1);
    await balancer.close();
    await live.close();
  });
});
