import assert from 'node:assert/strict';
import type { SandboxInfo } from '@linkboard/sandbox/start-line';
import type { DesktopHost } from '../host/desktop-host.js';
import { idpAccessToken } from '../support/desktop-secrets.js';
import { githubRepositoryNames } from '../support/sandbox-probe.js';
import type { JourneyScreenshots } from '../support/screenshots.js';
import {
  cardStatus,
  loadEveryPage,
  openAccount,
  openView,
  rowHeaders,
  signIn,
  STEP_TIMEOUT_MS,
  uncaught,
  type SignInTimes,
} from './steps.js';

export interface FirstSignInResult extends SignInTimes {
  repositories: number;
  loadMoreClicks: number;
  upcomingEvents: number;
}

/**
 * Journey 1, shared by the suite and `npm run demo`: first run → "Sign in" → the sandbox's page in
 * the system browser → signed in as alice (GitHub and Google linked) → home with her profile and
 * both accounts → GitHub repositories, "Load more" until every seeded repository is listed once →
 * Google's upcoming events.
 */
export async function firstSignIn(
  host: DesktopHost,
  info: SandboxInfo,
  shots: JourneyScreenshots,
): Promise<FirstSignInResult> {
  const { page } = host.window;
  const times = await signIn(host, 'alice', shots);

  await page.getByTestId('home').waitFor({ timeout: STEP_TIMEOUT_MS });
  assert.equal(await page.getByTestId('profile-name').innerText(), 'Alice Example');
  assert.equal(await cardStatus(page, 'github'), 'ready');
  assert.equal(await cardStatus(page, 'google-oauth2'), 'ready');
  await shots.take(page, 'home');

  await openAccount(page, 'github');
  await openView(page, 'repositories');
  await shots.take(page, 'github-repositories-first-page');
  const loadMoreClicks = await loadEveryPage(page, 'repositories');
  assert.ok(loadMoreClicks >= 1, 'the seeded repositories span more than one page');
  const listed = await rowHeaders(page, 'repositories');
  const seeded = await githubRepositoryNames(info, await idpAccessToken(info, 'alice', 'github'));
  assert.equal(new Set(listed).size, listed.length, 'each repository is listed once');
  assert.deepEqual([...listed].sort(), [...seeded].sort(), 'every seeded repository is listed');
  assert.match(
    await page.getByTestId('view-repositories').getByTestId('row-count').innerText(),
    new RegExp(`All ${seeded.length} items shown`),
  );
  await page.getByTestId('view-repositories').getByTestId('row-count').scrollIntoViewIfNeeded();
  await shots.take(page, 'github-repositories-all');

  await page.getByTestId('nav-account-google-oauth2').click();
  await page.getByTestId('account-google-oauth2').waitFor({ timeout: STEP_TIMEOUT_MS });
  await openView(page, 'upcoming-events');
  const events = await rowHeaders(page, 'upcoming-events');
  assert.ok(events.length > 0, 'Google shows upcoming events');
  await shots.take(page, 'google-upcoming-events');

  assert.deepEqual(uncaught(host), []);
  return {
    ...times,
    repositories: listed.length,
    loadMoreClicks,
    upcomingEvents: events.length,
  };
}
