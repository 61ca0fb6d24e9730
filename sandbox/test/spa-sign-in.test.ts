import type { Auth0Client, User } from '@auth0/auth0-spa-js';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../src/index.js';
import { launchChromium } from '@linkboard/testing/chromium';
import { postToken } from '@linkboard/testing/headless-sign-in';
import { startLoopbackServer, type LoopbackServer } from '@linkboard/testing/loopback-server';
import { startSpaTestPage } from './support/spa-test-page.js';

/** What `browser/spa-entry.js` puts on the page's `window`. */
interface SpaWindow {
  client: Auth0Client;
  makeClient(redirectUri: string): Auth0Client;
  nativeClient: Auth0Client;
  spaReady: Promise<void>;
  signedIn?: { user: User | undefined; accessToken: string };
  spaError?: string;
  openExternal(url: string): Promise<void>;
}

let sandbox: RunningSandbox;
let browser: Browser;
let testPage: LoopbackServer;
let jwks: ReturnType<typeof createRemoteJWKSet>;
let context: BrowserContext;
let page: Page;
let tokenResponses: Record<string, unknown>[];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', sandbox.url));
  testPage = await startSpaTestPage({
    domain: sandbox.info.domain,
    audience: sandbox.info.brokerAudience,
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await testPage?.close();
  await sandbox?.close();
});

beforeEach(async () => {
  context = await browser.newContext();
  page = await context.newPage();
  tokenResponses = [];
  page.on('response', (response) => {
    if (response.url() === `${sandbox.url}/oauth/token` && response.request().method() === 'POST') {
      void response.json().then(
        (body: Record<string, unknown>) => tokenResponses.push(body),
        () => {},
      );
    }
  });
});
afterEach(async () => {
  await context?.close();
});

async function signInOnForm(target: Page, username: string): Promise<void> {
  const user = sandbox.info.users.find((candidate) => candidate.username === username);
  if (!user) throw new Error(`no seeded user ${username}`);
  await target.locator('input[name=username]').fill(user.username);
  await target.locator('input[name=password]').fill(user.password);
  await target.getByRole('button', { name: 'Continue', exact: true }).click();
}

async function verifyBrokerToken(accessToken: string, sub: string): Promise<void> {
  const { payload } = await jwtVerify(accessToken, jwks, {
    issuer: sandbox.info.issuer,
    audience: sandbox.info.brokerAudience,
    algorithms: ['RS256'],
    typ: 'at+jwt',
  });
  expect(payload.sub).toBe(sub);
  expect(String(payload.scope).split(' ')).toContain('read:linked_accounts');
}

describe('auth0-spa-js in Chromium against the sandbox', () => {
  it('signs in with the redirect flow, refreshes with rotation, and signs out', async () => {
    await page.goto(`${testPage.origin}/`);
    await page.evaluate(() => (globalThis as unknown as SpaWindow).spaReady);
    await Promise.all([
      page.waitForURL(`${sandbox.url}/u/login/**`),
      page.evaluate(() => void (globalThis as unknown as SpaWindow).client.loginWithRedirect()),
    ]);
    await expect(page.getByRole('heading', { name: 'Sign in' }).isVisible()).resolves.toBe(true);

    // A wrong password stays on the page with an error.
    await page.locator('input[name=username]').fill('alice');
    await page.locator('input[name=password]').fill('wrong-password');
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      'Wrong username or password',
    );

    await signInOnForm(page, 'alice');
    await page.waitForURL(`${testPage.origin}/callback?**`);
    await page.waitForFunction(
      () =>
        (globalThis as unknown as SpaWindow).signedIn !== undefined ||
        (globalThis as unknown as SpaWindow).spaError !== undefined,
      undefined,
      { timeout: 15_000 },
    );
    expect(
      await page.evaluate(() => (globalThis as unknown as SpaWindow).spaError),
    ).toBeUndefined();
    const signedIn = await page.evaluate(() => (globalThis as unknown as SpaWindow).signedIn);
    expect(signedIn?.user).toMatchObject({
      sub: 'auth0|alice',
      name: 'Alice Example',
      email: 'alice@example.com',
    });
    await verifyBrokerToken(signedIn?.accessToken ?? '', 'auth0|alice');

    // Refresh through the SDK: a new access token and a rotated refresh token.
    // The response listener reads bodies asynchronously: wait for the code exchange's to arrive.
    await expect.poll(() => tokenResponses.length, { timeout: 10_000 }).toBe(1);
    const firstRefreshToken = tokenResponses[0]?.refresh_token as string;
    expect(firstRefreshToken).toBeTruthy();
    const refreshed = await page.evaluate(() =>
      (globalThis as unknown as SpaWindow).client.getTokenSilently({ cacheMode: 'off' }),
    );
    await verifyBrokerToken(refreshed ?? '', 'auth0|alice');
    await expect.poll(() => tokenResponses.length, { timeout: 10_000 }).toBe(2);
    const rotatedRefreshToken = tokenResponses[1]?.refresh_token as string;
    expect(rotatedRefreshToken).toBeTruthy();
    expect(rotatedRefreshToken).not.toBe(firstRefreshToken);
    const reuse = await postToken(sandbox.info, {
      grant_type: 'refresh_token',
      client_id: 'linkboard-desktop',
      refresh_token: firstRefreshToken,
    });
    expect(reuse.body).toMatchObject({ error: 'invalid_grant' });

    // Sign out: Auth0 ends the session at once and returns to returnTo.
    const returnTo = `${testPage.origin}/signed-out`;
    await Promise.all([
      page.waitForURL(returnTo, { timeout: 15_000 }),
      page.evaluate(
        (url) =>
          void (globalThis as unknown as SpaWindow).client.logout({
            logoutParams: { returnTo: url },
          }),
        returnTo,
      ),
    ]);
    expect(
      await page.evaluate(() => (globalThis as unknown as SpaWindow).client.isAuthenticated()),
    ).toBe(false);
    // The tenant session is gone: signing in again shows the form instead of returning at once.
    await page.evaluate(() => (globalThis as unknown as SpaWindow).spaReady);
    await Promise.all([
      page.waitForURL(`${sandbox.url}/u/login/**`),
      page.evaluate(() => void (globalThis as unknown as SpaWindow).client.loginWithRedirect()),
    ]);
    await expect(page.locator('input[name=password]').isVisible()).resolves.toBe(true);
  });

  it('signs in with openUrl, a second browser as the system browser, and a loopback listener', async () => {
    const callbacks: string[] = [];
    const listener = await startLoopbackServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname === '/callback') callbacks.push(url.toString());
      res.writeHead(200, { 'content-type': 'text/html' }).end('<p>You can close this tab.</p>');
    });
    const opened: string[] = [];
    await page.exposeFunction('openExternal', async (url: string) => {
      opened.push(url);
    });
    const systemBrowser = await browser.newContext();
    try {
      await page.goto(`${testPage.origin}/`);
      await page.evaluate((redirectUri) => {
        (globalThis as unknown as SpaWindow).nativeClient = (
          globalThis as unknown as SpaWindow
        ).makeClient(redirectUri);
        return (globalThis as unknown as SpaWindow).nativeClient.loginWithRedirect({
          openUrl: (url) => (globalThis as unknown as SpaWindow).openExternal(url),
        });
      }, `${listener.origin}/callback`);
      expect(opened).toHaveLength(1);
      const authorizeUrl = new URL(opened[0] ?? '');
      expect(`${authorizeUrl.origin}${authorizeUrl.pathname}`).toBe(`${sandbox.url}/authorize`);
      expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorizeUrl.searchParams.get('audience')).toBe(sandbox.info.brokerAudience);

      const tab = await systemBrowser.newPage();
      await tab.goto(authorizeUrl.toString());
      await tab.getByRole('button', { name: /Continue as Bob Sample/ }).click();
      await tab.waitForURL(`${listener.origin}/callback?**`);
      await expect(tab.locator('body').textContent()).resolves.toContain('You can close this tab');
      expect(callbacks).toHaveLength(1);
      const callbackUrl = `${listener.origin}/callback${new URL(callbacks[0] ?? '').search}`;

      await page.evaluate(
        (url) => (globalThis as unknown as SpaWindow).nativeClient.handleRedirectCallback(url),
        callbackUrl,
      );
      const user = await page.evaluate(() =>
        (globalThis as unknown as SpaWindow).nativeClient.getUser(),
      );
      expect(user).toMatchObject({ sub: 'auth0|bob', nickname: 'bob' });
      const accessToken = await page.evaluate(() =>
        (globalThis as unknown as SpaWindow).nativeClient.getTokenSilently(),
      );
      await verifyBrokerToken(accessToken ?? '', 'auth0|bob');

      // Sign-out through openUrl as well: the system browser ends up on the loopback returnTo.
      await page.evaluate(
        (returnTo) =>
          (globalThis as unknown as SpaWindow).nativeClient.logout({
            logoutParams: { returnTo },
            openUrl: (url) => (globalThis as unknown as SpaWindow).openExternal(url),
          }),
        `${listener.origin}/signed-out`,
      );
      const logoutUrl = new URL(opened[1] ?? '');
      expect(`${logoutUrl.origin}${logoutUrl.pathname}`).toBe(`${sandbox.url}/v2/logout`);
      expect(logoutUrl.searchParams.get('client_id')).toBe('linkboard-desktop');
      await tab.goto(logoutUrl.toString());
      await tab.waitForURL(`${listener.origin}/signed-out`);
      expect(
        await page.evaluate(() =>
          (globalThis as unknown as SpaWindow).nativeClient.isAuthenticated(),
        ),
      ).toBe(false);
    } finally {
      await systemBrowser.close();
      await listener.close();
    }
  });
});
