import { createServer, type Server } from 'node:http';
import { ipcChannels, type UpdateState } from '@linkboard/contract';
import { listenOnLoopback } from '@linkboard/testing/loopback-server';
import { afterEach, describe, expect, it } from 'vitest';
import { ipcHandlers } from '../../src/ipc/ipc-handlers.js';
import { authorizeUrl, SIGN_IN_STATE } from '../auth/authorize-url.js';
import { createIpcRegistry } from '../../src/ipc/ipc-registry.js';
import {
  createDesktopServices,
  type DesktopServices,
  type DesktopServicesOptions,
} from '../../src/services/desktop-services.js';
import { confEntryFileLocation } from '../../src/tokens/encrypted-entry-file.js';
import { createTokenStore } from '../../src/tokens/token-store.js';

const ORIGIN = 'http://127.0.0.1:5173';
const sender = { url: `${ORIGIN}/index.html`, isMainFrame: true, windowId: 1 };
const token = `eyJ${'t'.repeat(40)}`;
const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

async function setUp(
  extra: Pick<DesktopServicesOptions, 'updates' | 'isPackaged'> & { updatesEnabled?: boolean } = {},
) {
  const { updatesEnabled = false, ...updateOptions } = extra;
  const server: Server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify(
        request.url === '/v1/me/identities' ? { identities: [] } : { path: request.url },
      ),
    );
  });
  const brokerUrl = await listenOnLoopback(server);
  const opened: string[] = [];
  const delivered: string[] = [];
  const openedFolders: string[] = [];
  const clipboard: string[] = [];
  const services: DesktopServices = createDesktopServices({
    app: { name: 'Linkboard', version: '0.1.0' },
    loaded: {
      config: {
        auth0Domain: 'http://127.0.0.1:4000',
        clientId: 'desktop',
        brokerAudience: 'https://broker/',
        brokerUrl,
        redirectMode: 'custom-scheme',
        loopbackPort: 47823,
        updateFeedUrl: null,
        updatesEnabled,
        updateChannel: null,
        proxyUrl: null,
        language: null,
      },
      sources: {
        auth0Domain: 'default',
        clientId: 'default',
        brokerAudience: 'default',
        brokerUrl: 'policy',
        redirectMode: 'user',
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
        brokerUrl: '/etc/linkboard/policy.json',
        redirectMode: '/home/ada/.config/Linkboard/settings.json',
        loopbackPort: 'built-in defaults',
        updateFeedUrl: 'built-in defaults',
        updatesEnabled: 'built-in defaults',
        updateChannel: 'built-in defaults',
        proxyUrl: 'built-in defaults',
        language: 'built-in defaults',
      },
      ignoredKeys: [{ location: '/etc/linkboard/policy.json', key: 'Colour' }],
    },
    tokenStore: await createTokenStore({
      keychain: null,
      file: confEntryFileLocation({ directory: '/nonexistent' }),
    }),
    fetch,
    support: {
      logFolder: '/home/ada/.config/Linkboard/logs',
      openFolder: async (path) => void openedFolders.push(path),
      copyText: (text) => void clipboard.push(text),
    },
    openExternal: async (url) => {
      opened.push(url);
    },
    writeClipboard: () => undefined,
    deliverAuthCallback: (url) => delivered.push(url),
    ...updateOptions,
  });
  closers.push(() => {
    services.signIn.close();
    server.closeAllConnections();
    server.close();
  });
  const handlers = ipcHandlers(services);
  const registry = createIpcRegistry({
    handlers,
    expectedOrigin: ORIGIN,
    isOurWindow: (id) => id === 1,
  });
  const call = (channel: string, payload: unknown = {}) =>
    registry.dispatch({ channel, payload, sender });
  const send = (channel: string, payload: unknown) =>
    registry.dispatch({ channel, payload, sender });
  return { handlers, call, send, opened, delivered, services, openedFolders, clipboard, server };
}

describe('ipcHandlers', () => {
  it('opens the log folder and copies diagnostics that name the setup and hold no token', async () => {
    const { call, openedFolders, clipboard, server } = await setUp();
    expect(await call('app:openLogFolder')).toEqual({ ok: true, value: {} });
    expect(openedFolders).toEqual(['/home/ada/.config/Linkboard/logs']);

    const refreshToken = `v1.${'r'.repeat(40)}`;
    await call('cache:set', {
      key: '@@auth0spajs@@::desktop::audience::openid',
      value: { body: { access_token: token, refresh_token: refreshToken } },
    });
    await call('broker:identities', { accessToken: token });
    const copied = await call('app:copyDiagnostics');
    expect(copied.ok).toBe(true);
    const text = copied.ok ? (copied.value as { text: string }).text : '';
    expect(clipboard).toEqual([text]);
    expect(text).toContain('Linkboard 0.1.0');
    expect(text).toContain(`OS: ${process.platform} `);
    expect(text).toContain('Sign-in kept: memory only (no keychain)');
    expect(text).toMatch(/Broker: http:\/\/127\.0\.0\.1:\d+ — reachable \(HTTP 200 in \d+ ms\)/);
    expect(text).toContain('Proxy: the system settings');
    expect(text).toContain('  /etc/linkboard/policy.json');
    expect(text).toMatch(
      / {2}brokerUrl = http:\/\/127\.0\.0\.1:\d+ \[policy: \/etc\/linkboard\/policy\.json\]/,
    );
    expect(text).toContain('  clientId = desktop [default: built-in defaults]');
    expect(text).toContain(
      '  redirectMode = custom-scheme [user: /home/ada/.config/Linkboard/settings.json]',
    );
    expect(text).toContain('  Colour (/etc/linkboard/policy.json)');
    expect(text).not.toContain(token);
    expect(text).not.toContain(refreshToken);

    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    const offline = await call('app:copyDiagnostics');
    expect(offline.ok && (offline.value as { text: string }).text).toContain(
      'not reachable (broker_unreachable)',
    );
  });

  it('gives every channel of the contract its handler', async () => {
    const { handlers } = await setUp();
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(ipcChannels).sort());
  });

  it('wires sign-in, cache, broker and app info to the services', async () => {
    const { call, opened, delivered, services } = await setUp();
    // The page may say its language (for the browser's page after the redirect), nothing else.
    expect(await call('auth:prepare', { language: 'fr' } as never)).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    });
    expect(await call('auth:prepare', { language: 'de' })).toMatchObject({ ok: true });
    expect(await call('auth:prepare')).toEqual({
      ok: true,
      value: { redirectUri: 'linkboard://callback', mode: 'custom-scheme' },
    });
    const state = SIGN_IN_STATE;
    const authorize = new URL(
      authorizeUrl('http://127.0.0.1:4000', {
        clientId: 'desktop',
        audience: 'https://broker/',
        redirectUri: 'linkboard://callback',
      }),
    );
    expect(await call('auth:open', { url: authorize.href })).toEqual({ ok: true, value: {} });
    expect(
      await call('auth:open', { url: authorize.href.replace(':4000', ':4001') }),
    ).toMatchObject({ ok: false, error: { code: 'url_not_allowed' } });
    expect(opened).toEqual([authorize.href]);
    // The callback is taken only with the state of the page main opened.
    expect(services.signIn.acceptCustomSchemeUrl('linkboard://callback?code=c&state=s')).toBe(
      false,
    );
    const callback = `linkboard://callback?code=c&state=${state}`;
    expect(services.signIn.acceptCustomSchemeUrl(callback)).toBe(true);
    expect(delivered).toEqual([callback]);

    expect(await call('cache:set', { key: 'k', value: { body: 1 } })).toEqual({
      ok: true,
      value: {},
    });
    expect(await call('cache:get', { key: 'k' })).toEqual({
      ok: true,
      value: { value: { body: 1 } },
    });
    expect(await call('cache:allKeys')).toEqual({ ok: true, value: { keys: ['k'] } });
    expect(await call('cache:clear')).toEqual({ ok: true, value: {} });
    expect(await call('cache:get', { key: 'k' })).toEqual({ ok: true, value: { value: null } });

    expect(await call('broker:identities', { accessToken: token })).toEqual({
      ok: true,
      value: { identities: [], connectable: [] },
    });
    expect(
      await call('broker:request', { connection: 'github', path: '/user', accessToken: token }),
    ).toEqual({
      ok: true,
      value: { status: 200, data: { path: '/v1/idp/github/user' }, next: null },
    });
    expect(await call('app:info')).toMatchObject({
      ok: true,
      value: { name: 'Linkboard', tokenStorage: 'memory', sources: { brokerUrl: 'policy' } },
    });
  });

  it('answers the update service state, and installs only a downloaded update', async () => {
    let state: UpdateState = { status: 'downloading', version: '0.2.0', percent: 42.5 };
    let installs = 0;
    const updates = {
      state: () => state,
      installAndRestart: () => {
        installs += 1;
      },
    };
    const { call } = await setUp({ updates, isPackaged: true, updatesEnabled: true });
    expect(await call('app:updateState')).toEqual({ ok: true, value: state });
    expect(await call('app:installUpdate')).toEqual({
      ok: false,
      error: { code: 'update_not_ready', message: 'No update is ready to install.' },
    });
    expect(installs).toBe(0);

    state = { status: 'downloaded', version: '0.2.0' };
    expect(await call('app:updateState')).toEqual({
      ok: true,
      value: { status: 'downloaded', version: '0.2.0' },
    });
    expect(await call('app:installUpdate')).toEqual({ ok: true, value: {} });
    expect(installs).toBe(1);

    state = { status: 'error', message: 'net::ERR_INTERNET_DISCONNECTED' };
    expect(await call('app:updateState')).toEqual({ ok: true, value: state });
    expect(await call('app:installUpdate')).toMatchObject({
      ok: false,
      error: { code: 'update_not_ready' },
    });
    expect(installs).toBe(1);
  });

  it('refuses an update state outside the contract instead of passing it on', async () => {
    const updates = {
      state: () => ({ status: 'downloading', version: '0.2.0', percent: 250 }) as UpdateState,
      installAndRestart: () => undefined,
    };
    const { call } = await setUp({ updates, isPackaged: true, updatesEnabled: true });
    expect(await call('app:updateState')).toMatchObject({
      ok: false,
      error: { code: 'internal_error' },
    });
  });

  it.each([
    ['updates turned off', { updatesEnabled: false, isPackaged: true }, 'turned-off'],
    ['updates turned off in development', { updatesEnabled: false }, 'turned-off'],
    ['a development build', { updatesEnabled: true }, 'not-packaged'],
  ] as const)(
    'says updates are disabled without an update service: %s',
    async (_name, options, reason) => {
      const { call } = await setUp(options);
      expect(await call('app:updateState')).toEqual({
        ok: true,
        value: { status: 'disabled', reason },
      });
      expect(await call('app:installUpdate')).toMatchObject({
        ok: false,
        error: { code: 'update_not_ready' },
      });
    },
  );

  it.each(Object.keys(ipcChannels))(
    'refuses malformed payloads on %s before any service runs',
    async (channel) => {
      const { send, opened, delivered } = await setUp();
      for (const payload of [
        undefined,
        null,
        'x',
        42,
        [],
        { extra: true },
        { key: '', url: 1, accessToken: 'short' },
      ]) {
        expect(await send(channel, payload), JSON.stringify(payload) ?? 'undefined').toMatchObject({
          ok: false,
          error: { code: 'invalid_payload' },
        });
      }
      expect([...opened, ...delivered]).toEqual([]);
    },
  );
});
