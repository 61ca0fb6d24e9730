import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { DesktopHost } from '../host/desktop-host.js';
import type { JourneyScreenshots } from '../support/screenshots.js';

/** How long one step may take before the journey fails (the stack is local; this is slack). */
export const STEP_TIMEOUT_MS = 20_000;

export interface SignInTimes {
  /** From the click on "Sign in" to the system browser's sign-in page being shown. */
  toBrowserMs: number;
  /** From the click on "Sign in" to the home screen showing the profile and the linked accounts. */
  toFirstDataMs: number;
}

/**
 * Signs in through the system browser as a seeded user: "Sign in" in the app, the sandbox's page in
 * the system-browser tab the app opened, "Continue as …", the loopback callback page, and back in
 * the app the home screen with the profile and the linked accounts (or the empty state).
 */
export async function signIn(
  host: DesktopHost,
  username: string,
  shots?: JourneyScreenshots,
): Promise<SignInTimes> {
  const { page } = host.window;
  const button = page.getByTestId('sign-in-button');
  await button.waitFor({ timeout: STEP_TIMEOUT_MS });
  if (shots) await shots.take(page, 'sign-in');
  const openedBefore = host.systemBrowser.opened.length;
  const appLanguage = await page.evaluate(() => document.documentElement.lang);

  const started = performance.now();
  await button.click();
  const tab = await host.systemBrowser.nextTab(STEP_TIMEOUT_MS);
  const person = tab.locator(`button[data-username="${username}"]`);
  await person.waitFor({ timeout: STEP_TIMEOUT_MS });
  const toBrowserMs = performance.now() - started;

  const opened = host.systemBrowser.opened.slice(openedBefore);
  assert.equal(opened.length, 1, 'one system-browser tab per sign-in');
  assert.equal(new URL(opened[0]!).origin, host.loaded.config.auth0Domain);
  assert.equal(new URL(opened[0]!).pathname, '/authorize');

  if (shots) {
    await page.getByTestId('signing-in').waitFor({ timeout: STEP_TIMEOUT_MS });
    await shots.take(page, 'signing-in');
    // The sandbox's page stands in for the tenant's (Auth0's) sign-in page: not the product's.
    await shots.take(tab, 'system-browser-sign-in', { accessibility: false });
  }
  await person.click();
  await page
    .locator('[data-testid="account-list"], [data-testid="home-empty"]')
    .first()
    .waitFor({ timeout: STEP_TIMEOUT_MS });
  const toFirstDataMs = performance.now() - started;

  // The browser landed on main's loopback listener, which answered with its own page.
  await tab.waitForURL((url) => url.pathname === '/callback', { timeout: STEP_TIMEOUT_MS });
  assert.equal(new URL(tab.url()).hostname, '127.0.0.1');
  // In the app's language (which a policy may force); this browser asks for English.
  const german = appLanguage === 'de';
  assert.equal(
    await tab.getByRole('heading', { level: 1 }).innerText(),
    german ? 'Sie sind angemeldet' : 'You’re signed in',
  );
  assert.match(
    await tab.locator('body').innerText(),
    german ? /Tab bedenkenlos schließen/ : /safe to close this tab/i,
  );
  if (shots) {
    // Checked with axe in both themes, pictured in light; then pictured in dark too.
    await shots.take(tab, 'system-browser-callback');
    await tab.emulateMedia({ colorScheme: 'dark' });
    await shots.take(tab, 'system-browser-callback-dark', { accessibility: false });
  }
  await tab.close();
  return { toBrowserMs, toFirstDataMs };
}

/** The status an account card shows (`ready`, `reconnect_required`, `token_unavailable`). */
export async function cardStatus(page: Page, connection: string): Promise<string | null> {
  return page
    .getByTestId(`account-card-${connection}`)
    .getByTestId('status-badge')
    .getAttribute('data-status', { timeout: STEP_TIMEOUT_MS });
}

/** Opens a linked account's page from the home screen. */
export async function openAccount(page: Page, connection: string): Promise<void> {
  await page.getByTestId(`open-account-${connection}`).click();
  await page.getByTestId(`account-${connection}`).waitFor({ timeout: STEP_TIMEOUT_MS });
}

/** Selects one of the account's views and waits for it to finish loading (data, empty or error). */
export async function openView(page: Page, viewId: string): Promise<void> {
  await page.getByTestId(`tab-${viewId}`).click();
  const view = page.getByTestId(`view-${viewId}`);
  await view.waitFor({ timeout: STEP_TIMEOUT_MS });
  await view
    .locator(
      '[data-testid="list-table"], [data-testid="object-view"], [data-testid="error-panel"], .empty-state',
    )
    .first()
    .waitFor({ timeout: STEP_TIMEOUT_MS });
}

/** The text of each row's first cell (the row header) of a list view. */
export async function rowHeaders(page: Page, viewId: string): Promise<string[]> {
  return page.getByTestId(`view-${viewId}`).locator('[data-testid="list-row"] th').allInnerTexts();
}

/** Clicks "Load more" until the list says every item is shown; returns how many clicks it took. */
export async function loadEveryPage(page: Page, viewId: string, maxPages = 20): Promise<number> {
  const view = page.getByTestId(`view-${viewId}`);
  const rows = view.getByTestId('list-row');
  for (let clicks = 0; clicks < maxPages; clicks += 1) {
    const loadMore = view.getByTestId('load-more');
    if (!(await loadMore.isVisible())) return clicks;
    const before = await rows.count();
    await loadMore.click();
    await page.waitForFunction(
      ([selector, count]) =>
        document.querySelectorAll(selector as string).length > (count as number),
      [`[data-testid="view-${viewId}"] [data-testid="list-row"]`, before] as const,
      { timeout: STEP_TIMEOUT_MS },
    );
  }
  throw new Error(`"Load more" was still there after ${maxPages} pages`);
}

/** Uncaught exceptions in the app window so far (console errors are reported apart). */
export function uncaught(host: DesktopHost): string[] {
  return host.window.errors.filter((error) => error.startsWith('uncaught:'));
}
