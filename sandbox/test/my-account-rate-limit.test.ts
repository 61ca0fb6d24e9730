import { signInHeadless } from '@linkboard/testing/headless-sign-in';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../src/index.js';

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, myAccountRateLimit: { limit: 2, windowSeconds: 60 } });
});
afterAll(() => sandbox?.close());

function listAccounts(token: string) {
  return fetch(`${sandbox.info.domain}/me/v1/connected-accounts/accounts`, {
    headers: { authorization: `Bearer ${token}`, origin: 'app://linkboard' },
  });
}

describe('My Account API rate limit', () => {
  it('says the window’s state on every answer and refuses past it with 429 and Retry-After, like the Management API', async () => {
    const { access_token: token } = await signInHeadless(sandbox.info, 'carol', {
      audience: `${sandbox.info.domain}/me/`,
      scope: 'openid read:me:connected_accounts',
    });
    const first = await listAccounts(token);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
    expect(Number(first.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    expect(first.headers.get('access-control-expose-headers')).toMatch(/x-ratelimit-remaining/);

    const second = await listAccounts(token);
    expect(second.status).toBe(200);
    expect(second.headers.get('x-ratelimit-remaining')).toBe('0');

    const refused = await listAccounts(token);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({ status: 429, title: 'Too Many Requests' });

    // The control endpoint's reset opens a new window.
    await fetch(`${sandbox.info.domain}/_sandbox/reset`, { method: 'POST' });
    expect((await listAccounts(token)).status).toBe(200);
  });
});
