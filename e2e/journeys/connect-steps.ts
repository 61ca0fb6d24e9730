import assert from 'node:assert/strict';
import type { DesktopHost } from '../host/desktop-host.js';
import type { JourneyScreenshots } from '../support/screenshots.js';
import { STEP_TIMEOUT_MS } from './steps.js';

/**
 * "Connect" (or "Reconnect") on a connection in the app, then the provider's consent page in the
 * system-browser tab the app opened: the tenant's `/connect` page with its ticket alone, where the
 * user clicks Allow or Deny; the browser lands on main's loopback listener. Pictures of the app
 * waiting and of the consent page when `shots` is given.
 */
export async function connectInBrowser(
  host: DesktopHost,
  connection: string,
  decision: 'Allow' | 'Deny',
  shots?: { take: JourneyScreenshots; name: string },
  /** The button that starts it: the home screen's row (the default) or another. */
  button = `connect-${connection}`,
): Promise<void> {
  const { page } = host.window;
  const openedBefore = host.systemBrowser.opened.length;
  await page.getByTestId(button).click();
  const tab = await host.systemBrowser.nextTab(STEP_TIMEOUT_MS);
  const opened = host.systemBrowser.opened.slice(openedBefore);
  assert.equal(opened.length, 1, 'one system-browser tab per connect');
  const url = new URL(opened[0]!);
  assert.equal(url.origin, host.loaded.config.auth0Domain);
  assert.equal(url.pathname, '/connect');
  assert.deepEqual([...url.searchParams.keys()], ['ticket']);

  if (button === `connect-${connection}`) {
    await page.getByTestId(`connect-cancel-${connection}`).waitFor({ timeout: STEP_TIMEOUT_MS });
  }
  const choice = tab.getByRole('button', { name: decision, exact: true });
  await choice.waitFor({ timeout: STEP_TIMEOUT_MS });
  if (shots) {
    await shots.take.take(page, `${shots.name}-waiting`);
    // The sandbox's page stands in for the provider's consent page: not the product's.
    await shots.take.take(tab, `${shots.name}-consent`, { accessibility: false });
  }
  await choice.click();
  await tab.waitForURL((landed) => landed.pathname === '/callback', { timeout: STEP_TIMEOUT_MS });
  assert.equal(new URL(tab.url()).hostname, '127.0.0.1');
  // Main's own page: what happened, and that the tab may be closed.
  assert.equal(
    await tab.getByRole('heading', { level: 1 }).innerText(),
    decision === 'Allow' ? 'Account connected' : 'Sign-in was not allowed',
  );
  assert.match(await tab.locator('body').innerText(), /safe to close this tab/i);
  if (shots) {
    await shots.take.take(tab, `${shots.name}-callback`);
    await tab.emulateMedia({ colorScheme: 'dark' });
    await shots.take.take(tab, `${shots.name}-callback-dark`, { accessibility: false });
  }
  await tab.close();
}

/** The state a connection's row shows (`connected`, `reconnect`, `not_connected`). */
export async function connectionState(
  host: DesktopHost,
  connection: string,
): Promise<string | null> {
  return host.window.page
    .getByTestId(`connect-row-${connection}`)
    .getAttribute('data-state', { timeout: STEP_TIMEOUT_MS });
}
