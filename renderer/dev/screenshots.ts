/**
 * Looks at the renderer: builds the production bundle, serves it on loopback with the app's CSP,
 * injects the fake bridge (`install-fake.ts`) before the page's scripts, and takes screenshots of
 * every screen in light, dark, German (a German computer) and at the 640×480 minimum window with
 * Debian's Chromium. Each screen is checked with axe-core on the way: a serious or critical
 * violation fails the run. Development only.
 *
 *   npx tsx renderer/dev/screenshots.ts [output folder [pass…]]   (default: out/renderer-screenshots)
 *   npm run renderer:screenshots -- docs/screenshots/screens   (the committed set)
 */
import { createReadStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import type { Page } from 'playwright-core';
import { build as viteBuild } from 'vite';
import { seriousAccessibilityViolations } from '@linkboard/testing/accessibility';
import { launchChromium } from '@linkboard/testing/chromium';
import { listenOnLoopback } from '@linkboard/testing/loopback-server';
import { PROVIDER_IMAGE_PATH } from '@linkboard/contract/desktop';
import type { AppInfo } from '@linkboard/contract/ipc';
import { defaultFakeState } from './fake-linkboard';
import type { FakeScenario } from './install-fake';
import { SEED_PROVIDERS } from './seed-catalogue';
import { SEED_IDENTITIES } from './seed-data';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = resolve(here, '../..');
const bundleDir = join(repo, 'out/renderer');
const outputDir = resolve(process.argv[2] ?? join(repo, 'out/renderer-screenshots'));
/** Only these passes (`light`, `dark`, `german`, `small`), when named after the folder. */
const onlyPasses = process.argv.slice(3);

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'";
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * What main's image protocol would answer for `/_images/{connection}?url=…`: an image for a URL on
 * one of the connection's catalogue image origins (a drawn placeholder here: the screenshots are
 * taken offline), 404 for any other URL, which the page shows as initials. Without it every image
 * request failed and its console error failed the run.
 */
function answerImage(url: URL, response: ServerResponse): void {
  const connection = decodeURIComponent(url.pathname.slice(PROVIDER_IMAGE_PATH.length));
  const provider = SEED_PROVIDERS.find((entry) => entry.connection === connection);
  const image = URL.parse(url.searchParams.get('url') ?? '');
  if (provider === undefined || image === null || !provider.imageOrigins.includes(image.origin)) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'no-store' });
  response.end(PLACEHOLDER_PORTRAIT);
}

const PLACEHOLDER_PORTRAIT =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">' +
  '<rect width="64" height="64" fill="#c7d2fe"/><circle cx="32" cy="25" r="12" fill="#4f46e5"/>' +
  '<path d="M10 64c2-14 11-22 22-22s20 8 22 22z" fill="#4f46e5"/></svg>';

/** A refused image is expected (the page shows initials), not a page error. */
function isRefusedImage(location: string): boolean {
  return URL.parse(location)?.pathname.startsWith(PROVIDER_IMAGE_PATH) === true;
}

function serve(root: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    if (url.pathname.startsWith(PROVIDER_IMAGE_PATH)) {
      answerImage(url, response);
      return;
    }
    const path = normalize(decodeURIComponent(url.pathname));
    const file = join(root, path === '/' ? 'index.html' : path);
    if (!file.startsWith(root)) {
      response.writeHead(403).end();
      return;
    }
    stat(file).then(
      () => {
        response.writeHead(200, {
          'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
          'Content-Security-Policy': CSP,
        });
        createReadStream(file).pipe(response);
      },
      () => response.writeHead(404).end(),
    );
  });
  return listenOnLoopback(server).then((origin) => ({ server, origin }));
}

async function fakeScript(): Promise<string> {
  const result = await esbuild({
    entryPoints: [join(here, 'install-fake.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

interface Shot {
  name: string;
  scenario: FakeScenario;
  act?: (page: Page) => Promise<void>;
}

const SHOTS: Shot[] = [
  {
    name: 'sign-in',
    scenario: { signedIn: false },
    act: (page) =>
      page
        .getByTestId('sign-in-button')
        .waitFor()
        .then(() => undefined),
  },
  {
    name: 'signing-in',
    scenario: { signedIn: false },
    act: async (page) => {
      await page.getByTestId('sign-in-button').click();
      await page.getByTestId('signing-in').waitFor();
    },
  },
  {
    name: 'home',
    scenario: { signedIn: true },
    act: (page) => page.getByTestId('account-card-github').waitFor(),
  },
  {
    name: 'github-repositories',
    scenario: { signedIn: true },
    act: async (page) => {
      await page.getByTestId('nav-account-github').click();
      await page.getByTestId('tab-repositories').click();
      await page.getByTestId('load-more').click();
      await page.getByTestId('row-count').filter({ hasText: '40' }).waitFor();
      await page.locator('#main').evaluate((main) => main.scrollTo(0, 0));
    },
  },
  {
    name: 'github-repositories-sorted-filtered',
    scenario: { signedIn: true },
    act: async (page) => {
      await page.getByTestId('nav-account-github').click();
      await page.getByTestId('tab-repositories').click();
      await page.getByTestId('load-all').click();
      await page.getByTestId('load-all').waitFor({ state: 'detached' });
      await page.getByTestId('sort-stargazers_count').click();
      await page.getByTestId('sort-stargazers_count').click();
      await page.getByTestId('filter').fill('engine');
      await page.getByTestId('filter-count').waitFor();
      await page.locator('#main').evaluate((main) => main.scrollTo(0, 0));
    },
  },
  {
    name: 'loading',
    scenario: { signedIn: true, state: { brokerDelayMs: 60_000 } },
    act: (page) => page.getByTestId('loading').waitFor(),
  },
  {
    name: 'github-profile',
    scenario: { signedIn: true },
    act: async (page) => {
      await page.getByTestId('nav-account-github').click();
      await page.getByTestId('object-view').waitFor();
    },
  },
  {
    name: 'google-events',
    scenario: { signedIn: true },
    act: async (page) => {
      await page.getByTestId('nav-account-google-oauth2').click();
      await page.getByTestId('tab-upcoming-events').click();
      await page.getByTestId('list-table').waitFor();
    },
  },
  {
    name: 'error-reconnect',
    scenario: {
      signedIn: true,
      state: {
        failures: {
          'github/user': {
            code: 'idp_reauth_required',
            message: 'GitHub refused the token.',
            status: 401,
          },
        },
      },
    },
    act: async (page) => {
      await page.getByTestId('nav-account-github').click();
      await page.getByTestId('error-panel').waitFor();
    },
  },
  {
    name: 'account-reconnect',
    scenario: {
      signedIn: true,
      state: {
        identities: [
          ...SEED_IDENTITIES.slice(0, 1),
          { ...SEED_IDENTITIES[1]!, status: 'reconnect_required' },
          ...SEED_IDENTITIES.slice(2),
        ],
      },
    },
    act: async (page) => {
      await page.getByTestId('nav-account-github').click();
      await page.getByTestId('reconnect-banner').waitFor();
    },
  },
  {
    name: 'error-unreachable',
    scenario: { signedIn: true, state: { brokerDown: true } },
    act: (page) => page.getByTestId('error-retry').waitFor(),
  },
  {
    name: 'home-reconnect',
    scenario: {
      signedIn: true,
      state: {
        identities: [
          ...SEED_IDENTITIES.slice(0, 1),
          { ...SEED_IDENTITIES[1]!, status: 'reconnect_required' },
          { ...SEED_IDENTITIES[2]!, status: 'ready' },
          {
            connection: 'windowslive',
            provider: 'windowslive',
            userId: 'ms-1',
            isSocial: true,
            supported: false,
            status: 'token_unavailable',
            profile: { email: 'ada@outlook.example' },
          },
        ],
      },
    },
    act: (page) => page.getByTestId('account-card-windowslive').waitFor(),
  },
  {
    name: 'home-empty',
    scenario: { signedIn: true, state: { identities: [] } },
    act: (page) => page.getByTestId('home-empty').waitFor(),
  },
  {
    name: 'settings-update-ready',
    scenario: {
      signedIn: true,
      state: { updateState: { status: 'downloaded', version: '0.2.0' } },
    },
    act: async (page) => {
      await page.getByTestId('nav-settings').click();
      await page.getByTestId('install-update').scrollIntoViewIfNeeded();
    },
  },
  {
    name: 'settings-update-downloading',
    scenario: {
      signedIn: true,
      state: { updateState: { status: 'downloading', version: '0.2.0', percent: 37.2 } },
    },
    act: async (page) => {
      await page.getByTestId('nav-settings').click();
      await page.getByTestId('update-progress').scrollIntoViewIfNeeded();
    },
  },
  {
    // A managed policy sets the language (German): the select is disabled and says who chose.
    name: 'settings-language-managed',
    scenario: { signedIn: true, state: { info: policyLanguageInfo() } },
    act: async (page) => {
      await page.getByTestId('nav-settings').click();
      await page.getByTestId('language-managed').scrollIntoViewIfNeeded();
    },
  },
  {
    name: 'settings-memory-only',
    scenario: { signedIn: true },
    act: async (page) => {
      await page.getByTestId('nav-settings').click();
      await page.getByTestId('config-table').waitFor();
    },
  },
];

async function main() {
  await viteBuild({ configFile: join(repo, 'renderer/vite.config.ts'), logLevel: 'warn' });
  const script = await fakeScript();
  const { server, origin } = await serve(bundleDir);
  await mkdir(outputDir, { recursive: true });
  const browser = await launchChromium();
  const problems: string[] = [];
  try {
    const wide = { width: 1280, height: 800 };
    const passes = [
      { colorScheme: 'light', viewport: wide, locale: 'en-GB', suffix: 'light' },
      { colorScheme: 'dark', viewport: wide, locale: 'en-GB', suffix: 'dark' },
      // A computer set to German: the app follows its language.
      { colorScheme: 'light', viewport: wide, locale: 'de-DE', suffix: 'german' },
      // The window's minimum size (main/src/electron/window-options.ts).
      {
        colorScheme: 'light',
        viewport: { width: 640, height: 480 },
        locale: 'en-GB',
        suffix: 'small',
      },
    ] as const;
    for (const { colorScheme, viewport, locale, suffix } of passes) {
      if (onlyPasses.length > 0 && !onlyPasses.includes(suffix)) continue;
      for (const shot of SHOTS) {
        const context = await browser.newContext({
          colorScheme,
          viewport,
          locale,
          timezoneId: 'Europe/London',
        });
        const scenario =
          shot.name === 'settings-memory-only'
            ? { ...shot.scenario, state: { ...shot.scenario.state, info: memoryOnlyInfo() } }
            : shot.scenario;
        await context.addInitScript((value) => {
          (window as unknown as { __linkboardFakeScenario: unknown }).__linkboardFakeScenario =
            value;
        }, scenario);
        await context.addInitScript(script);
        const page = await context.newPage();
        page.on('console', (message) => {
          if (message.type() !== 'error' || isRefusedImage(message.location().url)) return;
          problems.push(`${shot.name}: ${message.text()}`);
        });
        page.on('pageerror', (error) => problems.push(`${shot.name}: ${error.message}`));
        await page.goto(`${origin}/index.html`);
        await shot.act?.(page);
        await page.waitForTimeout(300);
        for (const violation of await seriousAccessibilityViolations(page)) {
          problems.push(`${shot.name}-${suffix}: ${violation}`);
        }
        const file = join(outputDir, `${shot.name}-${suffix}.png`);
        await page.screenshot({ path: file });
        process.stdout.write(`${file}\n`);
        await context.close();
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  if (problems.length > 0) {
    console.error(`Page errors and accessibility violations:\n${problems.join('\n')}`);
    process.exitCode = 1;
  }
}

/** The fake's app info with the language forced to German by a managed policy. */
function policyLanguageInfo(): AppInfo {
  const { info } = defaultFakeState();
  return {
    ...info,
    config: { ...info.config, language: 'de' },
    sources: { ...info.sources, language: 'policy' },
  };
}

/** The fake's app info with sign-in kept in memory only (no OS keychain). */
function memoryOnlyInfo(): AppInfo {
  return { ...defaultFakeState().info, tokenStorage: 'memory' };
}

await main();
