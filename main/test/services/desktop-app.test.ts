import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/logging/logger.js';
import { createDesktopApp } from '../../src/services/desktop-app.js';
import { confEntryFileLocation } from '../../src/tokens/encrypted-entry-file.js';
import { createTokenStore } from '../../src/tokens/token-store.js';

const ORIGIN = 'app://linkboard';
const ours = { url: `${ORIGIN}/index.html`, isMainFrame: true, windowId: 3 };
const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

async function setUp() {
  const logged: Array<[keyof Logger, string, Record<string, unknown> | undefined]> = [];
  const log: Logger = {
    info: (message, fields) => logged.push(['info', message, fields]),
    warn: (message, fields) => logged.push(['warn', message, fields]),
    error: (message, fields) => logged.push(['error', message, fields]),
  };
  const tokenStore = await createTokenStore({
    keychain: null,
    file: confEntryFileLocation({ directory: '/nonexistent' }),
  });
  const desktop = createDesktopApp({
    services: {
      app: { name: 'Linkboard', version: '0.1.0' },
      loaded: {
        config: {
          auth0Domain: 'https://tenant.example',
          clientId: 'desktop',
          brokerAudience: 'https://broker.example/',
          brokerUrl: 'https://broker.example',
          redirectMode: 'loopback',
          loopbackPort: 47823,
          updateFeedUrl: null,
          updatesEnabled: false,
          updateChannel: null,
          proxyUrl: null,
          language: null,
        },
        sources: {
          auth0Domain: 'default',
          clientId: 'default',
          brokerAudience: 'default',
          brokerUrl: 'default',
          redirectMode: 'default',
          loopbackPort: 'default',
          updateFeedUrl: 'default',
          updatesEnabled: 'default',
          updateChannel: 'default',
          proxyUrl: 'default',
          language: 'default',
        },
        locations: {
          auth0Domain: 'built-in defaults',
          clientId: 'built-in defaults',
          brokerAudience: 'built-in defaults',
          brokerUrl: 'built-in defaults',
          redirectMode: 'built-in defaults',
          loopbackPort: 'built-in defaults',
          updateFeedUrl: 'built-in defaults',
          updatesEnabled: 'built-in defaults',
          updateChannel: 'built-in defaults',
          proxyUrl: 'built-in defaults',
          language: 'built-in defaults',
        },
        ignoredKeys: [],
      },
      tokenStore,
      fetch: globalThis.fetch,
      support: {
        logFolder: '/nonexistent-logs',
        openFolder: async () => undefined,
        copyText: () => undefined,
      },
      openExternal: async () => undefined,
      writeClipboard: () => undefined,
      deliverAuthCallback: () => undefined,
    },
    expectedOrigin: ORIGIN,
    isOurWindow: (id) => id === 3,
    log,
  });
  closers.push(() => desktop.close());
  return { desktop, logged };
}

describe('createDesktopApp', () => {
  it('answers every channel through the registry, refusing a foreign sender with a warning', async () => {
    const { desktop, logged } = await setUp();
    expect(
      await desktop.dispatch({ channel: 'app:info', payload: {}, sender: ours }),
    ).toMatchObject({ ok: true, value: { name: 'Linkboard', tokenStorage: 'memory' } });
    expect(
      await desktop.dispatch({
        channel: 'app:info',
        payload: {},
        sender: { ...ours, url: 'https://evil.example/' },
      }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    expect(logged).toEqual([
      [
        'warn',
        'IPC refused',
        { channel: 'app:info', code: 'forbidden_sender', reason: 'foreign origin' },
      ],
    ]);
  });

  it('stops listening for a sign-in callback when the app closes', async () => {
    const { desktop } = await setUp();
    const prepared = await desktop.dispatch({ channel: 'auth:prepare', payload: {}, sender: ours });
    if (!prepared.ok) throw new Error('auth:prepare failed');
    const { redirectUri } = prepared.value as { redirectUri: string };
    expect((await fetch(redirectUri)).status).toBe(400);
    desktop.close();
    await expect(fetch(redirectUri)).rejects.toThrow();
  });
});
