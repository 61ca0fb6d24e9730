import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLinkboardClient } from '../src/api/linkboard-client';
import { SessionController, SessionEndedError } from '../src/auth/session-controller';
import type { SessionState } from '../src/auth/session-state';
import {
  createFakeLinkboard,
  seedRememberedSession,
  type FakeLinkboard,
} from '../dev/fake-linkboard';
import { FakeAuthClient, oauthError } from './helpers/fake-auth-client';
import { stateInEnglish } from './helpers/english';

function setUp(options: { remembered?: boolean; signInTimeoutMs?: number } = {}) {
  const fake = createFakeLinkboard();
  if (options.remembered) seedRememberedSession(fake);
  const auth = new FakeAuthClient(fake.state.info.config.auth0Domain);
  const configs: unknown[] = [];
  const controller = new SessionController({
    linkboard: createLinkboardClient(fake),
    createAuthClient: (config) => {
      configs.push(config);
      return auth;
    },
    ...(options.signInTimeoutMs ? { signInTimeoutMs: options.signInTimeoutMs } : {}),
  });
  const unlisten = controller.listenForCallbacks();
  controllers.push(() => {
    unlisten();
    controller.dispose();
  });
  return { fake, auth, controller, configs };
}

const controllers: (() => void)[] = [];
afterEach(() => {
  for (const stop of controllers.splice(0)) stop();
  vi.useRealTimers();
});

/** The session's state, its messages in English as the UI shows them. */
const state = (controller: SessionController) => stateInEnglish(controller.getSnapshot().state);
const channels = (fake: FakeLinkboard) => fake.calls.map((call) => call.channel);

/** Resolves once the session reaches `status` (bounded: fails the test otherwise). */
function reach(controller: SessionController, status: SessionState['status']): Promise<void> {
  return vi.waitFor(() => expect(state(controller).status).toBe(status), { timeout: 2000 });
}

describe('starting', () => {
  it('asks to sign in when nothing is remembered, without touching the sign-in service', async () => {
    const { controller, auth, configs, fake } = setUp();
    await controller.start();
    expect(state(controller)).toEqual({ status: 'signed-out', notice: null });
    expect(auth.calls).toEqual([]);
    expect(configs).toEqual([fake.state.info.config]);
    expect(controller.getSnapshot().info?.version).toBe('0.1.0');
  });

  it('resumes a remembered sign-in with the refresh token: no browser step', async () => {
    const { controller, auth, fake } = setUp({ remembered: true });
    await controller.start();
    expect(state(controller)).toMatchObject({
      status: 'signed-in',
      profile: { name: 'Ada Lovelace', email: 'ada.lovelace@example.com', initials: 'AL' },
    });
    expect(auth.calls).toEqual(['getTokenSilently', 'getUser']);
    expect(channels(fake)).not.toContain('auth:open');
    expect(channels(fake)).not.toContain('auth:prepare');
  });

  it('goes back to sign-in with a message, and forgets the session, when the refresh token is refused', async () => {
    const { controller, auth, fake } = setUp({ remembered: true });
    auth.tokenError = oauthError('invalid_grant', 'Unknown or invalid refresh token.');
    await controller.start();
    expect(state(controller)).toEqual({
      status: 'signed-out',
      notice: { tone: 'error', message: 'Your sign-in has expired. Sign in again to continue.' },
    });
    expect(fake.store.size).toBe(0);
  });

  it('keeps the remembered session when the sign-in service is only unreachable', async () => {
    const { controller, auth, fake } = setUp({ remembered: true });
    auth.tokenError = new TypeError('Failed to fetch');
    await controller.start();
    const now = state(controller);
    expect(now.status).toBe('signed-out');
    expect(now.status === 'signed-out' && now.notice?.message).toMatch(/didn't answer/);
    expect(fake.store.size).toBe(2);
  });

  it('says the app is unavailable when it cannot read its configuration, and can try again', async () => {
    const { controller, fake } = setUp();
    const info = fake.app.info;
    fake.app.info = async () => ({
      ok: false,
      error: { code: 'internal_error', message: 'The policy file is unreadable.' },
    });
    await controller.start();
    expect(state(controller)).toEqual({
      status: 'unavailable',
      message: "Linkboard couldn't read its configuration: The policy file is unreadable.",
    });
    fake.app.info = info;
    await controller.start();
    expect(state(controller).status).toBe('signed-out');
  });
});

describe('signing in', () => {
  it("opens the sign-in page through main with main's redirect URI, then finishes on the callback", async () => {
    const { controller, auth, fake } = setUp();
    await controller.start();
    await controller.signIn();
    expect(state(controller).status).toBe('signing-in');
    expect(auth.lastRedirectUri).toBe('http://127.0.0.1:53682/callback');
    const open = fake.calls.find((call) => call.channel === 'auth:open');
    expect(open?.payload).toEqual({
      url: expect.stringMatching(/^https:\/\/linkboard-dev\.eu\.auth0\.com\/authorize\?/),
    });

    fake.emitCallback('http://127.0.0.1:53682/callback?code=abc&state=state-1');
    await reach(controller, 'signed-in');
    expect(auth.lastCallbackUrl).toBe('http://127.0.0.1:53682/callback?code=abc&state=state-1');
  });

  it('tells main the language the page speaks, for the browser’s page after the redirect', async () => {
    const { controller, fake } = setUp();
    await controller.start();
    const before = document.documentElement.lang;
    document.documentElement.lang = 'de';
    try {
      await controller.signIn();
    } finally {
      document.documentElement.lang = before;
    }
    const prepare = fake.calls.find((call) => call.channel === 'auth:prepare');
    expect(prepare?.payload).toEqual({ language: 'de' });
  });

  it('ignores a callback nobody asked for', async () => {
    const { controller, auth, fake } = setUp();
    await controller.start();
    fake.emitCallback('http://127.0.0.1:53682/callback?code=forged&state=x');
    await Promise.resolve();
    expect(state(controller).status).toBe('signed-out');
    expect(auth.calls).not.toContain('handleRedirectCallback');
  });

  it('cancels: main stops waiting, and a late callback changes nothing', async () => {
    const { controller, auth, fake } = setUp();
    await controller.start();
    await controller.signIn();
    await controller.cancelSignIn();
    expect(state(controller)).toEqual({ status: 'signed-out', notice: null });
    expect(channels(fake)).toContain('auth:cancel');
    fake.emitCallback('http://127.0.0.1:53682/callback?code=late&state=state-1');
    await Promise.resolve();
    expect(auth.calls).not.toContain('handleRedirectCallback');
    expect(state(controller).status).toBe('signed-out');
  });

  it('explains a refused sign-in page address', async () => {
    const { controller, fake } = setUp();
    await controller.start();
    // main refuses whatever is not the configured tenant's /authorize
    fake.auth.open = async () => ({
      ok: false,
      error: { code: 'url_not_allowed', message: 'Refused.' },
    });
    await controller.signIn();
    const now = state(controller);
    expect(now.status).toBe('signed-out');
    expect(now.status === 'signed-out' && now.notice?.message).toMatch(
      /isn't your organisation's sign-in service/,
    );
    expect(channels(fake)).toContain('auth:cancel');
  });

  it('explains an error the browser came back with', async () => {
    const { controller, auth, fake } = setUp();
    await controller.start();
    await controller.signIn();
    auth.callbackError = oauthError('access_denied', 'The user said no.');
    fake.emitCallback('http://127.0.0.1:53682/callback?error=access_denied&state=state-1');
    await reach(controller, 'signed-out');
    const now = state(controller);
    expect(now.status === 'signed-out' && now.notice).toEqual({
      tone: 'error',
      message: 'Sign-in was declined in the browser. Try again when you are ready.',
    });
  });

  it("never shows a callback's error_description as instructions, only its code", async () => {
    const { controller, auth, fake } = setUp();
    await controller.start();
    await controller.signIn();
    // What a forged callback carries: an error the provider never sent, with "instructions".
    auth.callbackError = oauthError(
      'server_error',
      'Re-verify your account at https://evil.example/verify',
    );
    fake.emitCallback(
      'http://127.0.0.1:53682/callback?error=server_error&error_description=Re-verify&state=state-1',
    );
    await reach(controller, 'signed-out');
    const now = state(controller);
    const shown = now.status === 'signed-out' ? (now.notice?.message ?? '') : '';
    expect(shown).not.toContain('evil.example');
    expect(shown).not.toMatch(/re-verify/i);
    expect(shown).toBe(
      "Sign-in didn't finish. Try again; if it keeps happening, tell your administrator the sign-in service's code: server_error.",
    );
  });

  it('gives up when the browser never comes back', async () => {
    vi.useFakeTimers();
    const { controller, fake } = setUp({ signInTimeoutMs: 1000 });
    await controller.start();
    await controller.signIn();
    await vi.advanceTimersByTimeAsync(1001);
    const now = state(controller);
    expect(now.status === 'signed-out' && now.notice?.message).toMatch(/timed out/);
    expect(channels(fake)).toContain('auth:cancel');
  });
});

describe('while signed in', () => {
  it('gives access tokens for the broker', async () => {
    const { controller } = setUp({ remembered: true });
    await controller.start();
    await expect(controller.getAccessToken()).resolves.toMatch(/^access-token-for-the-broker/);
  });

  it('ends the session with a message when the refresh token stops working', async () => {
    const { controller, auth, fake } = setUp({ remembered: true });
    await controller.start();
    auth.tokenError = oauthError('missing_refresh_token');
    await expect(controller.getAccessToken()).rejects.toBeInstanceOf(SessionEndedError);
    expect(state(controller)).toMatchObject({ status: 'signed-out', notice: { tone: 'error' } });
    expect(fake.store.size).toBe(0);
  });

  it('passes other token errors on without signing out', async () => {
    const { controller, auth } = setUp({ remembered: true });
    await controller.start();
    auth.tokenError = new TypeError('Failed to fetch');
    await expect(controller.getAccessToken()).rejects.toThrow('Failed to fetch');
    expect(state(controller).status).toBe('signed-in');
  });

  it('signs out: Auth0 logout in the browser, the token store wiped, the sign-in screen', async () => {
    const { controller, auth, fake } = setUp({ remembered: true });
    await controller.start();
    await controller.signOut();
    expect(auth.calls).toContain('logout');
    const open = fake.calls.find((call) => call.channel === 'auth:open');
    expect(open?.payload).toEqual({ url: expect.stringContaining('/v2/logout') });
    expect(channels(fake)).toContain('cache:clear');
    expect(fake.store.size).toBe(0);
    expect(state(controller)).toMatchObject({ status: 'signed-out', notice: { tone: 'info' } });
    await expect(controller.getAccessToken()).rejects.toBeInstanceOf(SessionEndedError);
  });

  it('still wipes the local sign-in when the browser cannot be opened for logout', async () => {
    const { controller, fake } = setUp({ remembered: true });
    await controller.start();
    fake.auth.open = async () => ({ ok: false, error: { code: 'url_not_allowed', message: 'no' } });
    await controller.signOut();
    expect(fake.store.size).toBe(0);
    expect(state(controller).status).toBe('signed-out');
  });
});
