import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { chromiumUnavailableReason, launchChromium } from '@linkboard/testing/chromium';
import { closeNow, listenOnLoopback } from '@linkboard/testing/loopback-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendererContentSecurityPolicy } from '../../src/renderer-protocol/content-security-policy.js';
import { createRendererHandler } from '../../src/renderer-protocol/renderer-handler.js';

// The CSP as a real Chromium enforces it: the renderer handler serves a page over loopback HTTP
// (as the e2e host does) that tries what an injected script would.
const chromiumUnavailable = chromiumUnavailableReason();

let directory: string;
let rendererServer: Server;
let auth0Server: Server;
let otherServer: Server;
let browser: Browser;
let rendererUrl: string;
const hits = { auth0: 0, other: 0 };

function corsServer(counter: 'auth0' | 'other'): Server {
  return createServer((_request, response) => {
    hits[counter] += 1;
    response.writeHead(200, {
      'access-control-allow-origin': '*',
      'content-type': 'application/json',
    });
    response.end('{}');
  });
}

beforeAll(async () => {
  if (chromiumUnavailable) return;
  auth0Server = corsServer('auth0');
  otherServer = corsServer('other');
  const auth0Origin = await listenOnLoopback(auth0Server);
  const otherOrigin = await listenOnLoopback(otherServer);
  directory = mkdtempSync(join(tmpdir(), 'linkboard-csp-'));
  mkdirSync(join(directory, 'assets'));
  writeFileSync(
    join(directory, 'index.html'),
    `<!doctype html><html><head><script>window.inlineRan = true;</script></head><body>
     <script src="/assets/app.js"></script><script src="${otherOrigin}/evil.js"></script>
     <object data="${otherOrigin}/x.swf"></object></body></html>`,
  );
  writeFileSync(
    join(directory, 'assets', 'app.js'),
    `window.appRan = true;
     try { eval('1'); window.evalRan = true; } catch { window.evalRan = false; }
     try { new Function('return 1')(); window.functionRan = true; } catch { window.functionRan = false; }
     window.results = Promise.all([
       fetch('${auth0Origin}/oauth/token').then(() => 'allowed', () => 'blocked'),
       fetch('${otherOrigin}/steal').then(() => 'allowed', () => 'blocked'),
     ]);`,
  );
  const handler = createRendererHandler({
    root: directory,
    csp: rendererContentSecurityPolicy(auth0Origin),
  });
  rendererServer = createServer((request, response) => {
    void handler(`http://${request.headers.host}${request.url}`).then(
      ({ status, headers, body }) => {
        response.writeHead(status, headers);
        response.end(body);
      },
    );
  });
  rendererUrl = await listenOnLoopback(rendererServer);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(
    [rendererServer, auth0Server, otherServer].map((server) => server && closeNow(server)),
  );
  if (directory) rmSync(directory, { recursive: true, force: true });
});

describe.skipIf(chromiumUnavailable !== undefined)(
  'renderer CSP in Chromium (skipped when /usr/bin/chromium is absent)',
  () => {
    it('runs the app’s own script but no inline script, eval, foreign script or plugin; fetches only Auth0', async () => {
      const page = await browser.newPage();
      await page.goto(`${rendererUrl}/index.html`);
      await page.waitForFunction(
        () => (globalThis as unknown as { results?: unknown }).results !== undefined,
      );
      const state = await page.evaluate(async () => {
        const w = globalThis as unknown as Record<string, unknown>;
        return {
          appRan: w.appRan,
          inlineRan: w.inlineRan ?? false,
          evalRan: w.evalRan,
          functionRan: w.functionRan,
          results: await (w.results as Promise<string[]>),
        };
      });
      expect(state).toEqual({
        appRan: true,
        inlineRan: false,
        evalRan: false,
        functionRan: false,
        results: ['allowed', 'blocked'],
      });
      expect(hits).toEqual({ auth0: 1, other: 0 });
      await page.close();
    });
  },
);
