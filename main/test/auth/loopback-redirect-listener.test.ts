import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  listenForLoopbackCallback,
  type LoopbackWait,
} from '../../src/auth/loopback-redirect-listener.js';

const waits: LoopbackWait[] = [];
afterEach(() => {
  for (const wait of waits.splice(0)) wait.cancel();
});

/** The state of the sign-in under test, as the app's `/authorize` URL carried it. */
const STATE = 'xyz';

async function listen(
  timeoutMs = 60_000,
  acceptsState: (state: string) => boolean = (state) => state === STATE,
) {
  const wait = await listenForLoopbackCallback({ port: 0, timeoutMs, acceptsState });
  waits.push(wait);
  return wait;
}

/** A raw HTTP request, so tests can send any method and Host header. */
function send(
  url: string,
  options: { method?: string; host?: string } = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? 'GET',
        headers: { host: options.host ?? target.host },
        agent: false,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body, headers: response.headers }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('loopback redirect listener', () => {
  it('takes exactly one valid callback, answers a close-this-tab page, then stops listening', async () => {
    const wait = await listen();
    expect(wait.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const callback = `${wait.redirectUri}?code=abc&state=xyz`;
    const answer = await send(callback);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('You can close this tab');
    expect(answer.headers['referrer-policy']).toBe('no-referrer');
    expect(await wait.outcome).toEqual({ kind: 'callback', url: callback });
    await expect(send(`${wait.redirectUri}?code=second&state=xyz`)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });

  it('accepts an error response (the user declined) as the callback', async () => {
    const wait = await listen();
    const callback = `${wait.redirectUri}?error=access_denied&error_description=no&state=xyz`;
    expect((await send(callback)).status).toBe(200);
    expect(await wait.outcome).toEqual({ kind: 'callback', url: callback });
  });

  it('refuses incomplete, misplaced and misdirected requests and keeps waiting', async () => {
    const wait = await listen();
    const base = wait.redirectUri;
    const origin = new URL(base).origin;
    const refused: Array<[string, Promise<{ status: number }>, number]> = [
      ['no state', send(`${base}?code=abc`), 400],
      ['empty state', send(`${base}?code=abc&state=`), 400],
      ['no code or error', send(`${base}?state=xyz`), 400],
      ['code and error', send(`${base}?code=a&error=b&state=xyz`), 400],
      ['two states', send(`${base}?code=a&state=x&state=y`), 400],
      ['two codes', send(`${base}?code=a&code=b&state=x`), 400],
      ['another path', send(`${origin}/callbackx?code=a&state=x`), 404],
      ['the root', send(`${origin}/?code=a&state=x`), 404],
      ['a POST', send(`${base}?code=a&state=x`, { method: 'POST' }), 405],
      [
        'a rebound host name',
        send(`${base}?code=a&state=x`, { host: `evil.example:${new URL(base).port}` }),
        400,
      ],
    ];
    for (const [name, pending, status] of refused)
      expect((await pending).status, name).toBe(status);
    const callback = `${base}?code=good&state=xyz`;
    expect((await send(callback)).status).toBe(200);
    expect(await wait.outcome).toEqual({ kind: 'callback', url: callback });
  });

  it.each([
    [
      'a forged error with instructions',
      '?error=server_error&error_description=Re-verify%20at%20https%3A%2F%2Fevil.example&state=forged',
    ],
    ['a forged code', '?code=forged&state=forged'],
    ['a state that only starts like ours', '?code=forged&state=xyzz'],
    ['a state in another case', '?code=forged&state=XYZ'],
  ])(
    'refuses %s (another state) with 400 and keeps waiting for the real one',
    async (_name, query) => {
      const wait = await listen();
      const forged = await send(`${wait.redirectUri}${query}`);
      expect(forged.status).toBe(400);
      expect(forged.body).not.toContain('evil.example');
      const callback = `${wait.redirectUri}?code=good&state=${STATE}`;
      expect((await send(callback)).status).toBe(200);
      expect(await wait.outcome).toEqual({ kind: 'callback', url: callback });
    },
  );

  it('refuses every callback while the sign-in has no state yet (its page not opened)', async () => {
    const wait = await listen(60_000, () => false);
    expect((await send(`${wait.redirectUri}?code=early&state=${STATE}`)).status).toBe(400);
    wait.cancel();
    expect(await wait.outcome).toEqual({ kind: 'cancelled' });
  });

  it('times out, closing the port', async () => {
    const wait = await listen(20);
    expect(await wait.outcome).toEqual({ kind: 'timeout' });
    await expect(send(`${wait.redirectUri}?code=a&state=x`)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });

  it('can be cancelled, closing the port', async () => {
    const wait = await listen();
    wait.cancel();
    expect(await wait.outcome).toEqual({ kind: 'cancelled' });
    await expect(send(`${wait.redirectUri}?code=a&state=x`)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });

  it('says plainly when the configured port is taken', async () => {
    const first = await listen();
    const port = Number(new URL(first.redirectUri).port);
    await expect(
      listenForLoopbackCallback({ port, acceptsState: () => true }),
    ).rejects.toMatchObject({
      code: 'redirect_port_unavailable',
      message: expect.stringContaining(`Port ${port}`),
    });
  });
});
