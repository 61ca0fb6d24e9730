import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type Browser, type ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '@linkboard/testing/chromium';
import { freeLoopbackPort } from '@linkboard/testing/free-port';
import { idpAccessToken } from '../support/desktop-secrets.js';
import { repoRoot } from '../support/paths.js';
import { githubRepositoryNames } from '../support/sandbox-probe.js';
import { startStack, type Stack } from '../support/stack.js';
import {
  cardStatus,
  loadEveryPage,
  openAccount,
  openView,
  rowHeaders,
  STEP_TIMEOUT_MS,
} from '../journeys/steps.js';
import { probeElectron } from './electron-binary.js';

// Journey 1 in the real Electron app, with Playwright's Electron driver. It needs the Electron
// binary, which cannot be downloaded on machines that only reach the npm registry; there it is
// skipped and says why, and the Chromium host suite (journeys/) runs the same journey.

const probe = probeElectron();
if (!probe.ok) console.warn(`[e2e] Electron suite skipped: ${probe.reason}`);

const title = probe.ok
  ? `Electron app ${probe.version}: journey 1`
  : `Electron app: journey 1 — skipped: ${probe.reason}`;

(probe.ok ? describe : describe.skip)(title, () => {
  let stack: Stack;
  let systemBrowser: Browser;
  let app: ElectronApplication;
  let userData: string;

  beforeAll(async () => {
    if (!probe.ok) return;
    const build = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stderr}`);
    stack = await startStack();
    systemBrowser = await launchChromium();
    userData = await mkdtemp(join(tmpdir(), 'linkboard-electron-e2e-'));
    app = await _electron.launch({
      executablePath: probe.executablePath,
      args: [repoRoot, `--user-data-dir=${userData}`],
      env: {
        ...process.env,
        LINKBOARD_AUTH0_DOMAIN: stack.info.domain,
        LINKBOARD_CLIENT_ID: stack.info.desktopClientId,
        LINKBOARD_BROKER_AUDIENCE: stack.info.brokerAudience,
        LINKBOARD_BROKER_URL: stack.brokerUrl,
        LINKBOARD_REDIRECT_MODE: 'loopback',
        LINKBOARD_LOOPBACK_PORT: String(await freeLoopbackPort()),
        LINKBOARD_UPDATES_ENABLED: 'false',
      },
      timeout: 60_000,
    });
    // The system browser is this test's Chromium: main's shell.openExternal hands it the URL.
    await app.evaluate(({ shell }) => {
      const opened: string[] = [];
      (globalThis as unknown as { openedExternally: string[] }).openedExternally = opened;
      shell.openExternal = async (url: string) => {
        opened.push(url);
      };
    });
  });

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    await systemBrowser?.close().catch(() => undefined);
    await stack?.close();
    if (userData) await rm(userData, { recursive: true, force: true });
  });

  it('signs in through the system browser and browses GitHub (every page) and Google', async () => {
    const page = await app.firstWindow();
    await page.getByTestId('sign-in-button').click();
    await expect
      .poll(() =>
        app.evaluate(
          () => (globalThis as unknown as { openedExternally: string[] }).openedExternally.length,
        ),
      )
      .toBe(1);
    const [authorizeUrl] = await app.evaluate(
      () => (globalThis as unknown as { openedExternally: string[] }).openedExternally,
    );
    const context = await systemBrowser.newContext();
    const tab = await context.newPage();
    await tab.goto(authorizeUrl!);
    await tab.locator('button[data-username="alice"]').click();
    await tab.waitForURL((url) => url.pathname === '/callback', { timeout: STEP_TIMEOUT_MS });

    await page.getByTestId('account-list').waitFor({ timeout: STEP_TIMEOUT_MS });
    expect(await page.getByTestId('profile-name').innerText()).toBe('Alice Example');
    expect(await cardStatus(page, 'github')).toBe('ready');
    expect(await cardStatus(page, 'google-oauth2')).toBe('ready');

    await openAccount(page, 'github');
    await openView(page, 'repositories');
    await loadEveryPage(page, 'repositories');
    const seeded = await githubRepositoryNames(
      stack.info,
      await idpAccessToken(stack.info, 'alice', 'github'),
    );
    expect([...(await rowHeaders(page, 'repositories'))].sort()).toEqual([...seeded].sort());

    await page.getByTestId('nav-account-google-oauth2').click();
    await openView(page, 'upcoming-events');
    expect((await rowHeaders(page, 'upcoming-events')).length).toBeGreaterThan(0);
    await context.close();
  });
});
