import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLinkboardClient } from '../src/api/linkboard-client';
import { ConnectController } from '../src/connect/connect-controller';
import { createFakeLinkboard, type FakeLinkboard } from '../dev/fake-linkboard';
import { FakeMyAccount } from './helpers/fake-my-account';
import { inEnglish } from './helpers/english';

const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  vi.useRealTimers();
});

function setUp(options: { timeoutMs?: number } = {}) {
  const fake = createFakeLinkboard();
  const myAccount = new FakeMyAccount(fake.state.info.config.auth0Domain);
  let changes = 0;
  const controller = new ConnectController({
    linkboard: createLinkboardClient(fake),
    myAccount: () => myAccount,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  const unlisten = controller.listenForCallbacks();
  const unsubscribe = controller.onAccountsChanged(() => changes++);
  stops.push(() => {
    unsubscribe();
    unlisten();
    controller.dispose();
  });
  return { fake, myAccount, controller, changes: () => changes };
}

const channels = (fake: FakeLinkboard) => fake.calls.map((call) => call.channel);

/** The `state` the app handed main with the connect page it opened. */
function openedState(fake: FakeLinkboard): string {
  const call = fake.calls.find((candidate) => candidate.channel === 'auth:openConnect');
  return (call?.payload as { state: string }).state;
}

function notice(controller: ConnectController) {
  const current = controller.getSnapshot().notice;
  return current && { tone: current.tone, text: inEnglish(current.message) };
}

describe('connecting an account', () => {
  it('opens the connect page through main with its own state, then completes with its verifier', async () => {
    const { fake, myAccount, controller, changes } = setUp();
    await controller.connect('github', 'GitHub');
    expect(controller.getSnapshot().state).toEqual({ status: 'waiting', connection: 'github' });
    expect(channels(fake)).toEqual(['auth:prepare', 'auth:openConnect']);
    const state = openedState(fake);
    expect(myAccount.lastStart).toMatchObject({
      connection: 'github',
      redirectUri: fake.state.redirectUri,
      state,
      codeChallenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });

    // Another flow's callback (a sign-in's, a stale tab's) is not this connect's.
    fake.emitCallback(`${fake.state.redirectUri}?connect_code=elsewhere&state=other-state-value`);
    await Promise.resolve();
    expect(myAccount.calls).not.toContain('completeConnect');

    fake.emitCallback(`${fake.state.redirectUri}?connect_code=code-1&state=${state}`);
    await vi.waitFor(() => expect(controller.getSnapshot().state.status).toBe('idle'));
    expect(myAccount.lastComplete).toMatchObject({
      authSession: 'auth-session-1',
      connectCode: 'code-1',
      redirectUri: fake.state.redirectUri,
    });
    // The verifier is the one whose S256 challenge went to the connect request.
    const verifier = myAccount.lastComplete?.codeVerifier ?? '';
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
    expect(Buffer.from(digest).toString('base64url')).toBe(myAccount.lastStart?.codeChallenge);
    expect(notice(controller)).toEqual({ tone: 'success', text: 'GitHub is connected.' });
    expect(changes()).toBe(1);
  });

  it('says the user declined when the provider answers access_denied, and stores nothing', async () => {
    const { fake, myAccount, controller, changes } = setUp();
    await controller.connect('windowslive', 'Microsoft');
    fake.emitCallback(
      `${fake.state.redirectUri}?error=access_denied&error_description=${encodeURIComponent('<b>forged words</b>')}&state=${openedState(fake)}`,
    );
    await vi.waitFor(() => expect(controller.getSnapshot().state.status).toBe('idle'));
    expect(notice(controller)).toEqual({
      tone: 'error',
      text: 'You declined access at Microsoft, so nothing was connected. Connect again when you are ready.',
    });
    expect(myAccount.calls).not.toContain('completeConnect');
    expect(changes()).toBe(0);
  });

  it('ignores a second connect while one waits, and a cancel ends the wait in main too', async () => {
    const { fake, myAccount, controller } = setUp();
    await controller.connect('github', 'GitHub');
    await controller.connect('google-oauth2', 'Google');
    expect(myAccount.calls).toEqual(['startConnect github']);
    await controller.cancel();
    expect(controller.getSnapshot()).toEqual({ state: { status: 'idle' }, notice: null });
    expect(channels(fake)).toContain('auth:cancel');
    // The callback of the cancelled connect changes nothing.
    fake.emitCallback(`${fake.state.redirectUri}?connect_code=late&state=${openedState(fake)}`);
    await Promise.resolve();
    expect(myAccount.calls).toEqual(['startConnect github']);
  });

  it('stops waiting after the timeout, with nothing connected', async () => {
    vi.useFakeTimers();
    const { fake, controller } = setUp({ timeoutMs: 1000 });
    await controller.connect('github', 'GitHub');
    await vi.advanceTimersByTimeAsync(1001);
    expect(controller.getSnapshot().state).toEqual({ status: 'idle' });
    expect(notice(controller)?.text).toBe(
      'Connecting GitHub took too long and was stopped. Nothing was connected.',
    );
    expect(channels(fake)).toContain('auth:cancel');
  });

  it('ends in a clear state when the My Account API refuses to start or complete', async () => {
    const { fake, myAccount, controller } = setUp();
    myAccount.startError = new Error('refused');
    await controller.connect('github', 'GitHub');
    expect(controller.getSnapshot().state).toEqual({ status: 'idle' });
    expect(notice(controller)?.text).toBe(
      "GitHub couldn't be connected. Nothing was stored; try again.",
    );
    expect(channels(fake)).toEqual(['auth:prepare', 'auth:cancel']);

    myAccount.startError = null;
    myAccount.completeError = new Error('invalid connect_code');
    await controller.connect('github', 'GitHub');
    const state = fake.calls.filter((call) => call.channel === 'auth:openConnect')[0]?.payload as {
      state: string;
    };
    fake.emitCallback(`${fake.state.redirectUri}?connect_code=code&state=${state.state}`);
    await vi.waitFor(() => expect(notice(controller)?.tone).toBe('error'));
    expect(myAccount.accounts).toEqual([]);
  });
});

describe('disconnecting', () => {
  it("deletes the connection's connected accounts and reads the accounts again", async () => {
    const { myAccount, controller, changes } = setUp();
    myAccount.accounts = [
      { id: 'cac_1', connection: 'github' },
      { id: 'cac_2', connection: 'google-oauth2' },
    ];
    await controller.disconnect('github', 'GitHub');
    expect(myAccount.accounts).toEqual([{ id: 'cac_2', connection: 'google-oauth2' }]);
    expect(notice(controller)).toEqual({ tone: 'success', text: 'GitHub is disconnected.' });
    expect(changes()).toBe(1);
  });
});
