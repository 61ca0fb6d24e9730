import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { UpdateState } from '@linkboard/contract/ipc';
import { UpdateSection } from '../src/updates/UpdateSection';
import { createFakeLinkboard, type FakeLinkboard } from '../dev/fake-linkboard';
import { renderSignedIn } from './helpers/render-app';

function fakeWith(updateState: UpdateState, prepare: (fake: FakeLinkboard) => void = () => {}) {
  const fake = createFakeLinkboard({ updateState });
  prepare(fake);
  return fake;
}

async function renderSection(fake: FakeLinkboard) {
  const view = await renderSignedIn(<UpdateSection info={fake.state.info} />, fake);
  const state = await screen.findByTestId('update-state');
  await waitFor(() => expect(state).toHaveAttribute('data-status', fake.state.updateState.status));
  return { ...view, state };
}

describe('settings › updates', () => {
  it.each<[string, UpdateState, RegExp]>([
    [
      'not packaged',
      { status: 'disabled', reason: 'not-packaged' },
      /Off in this development build/,
    ],
    ['never checked', { status: 'idle', lastCheck: 'never' }, /Not checked yet/],
    ['up to date', { status: 'idle', lastCheck: 'up-to-date' }, /Up to date — version 0\.1\.0/],
    ['checking', { status: 'checking' }, /Checking for updates…/],
    [
      'available',
      { status: 'available', version: '0.2.0' },
      /Version 0\.2\.0 is available — it is downloading/,
    ],
    [
      'failed',
      { status: 'error', message: 'net::ERR_NAME_NOT_RESOLVED' },
      /update attempt failed \(net::ERR_NAME_NOT_RESOLVED\)\. Linkboard tries again every few hours; if this keeps happening, check your internet connection or tell your IT department/,
    ],
  ])('says what is happening: %s', async (_name, updateState, text) => {
    const { state } = await renderSection(fakeWith(updateState));
    expect(state).toHaveTextContent(text);
    expect(screen.queryByTestId('install-update')).not.toBeInTheDocument();
  });

  it('shows the download progress', async () => {
    const { state } = await renderSection(
      fakeWith({ status: 'downloading', version: '0.2.0', percent: 42.6 }),
    );
    expect(state).toHaveTextContent('Downloading version 0.2.0… 43%');
    const progress = within(state).getByTestId('update-progress');
    expect(progress).toHaveAccessibleName('Downloading version 0.2.0');
    expect(progress).toHaveAttribute('value', '43');
  });

  it('offers "Restart to install" once the update is downloaded, and asks main to install', async () => {
    const user = userEvent.setup();
    const fake = fakeWith({ status: 'downloaded', version: '0.2.0' });
    const { state } = await renderSection(fake);
    expect(state).toHaveTextContent('Version 0.2.0 is ready — restart Linkboard to install it');
    const button = within(state).getByRole('button', { name: 'Restart to install' });
    await user.click(button);
    expect(fake.calls.map((call) => call.channel)).toContain('app:installUpdate');
    expect(button).toHaveTextContent('Restarting…');
    expect(button).toBeDisabled();
  });

  it('says why when main refuses to install', async () => {
    const user = userEvent.setup();
    const fake = fakeWith({ status: 'downloaded', version: '0.2.0' });
    await renderSection(fake);
    // Main's state moved on (e.g. a newer check began) before the click arrived.
    fake.state.updateState = { status: 'checking' };
    await user.click(screen.getByTestId('install-update'));
    const panel = await screen.findByTestId('error-panel');
    expect(panel).toHaveAttribute('data-error-code', 'update_not_ready');
    expect(panel).toHaveTextContent('No update is ready to install yet');
  });

  it('says when the organisation turned updates off, and that it manages them', async () => {
    const fake = fakeWith({ status: 'disabled', reason: 'turned-off' }, (fake) => {
      fake.state.info.config.updatesEnabled = false;
      fake.state.info.sources.updatesEnabled = 'policy';
      fake.state.info.sources.updateChannel = 'policy';
    });
    const { state } = await renderSection(fake);
    expect(state).toHaveTextContent('Turned off by your organisation.');
    const managed = screen.getByTestId('update-managed');
    expect(managed).toHaveAttribute('data-managed', 'true');
    expect(managed).toHaveTextContent('Managed by your organisation');
    expect(managed).toHaveTextContent(
      'Your organisation sets whether updates are on and the update channel.',
    );
  });

  it('says updates were turned off in the configuration when no policy did it', async () => {
    const fake = fakeWith({ status: 'disabled', reason: 'turned-off' }, (fake) => {
      fake.state.info.config.updatesEnabled = false;
    });
    const { state } = await renderSection(fake);
    expect(state).toHaveTextContent(
      'Turned off: “Automatic updates” is Off in your configuration.',
    );
    expect(state).not.toHaveTextContent('organisation');
    expect(screen.getByTestId('update-managed')).toHaveTextContent(
      'Not managed by your organisation',
    );
  });

  it('follows the state main reports while the section is shown', async () => {
    const fake = fakeWith({ status: 'checking' });
    const { state } = await renderSection(fake);
    fake.state.updateState = { status: 'downloaded', version: '0.2.0' };
    await waitFor(() => expect(state).toHaveAttribute('data-status', 'downloaded'), {
      timeout: 5_000,
    });
    expect(within(state).getByTestId('install-update')).toBeInTheDocument();
  });

  it('says so when main cannot be asked', async () => {
    const fake = createFakeLinkboard();
    fake.app.updateState = async () => ({
      ok: false,
      error: { code: 'internal_error', message: 'The app failed to answer.' },
    });
    await renderSignedIn(<UpdateSection info={fake.state.info} />, fake);
    await waitFor(() =>
      expect(screen.getByTestId('update-state')).toHaveAttribute('data-status', 'unknown'),
    );
    expect(screen.getByTestId('update-state')).toHaveTextContent(
      "Linkboard couldn't tell whether an update is under way",
    );
  });
});
