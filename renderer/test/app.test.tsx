import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { Root } from '../src/Root';
import {
  createFakeLinkboard,
  seedRememberedSession,
  type FakeLinkboard,
} from '../dev/fake-linkboard';
import { FakeAuthClient } from './helpers/fake-auth-client';

function renderApp(
  fake: FakeLinkboard,
  auth = new FakeAuthClient(fake.state.info.config.auth0Domain),
) {
  const createAuthClient = () => auth;
  return { ...render(<Root linkboard={fake} createAuthClient={createAuthClient} />), auth };
}

function signedInFake(overrides: Parameters<typeof createFakeLinkboard>[0] = {}) {
  const fake = createFakeLinkboard(overrides);
  seedRememberedSession(fake);
  return fake;
}

describe('sign-in screen', () => {
  it('says what the app is and offers one way in', async () => {
    renderApp(createFakeLinkboard());
    const button = await screen.findByTestId('sign-in-button');
    expect(button).toHaveAccessibleName('Sign in');
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(
      'Your linked accounts, in one place',
    );
    expect(screen.getByRole('main')).toBeInTheDocument();
    expect(screen.queryByTestId('memory-only-warning')).not.toBeInTheDocument();
  });

  it('waits for the browser, tells the user to finish there, and cancels', async () => {
    const user = userEvent.setup();
    const fake = createFakeLinkboard();
    renderApp(fake);
    await user.click(await screen.findByTestId('sign-in-button'));
    const waiting = await screen.findByTestId('signing-in');
    expect(waiting).toHaveTextContent('Signing in…');
    expect(waiting).toHaveTextContent('Finish signing in in the browser');
    expect(fake.calls.map((call) => call.channel)).toContain('auth:open');

    await user.click(screen.getByTestId('cancel-sign-in'));
    expect(await screen.findByTestId('sign-in-button')).toBeInTheDocument();
    expect(fake.calls.map((call) => call.channel)).toContain('auth:cancel');
  });

  it('finishes signing in when main forwards the callback', async () => {
    const user = userEvent.setup();
    const fake = createFakeLinkboard();
    renderApp(fake);
    await user.click(await screen.findByTestId('sign-in-button'));
    await screen.findByTestId('signing-in');
    fake.emitCallback('http://127.0.0.1:53682/callback?code=abc&state=state-1');
    expect(await screen.findByTestId('profile-name')).toHaveTextContent('Ada Lovelace');
  });

  it('comes back to sign-in with a message, not a blank screen, when the refresh token is refused', async () => {
    const fake = signedInFake();
    const auth = new FakeAuthClient(fake.state.info.config.auth0Domain);
    auth.tokenError = Object.assign(new Error('invalid'), { error: 'invalid_grant' });
    renderApp(fake, auth);
    expect(await screen.findByTestId('sign-in-notice')).toHaveTextContent(
      'Your sign-in has expired. Sign in again to continue.',
    );
    expect(screen.getByTestId('sign-in-button')).toBeInTheDocument();
  });

  it('warns when sign-in will not be remembered', async () => {
    const fake = createFakeLinkboard();
    fake.state.info.tokenStorage = 'memory';
    renderApp(fake);
    expect(await screen.findByTestId('memory-only-warning')).toHaveTextContent(
      "Sign-in won't be remembered",
    );
  });

  it("says so when the page runs without the app's bridge", () => {
    render(<Root linkboard={undefined} createAuthClient={() => new FakeAuthClient('x')} />);
    expect(screen.getByTestId('unavailable')).toHaveTextContent('bridge to the app is missing');
  });
});

describe('home', () => {
  it('shows the profile and the linked accounts with their status', async () => {
    const fake = signedInFake();
    fake.state.identities.push({
      connection: 'windowslive',
      provider: 'windowslive',
      userId: 'ms-1',
      isSocial: true,
      supported: false,
      status: 'token_unavailable',
      profile: { email: 'ada@outlook.example' },
    });
    const github = fake.state.identities.find((identity) => identity.connection === 'github');
    if (github) github.status = 'reconnect_required';
    renderApp(fake);

    expect(await screen.findByTestId('home')).toBeInTheDocument();
    expect(screen.getByTestId('profile-name')).toHaveTextContent('Ada Lovelace');
    expect(screen.getByTestId('profile-email')).toHaveTextContent('ada.lovelace@example.com');

    const card = await screen.findByTestId('account-card-github');
    expect(within(card).getByRole('heading')).toHaveTextContent('GitHub');
    expect(card).toHaveTextContent('ada-lovelace');
    expect(within(card).getByTestId('status-badge')).toHaveTextContent('Reconnect needed');
    expect(card.querySelector('[data-icon="github"]')).not.toBeNull();

    const google = screen.getByTestId('account-card-google-oauth2');
    expect(within(google).getByTestId('status-badge')).toHaveTextContent('Ready');

    const microsoft = screen.getByTestId('account-card-windowslive');
    expect(within(microsoft).getByTestId('status-badge')).toHaveTextContent('No token available');
    expect(within(microsoft).queryByRole('button')).not.toBeInTheDocument();
    expect(microsoft.querySelector('[data-icon="microsoft"]')).not.toBeNull();
  });

  it('refreshes the accounts in place, keeping them on screen meanwhile', async () => {
    const user = userEvent.setup();
    const fake = signedInFake();
    renderApp(fake);
    await screen.findByTestId('account-card-github');
    let answer: () => void = () => undefined;
    const identities = fake.broker.identities;
    fake.broker.identities = async (token) => {
      await new Promise<void>((resolve) => {
        answer = resolve;
      });
      return identities(token);
    };
    fake.state.identities = fake.state.identities.filter(
      (identity) => identity.connection !== 'github',
    );

    await user.click(screen.getByTestId('reload-accounts'));
    expect(screen.getByTestId('reload-accounts')).toHaveTextContent('Refreshing…');
    expect(screen.getByTestId('account-card-github')).toBeInTheDocument();
    expect(screen.getByTestId('nav-account-github')).toBeInTheDocument();

    answer();
    await waitFor(() =>
      expect(screen.queryByTestId('account-card-github')).not.toBeInTheDocument(),
    );
    expect(screen.getByTestId('account-card-google-oauth2')).toBeInTheDocument();
    expect(screen.getByTestId('reload-accounts')).toHaveTextContent('Refresh');
  });

  it('shows skeletons while the accounts load', async () => {
    const fake = signedInFake();
    fake.broker.identities = () => new Promise(() => undefined);
    renderApp(fake);
    await screen.findByTestId('home');
    expect(screen.getByTestId('loading')).toHaveTextContent('Loading your linked accounts…');
  });

  it('does not list the identity the user signed in with as a linked account', async () => {
    const fake = signedInFake();
    expect(fake.state.identities[0]).toMatchObject({ provider: 'auth0', userId: 'ada' });
    renderApp(fake);
    await screen.findByTestId('account-card-github');
    const cards = screen.getAllByTestId(/^account-card-/).map((card) => card.dataset.testid);
    expect(cards).toEqual(['account-card-github', 'account-card-google-oauth2']);
  });

  it('shows the empty state to a user whose only identity is their sign-in', async () => {
    const fake = signedInFake();
    fake.state.identities = fake.state.identities.slice(0, 1);
    renderApp(fake);
    expect(await screen.findByTestId('home-empty')).toBeInTheDocument();
    expect(screen.queryByTestId(/^account-card-/)).not.toBeInTheDocument();
  });

  it('has a helpful empty state when nothing is linked, with one Refresh', async () => {
    const user = userEvent.setup();
    const fake = signedInFake({ identities: [] });
    renderApp(fake);
    const empty = await screen.findByTestId('home-empty');
    expect(empty).toHaveTextContent('No accounts are linked to your sign-in yet');
    expect(screen.getAllByRole('button', { name: 'Refresh' })).toEqual([
      within(empty).getByRole('button', { name: 'Refresh' }),
    ]);

    // Linked meanwhile: the one Refresh finds it, and the list has its own Refresh again.
    fake.state.identities = createFakeLinkboard().state.identities;
    await user.click(screen.getByTestId('reload-accounts'));
    expect(await screen.findByTestId('account-card-github')).toBeInTheDocument();
    expect(screen.queryByTestId('home-empty')).not.toBeInTheDocument();
    expect(screen.getAllByRole('button', { name: 'Refresh' })).toHaveLength(1);
  });

  it('points to the connect section when nothing is linked and the app can connect accounts', async () => {
    const fake = signedInFake({ identities: [] });
    fake.state.connectable = ['github'];
    renderApp(fake);
    const empty = await screen.findByTestId('home-empty');
    expect(empty).toHaveTextContent('Connect one below.');
    expect(empty).not.toHaveTextContent("organisation's account settings");
  });

  it('says the service is unreachable, and retry works once it is back', async () => {
    const user = userEvent.setup();
    const fake = signedInFake({ brokerDown: true });
    renderApp(fake);
    const panel = await screen.findByTestId('error-panel');
    expect(panel).toHaveTextContent("Linkboard can't reach its service right now");
    fake.state.brokerDown = false;
    await user.click(screen.getByTestId('error-retry'));
    expect(await screen.findByTestId('account-card-github')).toBeInTheDocument();
  });
});

describe('navigation', () => {
  it('opens a provider page with its views as tabs, usable from the keyboard', async () => {
    const user = userEvent.setup();
    renderApp(signedInFake());
    await user.click(await screen.findByTestId('nav-account-github'));
    expect(await screen.findByRole('heading', { level: 1 })).toHaveTextContent('GitHub');
    const tabs = screen.getAllByRole('tab').map((tab) => tab.textContent);
    expect(tabs).toEqual(['Profile', 'Repositories', 'Organisations', 'Starred']);
    expect(await screen.findByTestId('view-profile')).toBeInTheDocument();

    screen.getByRole('tab', { name: 'Profile' }).focus();
    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('tab', { name: 'Repositories' })).toHaveFocus();
    expect(screen.getByRole('tab', { name: 'Repositories' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(await screen.findByTestId('view-repositories')).toBeInTheDocument();
    expect(await screen.findByRole('table', { name: 'Repositories' })).toBeInTheDocument();
    await user.keyboard('{End}');
    expect(screen.getByRole('tab', { name: 'Starred' })).toHaveFocus();
    expect(await screen.findByTestId('empty-state')).toHaveTextContent('Nothing starred.');
  });

  it('opens an account from its card, and marks the current page in the sidebar', async () => {
    const user = userEvent.setup();
    renderApp(signedInFake());
    await user.click(await screen.findByTestId('open-account-google-oauth2'));
    expect(await screen.findByTestId('account-google-oauth2')).toBeInTheDocument();
    expect(screen.getByTestId('nav-account-google-oauth2')).toHaveAttribute('aria-current', 'page');
    expect(document.title).toBe('Google — Linkboard');
    expect(screen.getByTestId('nav-home')).not.toHaveAttribute('aria-current');
  });

  it('says once that a link has expired, with what to do, and fetches none of its views', async () => {
    const user = userEvent.setup();
    const fake = signedInFake();
    const github = fake.state.identities.find((identity) => identity.connection === 'github');
    if (github) github.status = 'reconnect_required';
    renderApp(fake);
    await user.click(await screen.findByTestId('nav-account-github'));
    const banner = await screen.findByTestId('reconnect-banner');
    expect(banner).toHaveTextContent(
      'Your GitHub link has expired — sign in with GitHub again to reconnect it.',
    );
    expect(banner).toHaveTextContent(
      'Once you have signed in with GitHub again, check again here.',
    );
    expect(screen.getAllByText(/GitHub link has expired/)).toHaveLength(1);
    expect(screen.queryByRole('tab')).not.toBeInTheDocument();
    expect(screen.queryByTestId('error-panel')).not.toBeInTheDocument();
    expect(screen.queryByTestId('error-retry')).not.toBeInTheDocument();
    const githubRequests = () =>
      fake.calls.filter(
        (call) =>
          call.channel === 'broker:request' &&
          (call.payload as { connection: string }).connection === 'github',
      );
    expect(githubRequests()).toEqual([]);

    // Reconnected elsewhere: "Check again" rereads the accounts and the views come back.
    if (github) github.status = 'ready';
    const identitiesBefore = fake.calls.filter((call) => call.channel === 'broker:identities');
    await user.click(within(banner).getByRole('button', { name: 'Check again' }));
    expect(await screen.findByTestId('view-profile')).toBeInTheDocument();
    expect(screen.queryByTestId('reconnect-banner')).not.toBeInTheDocument();
    expect(fake.calls.filter((call) => call.channel === 'broker:identities').length).toBe(
      identitiesBefore.length + 1,
    );
    await waitFor(() => expect(githubRequests().length).toBeGreaterThan(0));
  });

  it('says the organisation shares no token for an account, without fetching its views', async () => {
    const user = userEvent.setup();
    const fake = signedInFake();
    const google = fake.state.identities.find(
      (identity) => identity.connection === 'google-oauth2',
    );
    if (google) google.status = 'token_unavailable';
    renderApp(fake);
    await user.click(await screen.findByTestId('nav-account-google-oauth2'));
    const banner = await screen.findByTestId('token-unavailable-banner');
    expect(banner).toHaveTextContent(
      "Your organisation doesn't share a Google token with Linkboard, so this account's data can't be shown.",
    );
    expect(banner).toHaveTextContent('Ask your administrator');
    expect(screen.queryByRole('tab')).not.toBeInTheDocument();
    expect(screen.queryByTestId('error-panel')).not.toBeInTheDocument();
    expect(fake.calls.filter((call) => call.channel === 'broker:request')).toEqual([]);
  });

  it('still explains a link that expires while the account is open, and offers to retry', async () => {
    const user = userEvent.setup();
    const fake = signedInFake();
    fake.state.failures['github/user'] = {
      code: 'idp_reauth_required',
      message: 'Bad credentials',
    };
    renderApp(fake);
    await user.click(await screen.findByTestId('nav-account-github'));
    const panel = await screen.findByTestId('error-panel');
    expect(panel).toHaveAttribute('data-error-code', 'idp_reauth_required');
    expect(panel).toHaveTextContent('Your GitHub link has expired');
    expect(screen.queryByTestId('reconnect-banner')).not.toBeInTheDocument();
  });

  it('has a skip link that moves focus to the content', async () => {
    const user = userEvent.setup();
    renderApp(signedInFake());
    await screen.findByTestId('home');
    await user.click(screen.getByTestId('skip-link'));
    expect(document.getElementById('main')).toHaveFocus();
  });
});

describe('settings', () => {
  it('shows the version, each setting with its source, and what IT manages', async () => {
    const user = userEvent.setup();
    renderApp(signedInFake());
    await user.click(await screen.findByTestId('nav-settings'));
    expect(await screen.findByTestId('app-version')).toHaveTextContent('0.1.0');
    expect(screen.getByTestId('broker-url')).toHaveTextContent('https://broker.linkboard.example');
    expect(screen.getByTestId('token-storage')).toHaveTextContent('Yes');
    const domain = screen.getByTestId('config-auth0Domain');
    expect(domain).toHaveTextContent('linkboard-dev.eu.auth0.com');
    expect(within(domain).getByTestId('managed-badge')).toHaveTextContent(
      'Managed by your organisation',
    );
    const feed = screen.getByTestId('config-updateFeedUrl');
    expect(feed).toHaveTextContent('Your settings');
    expect(within(feed).queryByTestId('managed-badge')).not.toBeInTheDocument();
    expect(screen.getAllByTestId('managed-badge')).toHaveLength(4);
    expect(await screen.findByTestId('update-state')).toHaveTextContent(
      'Up to date — version 0.1.0 is the latest.',
    );
    expect(screen.getByTestId('update-managed')).toHaveTextContent(
      'Not managed by your organisation',
    );
  });

  it('says sign-in is kept in memory only, once', async () => {
    const user = userEvent.setup();
    const fake = signedInFake();
    fake.state.info.tokenStorage = 'memory';
    renderApp(fake);
    await user.click(await screen.findByTestId('nav-settings'));
    expect(await screen.findByTestId('token-storage')).toHaveTextContent('No — kept in memory');
    expect(screen.getAllByTestId('memory-only-warning')).toHaveLength(1);
  });

  it('shows a setting IT changed while the app ran, with its new source', async () => {
    const user = userEvent.setup();
    const fake = signedInFake();
    renderApp(fake);
    await screen.findByTestId('nav-settings');
    fake.state.info.config.brokerUrl = 'https://broker-2.linkboard.example';
    fake.state.info.sources.updateFeedUrl = 'policy';
    await user.click(screen.getByTestId('nav-settings'));
    await waitFor(() =>
      expect(screen.getByTestId('broker-url')).toHaveTextContent(
        'https://broker-2.linkboard.example',
      ),
    );
    await waitFor(() =>
      expect(
        within(screen.getByTestId('config-updateFeedUrl')).getByTestId('managed-badge'),
      ).toBeInTheDocument(),
    );
  });

  it('opens the log folder and copies diagnostics through main, saying when it is done', async () => {
    const user = userEvent.setup();
    const fake = signedInFake();
    renderApp(fake);
    await user.click(await screen.findByTestId('nav-settings'));
    await user.click(await screen.findByRole('button', { name: 'Open log folder' }));
    await user.click(screen.getByRole('button', { name: 'Copy diagnostics' }));
    expect(await screen.findByTestId('support-status')).toHaveTextContent('Diagnostics copied');
    const channels = fake.calls.map((call) => call.channel);
    expect(channels).toContain('app:openLogFolder');
    expect(channels).toContain('app:copyDiagnostics');
  });
});

describe('signing out', () => {
  it('wipes the store and returns to the sign-in screen', async () => {
    const user = userEvent.setup();
    const fake = signedInFake();
    const { auth } = renderApp(fake);
    await user.click(await screen.findByTestId('sign-out'));
    expect(await screen.findByTestId('sign-in-button')).toBeInTheDocument();
    expect(screen.getByTestId('sign-in-notice')).toHaveTextContent('You are signed out');
    expect(auth.calls).toContain('logout');
    await waitFor(() => expect(fake.store.size).toBe(0));
  });
});

describe('a screen that fails to draw', () => {
  it('shows a page that says so and offers a reload, not a blank window', async () => {
    const fake = signedInFake();
    // A column label that is not text cannot be drawn: React throws while rendering the view.
    const profile = fake.state.providers.find((provider) => provider.connection === 'github')
      ?.views[0];
    const column = profile?.columns[1];
    if (column) column.label = { not: 'text' } as unknown as string;
    const user = userEvent.setup();
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      renderApp(fake);
      await user.click(await screen.findByTestId('nav-account-github'));
      expect(await screen.findByTestId('crashed')).toHaveTextContent(
        'Something went wrong on this screen',
      );
      expect(screen.getByRole('button', { name: 'Reload' })).toBeInTheDocument();
    } finally {
      quiet.mockRestore();
    }
  });
});

describe('language', () => {
  it('follows the computer’s language, and a choice in Settings switches it and is kept', async () => {
    const user = userEvent.setup();
    window.localStorage.clear();
    const languages = vi.spyOn(window.navigator, 'languages', 'get').mockReturnValue(['de-DE']);
    try {
      const first = renderApp(signedInFake());
      expect(await screen.findByRole('heading', { name: 'Verknüpfte Konten' })).toBeInTheDocument();
      expect(document.documentElement.lang).toBe('de');

      await user.click(screen.getByTestId('nav-settings'));
      expect(
        await screen.findByRole('heading', { level: 1, name: 'Einstellungen und Info' }),
      ).toBeInTheDocument();
      const select = screen.getByLabelText('Sprache der App');
      expect(select).toHaveValue('system');
      expect(within(select).getByRole('option', { name: 'Wie dieser Computer (Deutsch)' }));

      await user.selectOptions(select, 'en');
      expect(
        await screen.findByRole('heading', { level: 1, name: 'Settings and about' }),
      ).toBeInTheDocument();
      expect(document.documentElement.lang).toBe('en');
      first.unmount();

      // The next start keeps the choice over the computer's language.
      renderApp(signedInFake());
      expect(await screen.findByRole('heading', { name: 'Linked accounts' })).toBeInTheDocument();
    } finally {
      languages.mockRestore();
      window.localStorage.clear();
    }
  });

  it('speaks the language a managed policy forces, over the computer’s and the user’s choice', async () => {
    window.localStorage.clear();
    window.localStorage.setItem('linkboard.language', 'en');
    const languages = vi.spyOn(window.navigator, 'languages', 'get').mockReturnValue(['en-GB']);
    try {
      const fake = signedInFake();
      fake.state.info.config.language = 'de';
      fake.state.info.sources.language = 'policy';
      renderApp(fake);
      expect(await screen.findByRole('heading', { name: 'Verknüpfte Konten' })).toBeInTheDocument();
      expect(document.documentElement.lang).toBe('de');

      await userEvent.setup().click(screen.getByTestId('nav-settings'));
      const select = await screen.findByLabelText('Sprache der App');
      expect(select).toBeDisabled();
      expect(select).toHaveValue('de');
      expect(select).toHaveAccessibleDescription('Von Ihrer Organisation festgelegt');
      expect(within(screen.getByTestId('config-language')).getByRole('cell', { name: 'Deutsch' }));
      expect(screen.getByTestId('config-language')).toHaveAttribute('data-source', 'policy');
    } finally {
      languages.mockRestore();
      window.localStorage.clear();
    }
  });

  it('says which configuration source set the language when it is not the organisation', async () => {
    window.localStorage.clear();
    const fake = signedInFake();
    fake.state.info.config.language = 'en';
    fake.state.info.sources.language = 'command-line';
    const languages = vi.spyOn(window.navigator, 'languages', 'get').mockReturnValue(['de-DE']);
    try {
      renderApp(fake);
      await userEvent.setup().click(await screen.findByTestId('nav-settings'));
      const select = await screen.findByLabelText('Language of the app');
      expect(select).toBeDisabled();
      expect(select).toHaveValue('en');
      expect(select).toHaveAccessibleDescription('Set by the configuration (Command line)');
      expect(screen.queryByTestId('language-managed')).not.toBeInTheDocument();
    } finally {
      languages.mockRestore();
    }
  });

  it('leaves the select to the user while the configuration sets no language', async () => {
    window.localStorage.clear();
    renderApp(signedInFake());
    await userEvent.setup().click(await screen.findByTestId('nav-settings'));
    const select = await screen.findByLabelText('Language of the app');
    expect(select).toBeEnabled();
    expect(select).not.toHaveAttribute('aria-describedby');
    expect(screen.queryByTestId('language-managed')).not.toBeInTheDocument();
  });
});
