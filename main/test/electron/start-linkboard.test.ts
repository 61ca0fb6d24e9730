import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ipcChannels } from '@linkboard/contract';
import { providerImagePath } from '@linkboard/contract/desktop';
import { solidPng } from '@linkboard/testing/image-origin';
import { describe, expect, it, vi } from 'vitest';
import { startLinkboard, type LinkboardStartOptions } from '../../src/electron/start-linkboard.js';
import { FakeBrowserWindow, FakeFrame, FakeWebContents, fakeElectron } from './fake-electron.js';
import { configEnvironment, startOptions } from './start-options.js';
import { CONFIG_REFUSED_EXIT_CODE } from '../../src/errors/config-refusal.js';
import { ManagedPolicyError } from '../../src/policy/managed-policy-error.js';
import { authorizeUrl, SIGN_IN_STATE } from '../auth/authorize-url.js';

async function started(overrides: Partial<LinkboardStartOptions> = {}, fakeOptions = {}) {
  const fake = fakeElectron(fakeOptions);
  const outcome = await startLinkboard(startOptions(fake, overrides));
  const window = FakeBrowserWindow.instances[0]!;
  return { fake, outcome, window };
}

describe('Electron layer: refusals before any window', () => {
  it.each([
    [
      'environment',
      { environment: { ...configEnvironment, LINKBOARD_CLIENT_SECRET: 'x' } },
      'LINKBOARD_CLIENT_SECRET',
    ],
    [
      'command line',
      { argv: ['/opt/Linkboard/linkboard', '--m2m-client-id=abc'] },
      'm2m-client-id',
    ],
    [
      'policy',
      {
        readPolicy: async () => ({
          kind: 'policy' as const,
          location: '/etc/linkboard/policy.json',
          values: { privateKey: 'x' },
        }),
      },
      'privateKey',
    ],
  ])('shows a dialog naming the %s key and exits with EX_CONFIG', async (_name, overrides, key) => {
    const fake = fakeElectron();
    const outcome = await startLinkboard(startOptions(fake, overrides));
    expect(outcome).toEqual({ status: 'refused', exitCode: CONFIG_REFUSED_EXIT_CODE });
    expect(fake.errorBoxes).toHaveLength(1);
    expect(fake.errorBoxes[0]?.[1]).toContain(`"${key}"`);
    expect(fake.errorBoxes[0]?.[1]).toContain('belong on the broker');
    expect(fake.app.exitCode).toBe(CONFIG_REFUSED_EXIT_CODE);
    expect(FakeBrowserWindow.instances).toEqual([]);
    expect(
      fake.order.filter((step) =>
        ['window', 'showErrorBox', `exit ${CONFIG_REFUSED_EXIT_CODE}`].includes(step),
      ),
    ).toEqual(['showErrorBox', `exit ${CONFIG_REFUSED_EXIT_CODE}`]);
  });

  it('refuses a policy its reader could not trust, with its message and exit code', async () => {
    const fake = fakeElectron();
    const policyError = new ManagedPolicyError(
      '/etc/linkboard/policy.json',
      'writable_by_others',
      'it is writable by other users',
    );
    const outcome = await startLinkboard(
      startOptions(fake, { readPolicy: () => Promise.reject(policyError) }),
    );
    expect(outcome).toEqual({ status: 'refused', exitCode: CONFIG_REFUSED_EXIT_CODE });
    expect(fake.errorBoxes[0]?.[1]).toContain('/etc/linkboard/policy.json');
  });

  it('quits at once when another instance holds the lock', async () => {
    const fake = fakeElectron({ singleInstance: false });
    expect(await startLinkboard(startOptions(fake))).toEqual({
      status: 'another-instance-running',
    });
    expect(fake.app.quitCalled).toBe(true);
    expect(FakeBrowserWindow.instances).toEqual([]);
  });
});

describe('Electron layer: the window and its guards', () => {
  it('registers app:// as privileged before ready and loads the renderer from it', async () => {
    const { fake, window } = await started();
    expect(fake.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect(fake.order.indexOf('registerSchemesAsPrivileged')).toBeLessThan(
      fake.order.indexOf('ready'),
    );
    expect(fake.order).toContain('enableSandbox');
    expect(window.loadedUrl).toBe('app://linkboard/index.html');
  });

  it('opens one hardened window with the preload and the remembered bounds', async () => {
    const { window } = await started();
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect(window.options).toMatchObject({ x: 5, y: 6, width: 1000, height: 800 });
    expect(window.options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
    });
  });

  it('saves the window bounds when it closes', async () => {
    const saved: unknown[] = [];
    const { window } = await started({
      windowBoundsStore: () => ({ load: () => undefined, save: (bounds) => saved.push(bounds) }),
    });
    expect(window.options).toMatchObject({ width: 1100, height: 760 });
    window.emit('close');
    expect(saved).toEqual([{ x: 10, y: 20, width: 900, height: 700 }]);
  });

  it('serves the renderer with the CSP whose connect-src is the Auth0 origin', async () => {
    const { fake } = await started();
    const handler = fake.protocolHandlers.get('app')!;
    const response = await handler(new Request('app://linkboard/index.html'));
    expect(response.headers.get('content-security-policy')).toContain(
      'connect-src https://tenant.auth0.com;',
    );
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('content-security-policy')).not.toContain('unsafe-eval');
    expect(
      (await handler(new Request('app://linkboard/index.html', { method: 'POST' }))).status,
    ).toBe(405);
  });

  it('denies navigation, redirects, webviews, new windows and every permission', async () => {
    const { fake } = await started();
    const contents = new FakeWebContents('app://linkboard/index.html');
    fake.app.emit('web-contents-created', {}, contents);
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      let prevented = false;
      contents.emit(event, { preventDefault: () => (prevented = true) }, 'https://evil.example/');
      expect(prevented, event).toBe(true);
    }
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({
      action: 'deny',
    });
    let granted: boolean | null = null;
    fake.permissions.request?.({}, 'media', (answer) => (granted = answer));
    expect(granted).toBe(false);
    expect(fake.permissions.check?.()).toBe(false);
    expect(fake.permissions.device?.()).toBe(false);
  });
});

describe('Electron layer: IPC and the sign-in callback', () => {
  it('binds every channel and checks event.senderFrame: main frame of our window only', async () => {
    const { fake, window } = await started();
    expect([...fake.ipcHandlers.keys()].sort()).toEqual(Object.keys(ipcChannels).sort());
    const info = fake.ipcHandlers.get('app:info')!;
    const mainFrame = window.webContents.mainFrame;
    expect(await info({ sender: window.webContents, senderFrame: mainFrame }, {})).toMatchObject({
      ok: true,
      value: { tokenStorage: 'memory', config: { brokerUrl: 'https://broker.linkboard.example' } },
    });
    const subframe = new FakeFrame('app://linkboard/index.html', mainFrame);
    expect(await info({ sender: window.webContents, senderFrame: subframe }, {})).toMatchObject({
      error: { code: 'forbidden_sender' },
    });
    const elsewhere = new FakeWebContents('app://linkboard/index.html');
    expect(await info({ sender: elsewhere, senderFrame: elsewhere.mainFrame }, {})).toMatchObject({
      error: { code: 'forbidden_sender' },
    });
    mainFrame.url = 'https://evil.example/';
    expect(await info({ sender: window.webContents, senderFrame: mainFrame }, {})).toMatchObject({
      error: { code: 'forbidden_sender' },
    });
    expect(await info({ sender: window.webContents, senderFrame: null }, {})).toMatchObject({
      error: { code: 'forbidden_sender' },
    });
  });

  it('custom scheme: registers linkboard:// and forwards the second instance’s callback to the page, once', async () => {
    const { fake, window } = await started({
      environment: { ...configEnvironment, LINKBOARD_REDIRECT_MODE: 'custom-scheme' },
    });
    expect(fake.app.protocolClients).toEqual(['linkboard']);
    const event = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
    expect(await fake.ipcHandlers.get('auth:prepare')!(event, {})).toEqual({
      ok: true,
      value: { redirectUri: 'linkboard://callback', mode: 'custom-scheme' },
    });
    // Opening the sign-in page tells main the state; only that callback reaches the page.
    const url = authorizeUrl('https://tenant.auth0.com', {
      clientId: configEnvironment.LINKBOARD_CLIENT_ID,
      audience: configEnvironment.LINKBOARD_BROKER_AUDIENCE,
      redirectUri: 'linkboard://callback',
    });
    expect(await fake.ipcHandlers.get('auth:open')!(event, { url })).toEqual({
      ok: true,
      value: {},
    });
    fake.app.emit('open-url', { preventDefault() {} }, 'linkboard://callback?code=f&state=forged');
    const callback = `linkboard://callback?code=c&state=${SIGN_IN_STATE}`;
    fake.app.emit('second-instance', {}, ['/opt/Linkboard/linkboard', callback], '/');
    fake.app.emit('open-url', { preventDefault() {} }, `${callback}&again`);
    expect(window.webContents.sent).toEqual([['auth:callback', callback]]);
  });

  it('answers app:updateState from the update service, started once the window has loaded', async () => {
    const startedWith: Array<string | null> = [];
    const { fake, window } = await started({
      updates: () => ({
        state: () => ({ status: 'available', version: '0.2.0' }),
        installAndRestart: () => undefined,
        start: () => startedWith.push(FakeBrowserWindow.instances[0]?.loadedUrl ?? null),
      }),
    });
    expect(startedWith).toEqual(['app://linkboard/index.html']);
    const event = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
    expect(await fake.ipcHandlers.get('app:updateState')!(event, {})).toEqual({
      ok: true,
      value: { status: 'available', version: '0.2.0' },
    });
  });

  it('says updates are turned off when there is no update service and policy turns them off', async () => {
    const { fake, window } = await started({
      updates: () => null,
      environment: { ...configEnvironment, LINKBOARD_UPDATES_ENABLED: 'false' },
    });
    const event = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
    expect(await fake.ipcHandlers.get('app:updateState')!(event, {})).toEqual({
      ok: true,
      value: { status: 'disabled', reason: 'turned-off' },
    });
  });

  it('opens only Auth0 pages in the system browser', async () => {
    const { fake, window } = await started({
      environment: { ...configEnvironment, LINKBOARD_REDIRECT_MODE: 'custom-scheme' },
    });
    const open = fake.ipcHandlers.get('auth:open')!;
    const event = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
    await fake.ipcHandlers.get('auth:prepare')!(event, {});
    const url = authorizeUrl('https://tenant.auth0.com', {
      clientId: configEnvironment.LINKBOARD_CLIENT_ID,
      audience: configEnvironment.LINKBOARD_BROKER_AUDIENCE,
      redirectUri: 'linkboard://callback',
    });
    expect(await open(event, { url })).toEqual({ ok: true, value: {} });
    expect(
      await open(event, { url: url.replace('tenant.auth0.com', 'tenant.auth0.com.evil.com') }),
    ).toMatchObject({ error: { code: 'url_not_allowed' } });
    expect(fake.opened).toEqual([url]);
  });

  it('serves a provider image on app:// from a catalogue image origin through net.fetch, wiped at sign-out', async () => {
    const userData = await mkdtemp(join(tmpdir(), 'linkboard-user-data-'));
    const avatar = 'https://avatars.githubusercontent.com/u/1?v=4';
    const png = solidPng(4, [10, 20, 30]);
    const { fake, window } = await started(
      {},
      {
        userData,
        netAnswer: (url: string) => {
          if (url === avatar)
            return new Response(png, { headers: { 'content-type': 'image/png' } });
          if (url.endsWith('/v1/providers')) {
            return Response.json({
              providers: [
                {
                  connection: 'github',
                  displayName: 'GitHub',
                  icon: 'github',
                  views: [],
                  imageOrigins: ['https://avatars.githubusercontent.com'],
                },
              ],
            });
          }
          return undefined;
        },
      },
    );
    const serve = fake.protocolHandlers.get('app')!;
    const imageUrl = `app://linkboard${providerImagePath('github', avatar)}`;
    // Before the broker's catalogue named the origin, nothing is fetched.
    expect((await serve(new Request(imageUrl))).status).toBe(404);
    expect(fake.fetched).toEqual([]);

    const event = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
    const providers = fake.ipcHandlers.get('broker:providers')!;
    expect(await providers(event, { accessToken: 'a'.repeat(40) })).toMatchObject({ ok: true });
    const response = await serve(new Request(imageUrl));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('content-security-policy')).toContain("img-src 'self' data:");
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(png);
    expect(fake.fetched).toEqual(['https://broker.linkboard.example/v1/providers', avatar]);
    expect(await readdir(join(userData, 'image-cache'))).toHaveLength(1);

    expect(await fake.ipcHandlers.get('cache:clear')!(event, {})).toEqual({ ok: true, value: {} });
    await expect(readdir(join(userData, 'image-cache'))).rejects.toThrow(/ENOENT/);
    await rm(userData, { recursive: true, force: true });
  });

  it('calls the broker through net.fetch, with the system proxy unless policy names one', async () => {
    const { fake, window } = await started();
    const identities = fake.ipcHandlers.get('broker:identities')!;
    const event = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
    expect(await identities(event, { accessToken: 'a'.repeat(40) })).toEqual({
      ok: true,
      // A broker that names nothing connectable is read as offering nothing to connect.
      value: { identities: [], connectable: [] },
    });
    expect(fake.fetched).toEqual(['https://broker.linkboard.example/v1/me/identities']);
    expect(fake.proxies).toEqual([]);

    const proxied = await started({
      readPolicy: async () => ({
        kind: 'policy',
        location: '/etc/linkboard/policy.json',
        values: { ProxyUrl: 'http://proxy.contoso.example:3128' },
      }),
    });
    expect(proxied.fake.proxies).toEqual([{ proxyRules: 'http://proxy.contoso.example:3128' }]);
    // Set before the window exists, so no request of the app leaves without it.
    expect(proxied.fake.order.indexOf('setProxy')).toBeLessThan(
      proxied.fake.order.indexOf('window'),
    );
  });

  it('opens the log folder with shell.openPath and copies diagnostics with the clipboard', async () => {
    const { fake, window } = await started();
    const event = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
    expect(await fake.ipcHandlers.get('app:openLogFolder')!(event, {})).toEqual({
      ok: true,
      value: {},
    });
    expect(fake.openedPaths).toEqual(['/home/ada/.config/Linkboard/logs']);
    const copied = (await fake.ipcHandlers.get('app:copyDiagnostics')!(event, {})) as {
      ok: true;
      value: { text: string };
    };
    expect(fake.copied).toEqual([copied.value.text]);
    expect(copied.value.text).toContain('Broker: https://broker.linkboard.example — reachable');
    expect(fake.fetched).toContain('https://broker.linkboard.example/healthz');
  });

  it('follows a policy change: new broker URL and proxy from the next request, then a secret stops it', async () => {
    let policy: Record<string, unknown> = { ProxyUrl: 'http://proxy-1.contoso.example:3128' };
    let notify = () => undefined as void;
    const { fake, window } = await started({
      readPolicy: async () => ({
        kind: 'policy',
        location: '/etc/linkboard/policy.json',
        values: policy,
      }),
      policyTriggers: [
        (callback) => {
          notify = callback;
          return () => undefined;
        },
      ],
    });
    const event = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
    const call = (channel: string, payload: unknown = {}) =>
      fake.ipcHandlers.get(channel)!(event, payload);
    // The re-read runs in the background after a trigger: wait for its effect, not for a fixed
    // time, which a loaded machine can overrun.
    const eventually = { timeout: 10_000, interval: 25 };

    policy = { BrokerUrl: 'https://broker-2.contoso.example' };
    notify();
    await vi.waitFor(
      async () =>
        expect(await call('app:info')).toMatchObject({
          ok: true,
          value: {
            config: { brokerUrl: 'https://broker-2.contoso.example', proxyUrl: null },
            sources: { brokerUrl: 'policy', proxyUrl: 'default' },
          },
        }),
      eventually,
    );
    await call('broker:identities', { accessToken: 'a'.repeat(40) });
    expect(fake.fetched).toEqual(['https://broker-2.contoso.example/v1/me/identities']);
    expect(fake.proxies).toEqual([
      { proxyRules: 'http://proxy-1.contoso.example:3128' },
      { mode: 'system' },
    ]);

    policy = { BrokerUrl: 'https://broker-2.contoso.example', ClientSecret: 'placeholder' };
    notify();
    await vi.waitFor(() => expect(fake.errorBoxes).toHaveLength(1), eventually);
    expect(fake.errorBoxes[0]?.[1]).toContain('"ClientSecret"');
    expect(fake.app.exitCode).toBe(78);
  });
});
