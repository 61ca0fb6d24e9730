import type { Auth0Client } from '@auth0/auth0-spa-js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../src/index.js';
import { chromiumUnavailableReason, launchChromium } from '@linkboard/testing/chromium';
import type { LoopbackServer } from '@linkboard/testing/loopback-server';
import { startSpaTestPage } from './support/spa-test-page.js';

/** What `browser/my-account-entry.js` puts on the page's `window`. */
interface ConnectWindow {
  client: Auth0Client;
  spaReady: Promise<void>;
  redirectResult?: Record<string, unknown>;
  spaError?: string;
  spaErrorCode?: string;
  myAccountCall(method: string, path: string): Promise<{ status: number; body: unknown }>;
}

let sandbox: RunningSandbox;
let browser: Browser;
let testPage: LoopbackServer;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  testPage = await startSpaTestPage(
    { domain: sandbox.info.domain, audience: `${sandbox.info.domain}/me/` },
    'my-account-entry.js',
  );
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await testPage?.close();
  await sandbox?.close();
});

/** Waits for the test page's script to finish handling the page it is on. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => (globalThis as unknown as ConnectWindow).spaReady.then(() => true),
    undefined,
    { timeout: 15_000 },
  );
}

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(`${testPage.origin}/`);
  await settled(page);
  await Promise.all([
    page.waitForURL(`${sandbox.url}/u/login/**`),
    page.evaluate(() => void (globalThis as unknown as ConnectWindow).client.loginWithRedirect()),
  ]);
  const user = sandbox.info.users.find((candidate) => candidate.username === username);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(user?.password ?? '');
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.waitForURL(`${testPage.origin}/callback?**`);
  await settled(page);
  expect(
    await page.evaluate(() => (globalThis as unknown as ConnectWindow).spaError),
  ).toBeUndefined();
}

async function startConnecting(page: Page, connection: string): Promise<void> {
  await Promise.all([
    page.waitForURL(`${sandbox.url}/connect?ticket=**`),
    page.evaluate(
      (name) =>
        void (globalThis as unknown as ConnectWindow).client.connectAccountWithRedirect({
          connection: name,
        }),
      connection,
    ),
  ]);
}

describe.skipIf(chromiumUnavailableReason() !== undefined)(
  `auth0-spa-js connects an account through the sandbox's My Account API (${chromiumUnavailableReason() ?? 'Chromium'})`,
  () => {
    it('connect → consent → complete → list → delete, with the real SDK in Chromium', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      try {
        await signIn(page, 'carol');

        await startConnecting(page, 'github');
        await expect(
          page.getByRole('heading', { name: 'Connect GitHub' }).isVisible(),
        ).resolves.toBe(true);
        await expect(page.getByText('read:user').isVisible()).resolves.toBe(true);
        await page.getByRole('button', { name: 'Allow' }).click();
        await page.waitForURL(`${testPage.origin}/callback?**`);
        await settled(page);

        expect(
          await page.evaluate(() => (globalThis as unknown as ConnectWindow).spaError),
        ).toBeUndefined();
        const result = await page.evaluate(
          () => (globalThis as unknown as ConnectWindow).redirectResult,
        );
        expect(result).toMatchObject({
          connection: 'github',
          access_type: 'offline',
          response_type: 'connect_code',
          id: expect.stringMatching(/^cac_/),
        });

        const listed = await page.evaluate(() =>
          (globalThis as unknown as ConnectWindow).myAccountCall(
            'GET',
            'connected-accounts/accounts',
          ),
        );
        expect(listed).toEqual({
          status: 200,
          body: { accounts: [expect.objectContaining({ id: result?.id })] },
        });

        const deleted = await page.evaluate(
          (id) =>
            (globalThis as unknown as ConnectWindow).myAccountCall(
              'DELETE',
              `connected-accounts/accounts/${id}`,
            ),
          String(result?.id),
        );
        expect(deleted.status).toBe(204);
        const after = await page.evaluate(() =>
          (globalThis as unknown as ConnectWindow).myAccountCall(
            'GET',
            'connected-accounts/accounts',
          ),
        );
        expect(after).toEqual({ status: 200, body: { accounts: [] } });
      } finally {
        await context.close();
      }
    }, 60_000);

    it('ends in a ConnectError when the user denies at the provider, with nothing connected', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      try {
        await signIn(page, 'carol');
        await startConnecting(page, 'windowslive');
        await page.getByRole('button', { name: 'Deny' }).click();
        await page.waitForURL(`${testPage.origin}/callback?**`);
        await settled(page);
        expect(
          await page.evaluate(() => (globalThis as unknown as ConnectWindow).spaErrorCode),
        ).toBe('access_denied');
        const listed = await page.evaluate(() =>
          (globalThis as unknown as ConnectWindow).myAccountCall(
            'GET',
            'connected-accounts/accounts',
          ),
        );
        expect(listed).toEqual({ status: 200, body: { accounts: [] } });
      } finally {
        await context.close();
      }
    }, 60_000);
  },
);
