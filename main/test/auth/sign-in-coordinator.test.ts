import { afterEach, describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '@linkboard/testing/free-port';
import {
  findCustomSchemeCallback,
  parseCustomSchemeCallback,
} from '../../src/auth/custom-scheme-callback.js';
import {
  createSignInCoordinator,
  type SignInCoordinator,
} from '../../src/auth/sign-in-coordinator.js';

const coordinators: SignInCoordinator[] = [];
afterEach(() => {
  for (const coordinator of coordinators.splice(0)) coordinator.close();
});

function setUp(redirectMode: 'loopback' | 'custom-scheme', timeoutMs = 60_000) {
  const delivered: string[] = [];
  const coordinator = createSignInCoordinator({
    redirectMode,
    loopbackPort: 0,
    timeoutMs,
    deliverCallback: (url) => delivered.push(url),
  });
  coordinators.push(coordinator);
  return { coordinator, delivered };
}

describe('custom-scheme callback URLs', () => {
  it('accepts only well-formed linkboard://callback URLs', () => {
    expect(parseCustomSchemeCallback('linkboard://callback?code=a&state=b')).toBe(
      'linkboard://callback?code=a&state=b',
    );
    expect(
      parseCustomSchemeCallback('linkboard://callback?error=access_denied&state=b'),
    ).not.toBeNull();
    for (const url of [
      'linkboard://callback',
      'linkboard://callback?code=a',
      'linkboard://callback?state=b',
      'linkboard://callback/?code=a&state=b',
      'linkboard://callback/x?code=a&state=b',
      'linkboard://evil?code=a&state=b',
      'linkboard://callback.evil?code=a&state=b',
      'linkboard://user@callback?code=a&state=b',
      'linkboard://callback:1234?code=a&state=b',
      'linkboard://callback?code=a&state=b#frag',
      'linkboardx://callback?code=a&state=b',
      'https://callback?code=a&state=b',
      `linkboard://callback?code=${'a'.repeat(9000)}&state=b`,
    ]) {
      expect(parseCustomSchemeCallback(url), url).toBeNull();
    }
  });

  it('finds the callback among a second instance’s arguments', () => {
    expect(
      findCustomSchemeCallback([
        '/usr/bin/linkboard',
        '--no-sandbox',
        'linkboard://callback?code=a&state=b',
      ]),
    ).toBe('linkboard://callback?code=a&state=b');
    expect(findCustomSchemeCallback(['/usr/bin/linkboard', 'linkboard://other'])).toBeNull();
  });
});

describe('sign-in coordinator', () => {
  it('custom scheme: forwards one well-formed callback while a sign-in is pending, once', async () => {
    const { coordinator, delivered } = setUp('custom-scheme');
    expect(coordinator.acceptCustomSchemeUrl('linkboard://callback?code=early&state=s')).toBe(
      false,
    );
    expect(await coordinator.prepare()).toEqual({
      redirectUri: 'linkboard://callback',
      mode: 'custom-scheme',
    });
    // Before its /authorize page is opened the sign-in has no state, and takes no callback.
    expect(coordinator.acceptCustomSchemeUrl('linkboard://callback?code=a&state=s')).toBe(false);
    coordinator.pending()?.expectState('s');
    expect(coordinator.acceptCustomSchemeUrl('linkboard://evil?code=a&state=s')).toBe(false);
    // Another program can open linkboard:// URLs too: a forged error or code with another state.
    expect(
      coordinator.acceptCustomSchemeUrl(
        'linkboard://callback?error=server_error&error_description=Re-verify&state=forged',
      ),
    ).toBe(false);
    expect(coordinator.acceptCustomSchemeUrl('linkboard://callback?code=x&state=S')).toBe(false);
    expect(coordinator.acceptCustomSchemeUrl('linkboard://callback?code=a&state=s')).toBe(true);
    expect(coordinator.acceptCustomSchemeUrl('linkboard://callback?code=b&state=s')).toBe(false);
    expect(delivered).toEqual(['linkboard://callback?code=a&state=s']);
  });

  it('custom scheme: stops waiting after the timeout and after a cancel', async () => {
    const timedOut = setUp('custom-scheme', 10);
    await timedOut.coordinator.prepare();
    timedOut.coordinator.pending()?.expectState('s');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(timedOut.coordinator.acceptCustomSchemeUrl('linkboard://callback?code=a&state=s')).toBe(
      false,
    );
    const cancelled = setUp('custom-scheme');
    await cancelled.coordinator.prepare();
    cancelled.coordinator.pending()?.expectState('s');
    cancelled.coordinator.cancel();
    expect(cancelled.coordinator.acceptCustomSchemeUrl('linkboard://callback?code=a&state=s')).toBe(
      false,
    );
    expect([...timedOut.delivered, ...cancelled.delivered]).toEqual([]);
  });

  it('loopback: delivers the callback received over HTTP, and a new prepare replaces the old listener', async () => {
    const { coordinator, delivered } = setUp('loopback');
    const first = await coordinator.prepare();
    const second = await coordinator.prepare();
    coordinator.pending()?.expectState('s');
    await expect(fetch(`${first.redirectUri}?code=a&state=s`)).rejects.toThrow();
    const forged = await fetch(`${second.redirectUri}?error=server_error&state=forged`);
    expect(forged.status).toBe(400);
    const response = await fetch(`${second.redirectUri}?code=b&state=s`);
    expect(response.status).toBe(200);
    await expect.poll(() => delivered).toEqual([`${second.redirectUri}?code=b&state=s`]);
    expect(coordinator.acceptCustomSchemeUrl('linkboard://callback?code=a&state=s')).toBe(false);
  });
});

describe('sign-in coordinator: cancel while the listener starts', () => {
  it('closes the listener and tells the page the sign-in was cancelled', async () => {
    const { coordinator, delivered } = setUp('loopback');
    const preparing = coordinator.prepare();
    coordinator.cancel();
    await expect(preparing).rejects.toMatchObject({ code: 'sign_in_not_pending' });
    const { redirectUri } = await coordinator.prepare();
    coordinator.cancel();
    await expect(fetch(`${redirectUri}?code=c&state=s`)).rejects.toThrow();
    expect(delivered).toEqual([]);
  });
});

describe('sign-in coordinator on a fixed port', () => {
  it('can prepare again at once on the same configured port (the old listener is closed first)', async () => {
    const probe = await freeLoopbackPort();
    const delivered: string[] = [];
    const coordinator = createSignInCoordinator({
      redirectMode: 'loopback',
      loopbackPort: probe,
      deliverCallback: (url) => delivered.push(url),
    });
    coordinators.push(coordinator);
    // Two clicks at once: both succeed, the later one is the listener that counts.
    const [first, second] = await Promise.all([coordinator.prepare(), coordinator.prepare()]);
    expect(second.redirectUri).toBe(first.redirectUri);
    expect(second.redirectUri).toBe(`http://127.0.0.1:${probe}/callback`);
    coordinator.pending()?.expectState('s');
    expect((await fetch(`${second.redirectUri}?code=c&state=s`)).status).toBe(200);
    await expect.poll(() => delivered).toEqual([`${second.redirectUri}?code=c&state=s`]);
  });
});

describe('the language of the browser’s page after the redirect', () => {
  async function languageHeard(
    configured: 'en' | 'de' | null,
    request?: { language?: 'en' | 'de' },
  ) {
    const heard: Array<string | null | undefined> = [];
    const coordinator = createSignInCoordinator({
      redirectMode: 'loopback',
      loopbackPort: 0,
      language: configured,
      deliverCallback: () => undefined,
      listenLoopback: async (options) => {
        heard.push(options.language);
        return {
          redirectUri: 'http://127.0.0.1:1/callback',
          outcome: new Promise(() => undefined),
          cancel: () => undefined,
        };
      },
    });
    coordinators.push(coordinator);
    await coordinator.prepare(request);
    return heard;
  }

  it('is the app’s language the page asked with, unless the configuration forces one', async () => {
    expect(await languageHeard(null, { language: 'de' })).toEqual(['de']);
    expect(await languageHeard('en', { language: 'de' })).toEqual(['en']);
    expect(await languageHeard(null)).toEqual([null]);
  });
});
