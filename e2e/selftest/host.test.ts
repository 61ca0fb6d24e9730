import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '@linkboard/testing/chromium';
import { installIpcBridge, type Dispatch } from '../host/ipc-bridge.js';
import { IpcRecorder, type IpcSender } from '../host/ipc-recorder.js';
import { bundlePreload } from '../host/preload-bundle.js';
import {
  startRendererServer,
  type RendererResponse,
  type RendererServer,
} from '../host/renderer-server.js';
import { SystemBrowser } from '../host/system-browser.js';
import { collectPageEvidence, findLeaks } from '../support/leak-scanner.js';

// The host's own parts, checked on a stand-in page and preload before the journeys rely on them.

const fixturePreload = fileURLToPath(new URL('./fixtures/fixture-preload.ts', import.meta.url));
const CSP = "default-src 'self'; script-src 'self'";

const pages: Record<string, string> = {
  '/': '<!doctype html><title>host self-test</title><h1>main</h1><iframe src="/frame.html"></iframe>',
  '/frame.html': '<!doctype html><title>frame</title><p>frame</p>',
};

describe('Chromium host', () => {
  let browser: Browser;
  let server: RendererServer;
  let bundle: string;

  beforeAll(async () => {
    bundle = await bundlePreload(fixturePreload);
    server = await startRendererServer((url): RendererResponse => {
      const body = pages[new URL(url).pathname];
      return body === undefined
        ? { status: 404, headers: { 'content-type': 'text/plain' }, body: 'not found' }
        : {
            status: 200,
            headers: { 'content-type': 'text/html', 'content-security-policy': CSP },
            body,
          };
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('bundles a preload with electron replaced by the shim', () => {
    expect(bundle).toContain('exposeInMainWorld');
    expect(bundle).not.toMatch(/require\(["']electron["']\)/);
  });

  it('serves pages with the handler’s status and headers', async () => {
    const ok = await fetch(`${server.origin}/`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toBe(CSP);
    expect((await fetch(`${server.origin}/missing`)).status).toBe(404);
    expect((await fetch(`${server.origin}/`, { method: 'POST' })).status).toBe(405);
  });

  it('passes each calling frame’s URL and main-frame flag to dispatch, and delivers events', async () => {
    const context = await browser.newContext();
    const recorder = new IpcRecorder();
    const dispatch: Dispatch = async ({ channel, payload, sender }) => ({
      ok: true,
      value: { channel, payload, sender },
    });
    const page = await context.newPage();
    const bridge = await installIpcBridge(page, { windowId: 7, dispatch, recorder });
    await page.addInitScript({ content: bundle });
    await page.goto(`${server.origin}/`);

    const fromMain = await page.evaluate(() =>
      (window as unknown as { fixture: { ping(x: unknown): Promise<unknown> } }).fixture.ping({
        n: 1,
      }),
    );
    expect(fromMain).toEqual({
      ok: true,
      value: {
        channel: 'fixture:ping',
        payload: { n: 1 },
        sender: { url: `${server.origin}/`, isMainFrame: true, windowId: 7 },
      },
    });

    const frame = page.frames().find((f) => f.url().endsWith('/frame.html'));
    expect(frame).toBeDefined();
    const fromFrame = (await frame!.evaluate(() =>
      (window as unknown as { fixture: { ping(x: unknown): Promise<unknown> } }).fixture.ping(2),
    )) as { value: { sender: IpcSender } };
    expect(fromFrame.value.sender).toEqual({
      url: `${server.origin}/frame.html`,
      isMainFrame: false,
      windowId: 7,
    });

    // The exposed API is frozen, as contextBridge copies it.
    const replaced = await page.evaluate(() => {
      const w = window as unknown as { fixture: { ping: unknown } };
      try {
        w.fixture.ping = () => 'hijacked';
      } catch {
        // strict-mode assignment to a frozen object throws; either way it must not stick
      }
      return typeof w.fixture.ping === 'function' && w.fixture.ping.toString().includes('hijacked');
    });
    expect(replaced).toBe(false);

    const received = page.evaluate(
      () =>
        new Promise<unknown>((resolve) => {
          const api = (
            window as unknown as { fixture: { onPong(l: (v: unknown) => void): () => void } }
          ).fixture;
          const stop = api.onPong((value) => {
            stop();
            resolve(value);
          });
        }),
    );
    bridge.send('fixture:pong', 'hello');
    await expect(received).resolves.toBe('hello');

    expect(recorder.invocations('fixture:ping')).toHaveLength(2);
    expect(recorder.records.some((r) => r.kind === 'event' && r.channel === 'fixture:pong')).toBe(
      true,
    );
    await context.close();
  });

  it('finds a planted secret in localStorage, IndexedDB and the DOM, and nothing on a clean page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.origin}/`);
    const secret = { name: 'planted token', value: 'gho_PLANTED0123456789abcdef' };

    expect(findLeaks(await collectPageEvidence(page, 'window'), [secret])).toEqual([]);

    await page.evaluate(async (value) => {
      localStorage.setItem('k', JSON.stringify({ token: value }));
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('planted', 1);
        request.onupgradeneeded = () => request.result.createObjectStore('things');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction('things', 'readwrite');
        tx.objectStore('things').put({ nested: { t: value } }, 'one');
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
      const frameDoc = document.querySelector('iframe')?.contentDocument;
      frameDoc?.body.append(encodeURIComponent(value));
    }, secret.value);

    const wheres = findLeaks(await collectPageEvidence(page, 'window'), [secret]).map(
      (l) => l.where,
    );
    expect(wheres).toEqual(
      expect.arrayContaining([
        'window localStorage',
        'window IndexedDB',
        `window frame ${server.origin}/frame.html DOM`,
      ]),
    );
    await context.close();
  });

  it('opens external URLs in a system-browser context that shares nothing with the app', async () => {
    const appContext = await browser.newContext();
    const appPage = await appContext.newPage();
    await appPage.goto(`${server.origin}/`);
    await appPage.evaluate(() => localStorage.setItem('app-only', 'yes'));

    const systemBrowser = await SystemBrowser.start(browser);
    const tab = systemBrowser.nextTab(10_000);
    await systemBrowser.openExternal(`${server.origin}/frame.html`);
    const page = await tab;
    await page.waitForURL(`${server.origin}/frame.html`);
    expect(await page.evaluate(() => localStorage.getItem('app-only'))).toBeNull();
    expect(systemBrowser.opened).toEqual([`${server.origin}/frame.html`]);
    await systemBrowser.close();
    await appContext.close();
  });
});
