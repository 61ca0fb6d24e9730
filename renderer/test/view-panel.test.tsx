import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { BrokerResponse, IpcResult } from '@linkboard/contract/ipc';
import type { View } from '@linkboard/contract/provider-catalogue';
import { providerPageOf } from '../src/views/provider-page';
import { PROVIDER_PAGE_STATUS_MS } from '../src/views/use-provider-page';
import { ViewPanel } from '../src/views/ViewPanel';
import { createFakeLinkboard, type FakeLinkboard } from '../dev/fake-linkboard';
import { SEED_PROVIDERS } from '../dev/seed-catalogue';
import { renderSignedIn } from './helpers/render-app';

function seedView(connection: string, id: string): View {
  const view = SEED_PROVIDERS.find((entry) => entry.connection === connection)?.views.find(
    (candidate) => candidate.id === id,
  );
  if (!view) throw new Error(`no seeded view ${connection}/${id}`);
  return view;
}

const repositories = seedView('github', 'repositories');
const profile = seedView('github', 'profile');
const events = seedView('google-oauth2', 'upcoming-events');

function renderView(
  view: View,
  fake: FakeLinkboard = createFakeLinkboard(),
  connection = 'github',
) {
  const providerName = connection === 'github' ? 'GitHub' : 'Google';
  return renderSignedIn(
    <ViewPanel connection={connection} providerName={providerName} view={view} />,
    fake,
  );
}

const requests = (fake: FakeLinkboard) =>
  fake.calls.filter((call) => call.channel === 'broker:request').map((call) => call.payload);

function rowNames(): string[] {
  return screen
    .getAllByTestId('list-row')
    .map((row) => within(row).getAllByRole('rowheader')[0]?.textContent ?? '');
}

describe('ViewPanel', () => {
  it('shows a skeleton while the first page loads, then the table', async () => {
    const fake = createFakeLinkboard();
    let answer: (result: IpcResult<BrokerResponse>) => void = () => undefined;
    const original = fake.broker.request;
    fake.broker.request = (request) => {
      fake.calls.push({ channel: 'broker:request', payload: request });
      return new Promise((resolve) => {
        answer = resolve;
      });
    };
    await renderView(repositories, fake);
    expect(await screen.findByRole('status')).toHaveTextContent('Loading repositories…');
    expect(screen.queryByTestId('list-table')).not.toBeInTheDocument();

    answer(
      await original({
        connection: 'github',
        path: '/user/repos',
        query: {},
        accessToken: 'x'.repeat(20),
      }),
    );
    expect(await screen.findByTestId('list-table')).toBeInTheDocument();
    expect(screen.queryByTestId('loading')).not.toBeInTheDocument();
  });

  it('draws a list view from its columns: headers, row headers, formats', async () => {
    await renderView(repositories);
    const table = await screen.findByRole('table', { name: 'Repositories' });
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((header) => header.textContent);
    expect(headers).toEqual(['Name', 'Description', 'Language', 'Stars', 'Private', 'Updated']);
    const first = screen.getAllByTestId('list-row')[0];
    if (!first) throw new Error('no rows');
    expect(within(first).getByRole('rowheader')).toHaveTextContent(
      'ada-lovelace/analytical-engine',
    );
    expect(first).toHaveTextContent('765');
    expect(within(first).getByText('No')).toBeInTheDocument();
    expect(first.querySelector('time')?.getAttribute('datetime')).toBe('2026-11-20T10:00:00.000Z');
  });

  it("loads more pages until every item is listed once, following the broker's next page", async () => {
    const user = userEvent.setup();
    const fake = createFakeLinkboard({ repositoryCount: 45, overlappingPages: true });
    await renderView(repositories, fake);
    await screen.findByTestId('list-table');
    expect(screen.getByTestId('row-count')).toHaveTextContent('Showing 20 items');

    await user.click(screen.getByTestId('load-more'));
    await waitFor(() =>
      expect(screen.getByTestId('row-count')).toHaveTextContent('Showing 40 items'),
    );
    await user.click(screen.getByTestId('load-more'));
    await waitFor(() =>
      expect(screen.getByTestId('row-count')).toHaveTextContent('All 45 items shown'),
    );
    expect(screen.queryByTestId('load-more')).not.toBeInTheDocument();

    const names = rowNames();
    expect(names).toHaveLength(45);
    expect(new Set(names).size).toBe(45);
    expect(requests(fake)).toEqual([
      { connection: 'github', path: '/user/repos', query: { per_page: '20', sort: 'full_name' } },
      {
        connection: 'github',
        path: '/user/repos',
        query: { per_page: '20', sort: 'full_name', page: '2' },
      },
      {
        connection: 'github',
        path: '/user/repos',
        query: { per_page: '20', sort: 'full_name', page: '3' },
      },
    ]);
  });

  it('pages with the keyboard alone, and keeps the focus when the last page arrives', async () => {
    const user = userEvent.setup();
    await renderView(repositories, createFakeLinkboard({ repositoryCount: 45 }));
    await screen.findByTestId('list-table');
    screen.getByTestId('load-more').focus();
    await user.keyboard('{Enter}');
    await waitFor(() =>
      expect(screen.getByTestId('row-count')).toHaveTextContent('Showing 40 items'),
    );
    expect(screen.getByTestId('load-more')).toHaveFocus();
    await user.keyboard('{Enter}');
    await waitFor(() =>
      expect(screen.getByTestId('row-count')).toHaveTextContent('All 45 items shown'),
    );
    expect(screen.getByTestId('row-count')).toHaveFocus();
  });

  it('sorts by any column from its header, by click or keyboard, numbers by value', async () => {
    const user = userEvent.setup();
    await renderView(repositories, createFakeLinkboard({ repositoryCount: 20 }));
    const table = await screen.findByTestId('list-table');
    const stars = () =>
      screen
        .getAllByTestId('list-row')
        .map((row) => Number(row.querySelector('td.col--number')?.textContent?.replace(/\D/g, '')));
    const header = (name: string) => within(table).getByRole('columnheader', { name });
    expect(header('Stars')).toHaveAttribute('aria-sort', 'none');

    await user.click(within(header('Stars')).getByRole('button'));
    expect(header('Stars')).toHaveAttribute('aria-sort', 'ascending');
    const ascending = stars();
    expect(ascending).toHaveLength(20);
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    expect(new Set(ascending).size).toBeGreaterThan(10);

    // The keyboard alone: the focused header button, Enter again, turns the order round.
    expect(within(header('Stars')).getByRole('button')).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(header('Stars')).toHaveAttribute('aria-sort', 'descending');
    expect(stars()).toEqual([...ascending].reverse());

    await user.click(within(header('Name')).getByRole('button'));
    expect(header('Stars')).toHaveAttribute('aria-sort', 'none');
    const names = rowNames();
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
  });

  it('filters the loaded rows by what they show, and says how many match', async () => {
    const user = userEvent.setup();
    await renderView(repositories, createFakeLinkboard({ repositoryCount: 20 }));
    await screen.findByTestId('list-table');
    await user.type(screen.getByRole('searchbox', { name: 'Filter the loaded rows' }), 'rust');
    await waitFor(() =>
      expect(screen.getByTestId('filter-count')).toHaveTextContent(/of 20 match/),
    );
    const rows = screen.getAllByTestId('list-row');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(20);
    for (const row of rows) expect(row).toHaveTextContent(/Rust/);
    expect(screen.getByTestId('filter-count')).toHaveTextContent(`${rows.length} of 20`);

    await user.clear(screen.getByTestId('filter'));
    await user.type(screen.getByTestId('filter'), 'no such thing');
    expect(await screen.findByTestId('no-matches')).toBeInTheDocument();
    // The count of loaded rows and the way to load more stay.
    expect(screen.getByTestId('row-count')).toHaveTextContent('All 20 items shown');
  });

  it('"Load all" follows every next page by keyboard, then the filter covers every row', async () => {
    const user = userEvent.setup();
    const fake = createFakeLinkboard({ repositoryCount: 45, overlappingPages: true });
    await renderView(repositories, fake);
    await screen.findByTestId('list-table');
    screen.getByTestId('load-all').focus();
    await user.keyboard('{Enter}');
    await waitFor(() =>
      expect(screen.getByTestId('row-count')).toHaveTextContent('All 45 items shown'),
    );
    expect(requests(fake)).toHaveLength(3);
    expect(new Set(rowNames()).size).toBe(45);
    expect(screen.queryByTestId('load-all')).not.toBeInTheDocument();
    expect(screen.getByTestId('row-count')).toHaveFocus();

    await user.type(screen.getByTestId('filter'), 'engine');
    await waitFor(() =>
      expect(screen.getByTestId('filter-count')).toHaveTextContent(/of 45 match/),
    );
  });

  it("opens a row's provider page by click or Enter, and copies its link from the context menu", async () => {
    const user = userEvent.setup();
    const fake = createFakeLinkboard({ repositoryCount: 3 });
    await renderView(repositories, fake);
    await screen.findByTestId('list-table');
    const links = screen.getAllByTestId('row-link');
    expect(links).toHaveLength(3);
    const pageCalls = () =>
      fake.calls.filter((call) => call.channel.startsWith('web:')).map((call) => call);

    await user.click(links[0]!);
    links[1]!.focus();
    await user.keyboard('{Enter}');
    expect(pageCalls()).toEqual([
      {
        channel: 'web:open',
        payload: { connection: 'github', url: 'https://github.com/ada-lovelace/analytical-engine' },
      },
      {
        channel: 'web:open',
        payload: { connection: 'github', url: 'https://github.com/ada-lovelace/bernoulli-numbers' },
      },
    ]);

    await user.pointer({ keys: '[MouseRight]', target: links[2]! });
    const menu = await screen.findByRole('menu', { name: 'GitHub page' });
    expect(within(menu).getByRole('menuitem', { name: 'Open in GitHub' })).toHaveFocus();
    await user.keyboard('{ArrowDown}{Enter}');
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
    expect(pageCalls()[2]).toEqual({
      channel: 'web:copy',
      payload: { connection: 'github', url: 'https://github.com/ada-lovelace/linkboard-plugins' },
    });
    expect(await screen.findByTestId('page-link-status')).toHaveTextContent('Link copied.');
    expect(links[2]).toHaveFocus();
  });

  it('lets the status, which floats over the table, go after a while', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
      await renderView(repositories, createFakeLinkboard({ repositoryCount: 2 }));
      await screen.findByTestId('list-table');
      await user.pointer({ keys: '[MouseRight]', target: screen.getAllByTestId('row-link')[0]! });
      await user.click(await screen.findByRole('menuitem', { name: 'Copy link' }));
      const status = await screen.findByTestId('page-link-status');
      await waitFor(() => expect(status).toHaveTextContent('Link copied.'));
      act(() => vi.advanceTimersByTime(PROVIDER_PAGE_STATUS_MS - 100));
      expect(status).toHaveTextContent('Link copied.');
      act(() => vi.advanceTimersByTime(200));
      expect(status).toBeEmptyDOMElement();
    } finally {
      vi.useRealTimers();
    }
  });

  it('says so when main refuses a provider page, and offers none for a non-https value', async () => {
    const user = userEvent.setup();
    const fake = createFakeLinkboard({ repositoryCount: 2 });
    fake.web.open = async () => ({
      ok: false,
      error: { code: 'url_not_allowed', message: 'Refused.' },
    });
    await renderView(repositories, fake);
    await screen.findByTestId('list-table');
    await user.click(screen.getAllByTestId('row-link')[0]!);
    expect(await screen.findByTestId('page-link-status')).toHaveTextContent(
      "Linkboard didn't open this link: it isn't on GitHub's own website.",
    );

    expect(providerPageOf(repositories, { html_url: 'javascript:alert(1)' })).toBeUndefined();
    expect(providerPageOf(repositories, { html_url: 'http://github.com/x' })).toBeUndefined();
    expect(providerPageOf({}, { html_url: 'https://github.com/x' })).toBeUndefined();
  });

  it('keeps the rows and offers a retry when a next page fails', async () => {
    const user = userEvent.setup();
    const fake = createFakeLinkboard();
    await renderView(repositories, fake);
    await screen.findByTestId('list-table');
    fake.state.brokerDown = true;
    await user.click(screen.getByTestId('load-more'));
    const panel = await screen.findByTestId('error-panel');
    expect(panel).toHaveTextContent("Linkboard can't reach its service right now");
    expect(screen.getAllByTestId('list-row')).toHaveLength(20);

    fake.state.brokerDown = false;
    await user.click(within(panel).getByTestId('error-retry'));
    await waitFor(() => expect(screen.getAllByTestId('list-row')).toHaveLength(40));
    expect(screen.queryByTestId('error-panel')).not.toBeInTheDocument();
  });

  it("shows the view's empty text when there are no items", async () => {
    await renderView(repositories, createFakeLinkboard({ repositoryCount: 0 }));
    expect(await screen.findByTestId('empty-state')).toHaveTextContent('No repositories.');
    expect(screen.queryByTestId('list-table')).not.toBeInTheDocument();
  });

  it('draws an object view as a definition list, URLs as text, its image from the app origin', async () => {
    await renderView(profile);
    const list = await screen.findByTestId('object-view');
    const terms = within(list)
      .getAllByRole('term')
      .map((term) => term.textContent);
    expect(terms).toEqual(['Login', 'Name', 'Company', 'Public repositories', 'Page', 'Joined']);
    expect(list).toHaveTextContent('ada-lovelace');
    expect(list).toHaveTextContent('github.com/ada-lovelace');
    expect(list.querySelector('a, img')).toBeNull();
    // The avatar is asked of main's protocol on the page's own origin, never of the provider.
    const image = screen.getByTestId('provider-image');
    expect(image.getAttribute('src')).toBe(
      `/_images/github?url=${encodeURIComponent('https://avatars.githubusercontent.com/u/583231?v=4')}`,
    );
  });

  it('shows the initials when main has no image to give', async () => {
    await renderView(profile);
    const image = await screen.findByTestId('provider-image');
    fireEvent.error(image);
    expect(screen.queryByTestId('provider-image')).not.toBeInTheDocument();
    expect(document.querySelector('.object-header .avatar')).toHaveTextContent('AL');
  });

  it('shows the view kept from the last start at once, "as of" its time, while fresh data loads', async () => {
    const fake = createFakeLinkboard();
    const first = await renderView(repositories, fake);
    await screen.findByTestId('list-table');
    const shownBefore = rowNames();
    await waitFor(() => expect(fake.calls.some((call) => call.channel === 'views:set')).toBe(true));
    first.unmount();

    // The next start: the broker cannot be reached, the kept page shows with its time.
    fake.state.brokerDown = true;
    await renderView(repositories, fake);
    expect(await screen.findByTestId('as-of')).toHaveTextContent(/^As of \d{2}:\d{2}( [AP]M)?$/);
    expect(rowNames()).toEqual(shownBefore);
    // Fresh data cannot be had: what went wrong shows above the kept rows, which stay.
    expect(await screen.findByTestId('error-panel')).toHaveTextContent(/reach|broker/i);
    expect(rowNames()).toEqual(shownBefore);

    // The broker is back: a refresh replaces the kept page, and the time goes.
    fake.state.brokerDown = false;
    await userEvent.click(screen.getByTestId('refresh'));
    await waitFor(() => expect(screen.queryByTestId('as-of')).not.toBeInTheDocument());
    expect(screen.queryByTestId('error-panel')).not.toBeInTheDocument();
    expect(rowNames()).toEqual(shownBefore);
  });

  it('keeps nothing for another user and nothing after sign-out', async () => {
    const fake = createFakeLinkboard();
    const first = await renderView(repositories, fake);
    await screen.findByTestId('list-table');
    await waitFor(() => expect(fake.calls.some((call) => call.channel === 'views:set')).toBe(true));
    first.unmount();
    await first.controller.signOut();
    fake.state.brokerDown = true;
    await renderView(repositories, fake);
    expect(await screen.findByTestId('error-panel')).toBeInTheDocument();
    expect(screen.queryByTestId('as-of')).not.toBeInTheDocument();
  });

  it('says what happened and retries after an error', async () => {
    const user = userEvent.setup();
    const fake = createFakeLinkboard({
      failures: {
        'github/user/repos': {
          code: 'idp_reauth_required',
          message: 'Bad credentials',
          status: 401,
        },
      },
    });
    await renderView(repositories, fake);
    const panel = await screen.findByTestId('error-panel');
    expect(panel).toHaveAttribute('data-error-code', 'idp_reauth_required');
    expect(panel).toHaveTextContent(
      'Your GitHub link has expired — sign in with GitHub again to reconnect it',
    );
    fake.state.failures = {};
    await user.click(screen.getByTestId('error-retry'));
    expect(await screen.findByTestId('list-table')).toBeInTheDocument();
  });

  it('makes the user wait out a rate limit before retrying', async () => {
    const fake = createFakeLinkboard({
      failures: {
        'github/user/repos': {
          code: 'upstream_rate_limited',
          message: 'Slow down',
          status: 429,
          retryAfter: 30,
        },
      },
    });
    await renderView(repositories, fake);
    const retry = await screen.findByTestId('error-retry');
    expect(retry).toBeDisabled();
    expect(retry).toHaveTextContent('Retry in 30s');
    expect(screen.getByTestId('error-detail')).toHaveTextContent('try again in 30 seconds');
  });

  it('refreshes in place', async () => {
    const user = userEvent.setup();
    const fake = createFakeLinkboard({ repositoryCount: 3 });
    await renderView(repositories, fake);
    await waitFor(() => expect(screen.getAllByTestId('list-row')).toHaveLength(3));
    fake.state.repositoryCount = 5;
    await user.click(screen.getByTestId('refresh'));
    await waitFor(() => expect(screen.getAllByTestId('list-row')).toHaveLength(5));
    expect(screen.getByTestId('row-count')).toHaveTextContent('All 5 items shown');
  });

  it('sends {{now}} as the current time and reads items from itemsPath, with fallback keys', async () => {
    const fake = createFakeLinkboard();
    const before = Date.now();
    await renderView(events, fake, 'google-oauth2');
    await screen.findByTestId('list-table');
    const query = (requests(fake)[0] as { query: Record<string, string> }).query;
    expect(Date.parse(query.timeMin ?? '')).toBeGreaterThanOrEqual(before - 1000);
    expect(query).toMatchObject({ singleEvents: 'true', orderBy: 'startTime' });
    expect(rowNames()).toEqual([
      'Engine design review',
      'Lunch with Charles',
      'Royal Society lecture',
      'Holiday',
    ]);
    const holiday = screen.getAllByTestId('list-row')[3];
    expect(holiday?.querySelectorAll('td')[0]?.textContent).not.toBe('—');
  });

  it('reports an answer whose shape does not match the view', async () => {
    const fake = createFakeLinkboard();
    fake.broker.request = async () => ({
      ok: true,
      value: { status: 200, data: { nope: 1 }, next: null },
    });
    await renderView(events, fake, 'google-oauth2');
    expect(await screen.findByTestId('error-panel')).toHaveAttribute(
      'data-error-code',
      'broker_bad_response',
    );
  });
});
