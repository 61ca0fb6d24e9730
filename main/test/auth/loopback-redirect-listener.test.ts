import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppLanguage } from '@linkboard/contract/desktop';
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
  language: AppLanguage | null = null,
) {
  const wait = await listenForLoopbackCallback({ port: 0, timeoutMs, acceptsState, language });
  waits.push(wait);
  return wait;
}

/** A raw HTTP request, so tests can send any method and Host header. */
function send(
  url: string,
  options: { method?: string; host?: string; acceptLanguage?: string } = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? 'GET',
        headers: {
          host: options.host ?? target.host,
          ...(options.acceptLanguage ? { 'accept-language': options.acceptLanguage } : {}),
        },
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

/** The page's heading. */
function titleOf(body: string): string {
  return /<h1>(.*?)<\/h1>/.exec(body)?.[1] ?? '';
}

/** The page's visible text, tags dropped and entities kept: what a reader sees, roughly. */
function textOf(body: string): string {
  const main = /<main>([\s\S]*)<\/main>/.exec(body)?.[1] ?? '';
  return main
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/&#39;/g, "'")
    .trim();
}

describe('loopback redirect listener', () => {
  it('takes exactly one valid callback, answers a close-this-tab page, then stops listening', async () => {
    const wait = await listen();
    expect(wait.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const callback = `${wait.redirectUri}?code=abc&state=xyz`;
    const answer = await send(callback);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('You’re signed in');
    expect(answer.body).toContain('It is safe to close this tab and return to Linkboard.');
    expect(answer.headers['referrer-policy']).toBe('no-referrer');
    expect(await wait.outcome).toEqual({ kind: 'callback', url: callback });
    await expect(send(`${wait.redirectUri}?code=second&state=xyz`)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });

  it('accepts an error response (the user declined) as the callback, and says what happened', async () => {
    const wait = await listen();
    const callback = `${wait.redirectUri}?error=access_denied&error_description=no&state=xyz`;
    const answer = await send(callback);
    expect(answer.status).toBe(200);
    expect(textOf(answer.body)).toContain(
      'Sign-in was not allowed Access was denied: the sign-in was cancelled, a permission was declined, or your organisation does not allow this account. It is safe to close this tab. Return to Linkboard and try again',
    );
    expect(textOf(answer.body)).toContain('Error code access_denied');
    expect(textOf(answer.body)).toContain('The sign-in service said no');
    expect(await wait.outcome).toEqual({ kind: 'callback', url: callback });
  });

  it.each([
    ['login_required', 'Sign-in did not finish', 'Return to Linkboard and sign in again.'],
    ['consent_required', 'Sign-in did not finish', 'Return to Linkboard and sign in again.'],
    ['server_error', 'The sign-in service had a problem', 'Wait a moment, then return'],
    ['temporarily_unavailable', 'The sign-in service had a problem', 'Wait a moment'],
    ['invalid_scope', 'Sign-in did not finish', 'Return to Linkboard and try again'],
  ])('answers error=%s with what happened and what to do next', async (error, title, next) => {
    const wait = await listen();
    const answer = await send(`${wait.redirectUri}?error=${error}&state=${STATE}`);
    expect(answer.status).toBe(200);
    expect(titleOf(answer.body)).toBe(title);
    expect(textOf(answer.body)).toContain(next);
    expect(textOf(answer.body)).toContain(`Error code ${error}`);
    expect((await wait.outcome).kind).toBe('callback');
  });

  it('answers a Connected Accounts callback (connect_code) with its own page', async () => {
    const wait = await listen();
    const answer = await send(`${wait.redirectUri}?connect_code=abc&state=${STATE}`);
    expect(answer.status).toBe(200);
    expect(titleOf(answer.body)).toBe('Account connected');
    expect(textOf(answer.body)).toContain('It is safe to close this tab');
  });

  it('never reflects error_description or error as markup: both are escaped text', async () => {
    const wait = await listen();
    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&';
    const query = new URLSearchParams({
      error: '<b>bold</b>',
      error_description: hostile,
      state: STATE,
    });
    const answer = await send(`${wait.redirectUri}?${query}`);
    expect(answer.status).toBe(200);
    expect(answer.body).not.toContain('<script');
    expect(answer.body).not.toContain('<img');
    expect(answer.body).not.toContain('<b>');
    expect(answer.body).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&#39;&amp;',
    );
    // An error that is not shaped like an OAuth error code is not shown at all.
    expect(answer.body).not.toContain('bold');
    expect(titleOf(answer.body)).toBe('Sign-in did not finish');
  });

  it('shortens a long error_description', async () => {
    const wait = await listen();
    const answer = await send(
      `${wait.redirectUri}?error=access_denied&error_description=${'a'.repeat(5000)}&state=${STATE}`,
    );
    expect(answer.body).toContain(`${'a'.repeat(300)}…`);
    expect(answer.body).not.toContain('a'.repeat(301));
  });

  it('runs no script and loads nothing: default-src none, its one style allowed by hash', async () => {
    const wait = await listen();
    const answer = await send(`${wait.redirectUri}?code=abc&state=${STATE}`);
    const csp = String(answer.headers['content-security-policy']);
    const directives = csp.split(';').map((directive) => directive.trim());
    expect(directives).toContain("default-src 'none'");
    expect(directives).toContain("base-uri 'none'");
    expect(directives).toContain("form-action 'none'");
    expect(directives).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|script-src/);
    const styles = [...answer.body.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
    expect(styles).toHaveLength(1);
    const hash = createHash('sha256').update(styles[0]!).digest('base64');
    expect(directives).toContain(`style-src 'sha256-${hash}'`);
    expect(answer.body).not.toMatch(/<script|\son\w+=|style="/i);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['cache-control']).toBe('no-store');
  });

  it('speaks the browser’s language when the app speaks it, and the configured one over it', async () => {
    const browserGerman = await listen();
    const german = await send(`${browserGerman.redirectUri}?code=abc&state=${STATE}`, {
      acceptLanguage: 'fr-CH, fr;q=0.9, de-AT;q=0.8, en;q=0.5',
    });
    expect(german.headers['content-language']).toBe('de');
    expect(german.body).toContain('<html lang="de">');
    expect(titleOf(german.body)).toBe('Sie sind angemeldet');
    expect(textOf(german.body)).toContain('Sie können diesen Tab bedenkenlos schließen');

    const forcedEnglish = await listen(60_000, (state) => state === STATE, 'en');
    const english = await send(`${forcedEnglish.redirectUri}?error=access_denied&state=${STATE}`, {
      acceptLanguage: 'de-DE',
    });
    expect(english.headers['content-language']).toBe('en');
    expect(titleOf(english.body)).toBe('Sign-in was not allowed');

    const unknown = await listen();
    const fallback = await send(`${unknown.redirectUri}?code=abc&state=${STATE}`, {
      acceptLanguage: 'fr, ja;q=0.5',
    });
    expect(fallback.headers['content-language']).toBe('en');
  });

  it('refuses incomplete, misplaced and misdirected requests and keeps waiting', async () => {
    const wait = await listen();
    const base = wait.redirectUri;
    const origin = new URL(base).origin;
    const refused: Array<[string, ReturnType<typeof send>, number]> = [
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
    for (const [name, pending, status] of refused) {
      const answer = await pending;
      expect(answer.status, name).toBe(status);
      expect(String(answer.headers['content-security-policy']), name).toMatch(
        /^default-src 'none'/,
      );
    }
    expect(titleOf((await send(`${base}?state=xyz`)).body)).toBe(
      'This sign-in answer is incomplete',
    );
    expect(titleOf((await send(`${origin}/`)).body)).toBe('Nothing here');
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
      expect(titleOf(forged.body)).toBe('This is not the sign-in Linkboard is waiting for');
      expect(textOf(forged.body)).toContain('an earlier one that expired or was cancelled');
      expect(textOf(forged.body)).toContain('Return to Linkboard and sign in from there.');
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
