import { useCallback, useEffect, useRef, useState } from 'react';
import type { NextPage } from '@linkboard/contract/ipc';
import type { View } from '@linkboard/contract/provider-catalogue';
import { useLinkboard } from '../api/linkboard-context';
import { LinkboardError } from '../api/linkboard-error';
import { useSession, useSessionController } from '../auth/session-context';
import { SessionEndedError } from '../auth/session-controller';
import { resolveQuery } from './resolve-query';
import { appendPage, itemsOf, type ListItem } from './view-page';

/** Further pages: none asked, one page (`all: false`) or every page (`all: true`) under way, or failed. */
export type MoreState =
  { status: 'idle' } | { status: 'loading'; all: boolean } | { status: 'error'; error: unknown };

/**
 * At most this many pages for one "Load all" (1,000 rows at 20 a page): a provider that keeps
 * answering with a next page cannot keep the app loading for ever. The button stays for the rest.
 */
const LOAD_ALL_MAX_PAGES = 50;

/**
 * `asOf`: the data is the one kept from an earlier start, saved then (ISO 8601); fresh data is
 * loading (`refreshing`) or could not be had (`error`, shown above the kept data).
 */
export type ViewData =
  | { phase: 'loading' }
  | { phase: 'error'; error: unknown }
  | { phase: 'object'; record: unknown; refreshing: boolean; asOf?: string; error?: unknown }
  | {
      phase: 'list';
      rows: ListItem[];
      next: NextPage | null;
      more: MoreState;
      refreshing: boolean;
      asOf?: string;
      error?: unknown;
    };

/** What is kept of a view for the next start: its first page as the broker gave it. */
interface KeptFirstPage {
  data: unknown;
  next: NextPage | null;
}

function isKeptFirstPage(value: unknown): value is KeptFirstPage {
  return typeof value === 'object' && value !== null && 'data' in value && 'next' in value;
}

/** The signed-in user's `sub`, whose kept views these are; empty while nobody is signed in. */
function useSubject(): string {
  const { state } = useSession();
  return state.status === 'signed-in' ? state.profile.subject : '';
}

/** The page's items where the catalogue says they are; an answer without them is a bad response. */
function pageItems(view: View, data: unknown): unknown[] {
  const items = itemsOf(view, data);
  if (items) return items;
  throw new LinkboardError({
    code: 'broker_bad_response',
    message: `The answer for "${view.title}" has no list of items where the catalogue says.`,
  });
}

/**
 * Loads one catalogue view through the broker: the first page on mount and on refresh, further
 * pages on "load more", each item shown once. Answers to a request that was superseded (a refresh,
 * another view) are dropped.
 */
export function useViewData(connection: string, view: View) {
  const linkboard = useLinkboard();
  const session = useSessionController();
  const [data, setData] = useState<ViewData>({ phase: 'loading' });
  /** The load whose answer may still be shown; answers to older ones are dropped. */
  const latest = useRef<object | null>(null);

  const subject = useSubject();
  const keptKey = `${connection}/${view.id}`;

  /** The view drawn from a first page, fresh (`asOf` unset) or kept from an earlier start. */
  const firstPageData = useCallback(
    (page: KeptFirstPage, asOf?: string): ViewData => {
      const kept = asOf === undefined ? {} : { asOf };
      if (view.kind === 'object') {
        return { phase: 'object', record: page.data, refreshing: asOf !== undefined, ...kept };
      }
      return {
        phase: 'list',
        rows: appendPage(view, [], pageItems(view, page.data)),
        next: page.next,
        more: { status: 'idle' },
        refreshing: asOf !== undefined,
        ...kept,
      };
    },
    [view],
  );

  /**
   * The view kept from an earlier start, shown at once while nothing else is (instant start); a
   * view that cannot be kept or read is simply loaded.
   */
  const showKept = useCallback(
    async (ticket: object) => {
      if (!subject) return;
      try {
        const { cached } = await linkboard.views.get({ subject, key: keptKey });
        if (!cached || !isKeptFirstPage(cached.data) || latest.current !== ticket) return;
        const kept = firstPageData(cached.data, cached.savedAt);
        setData((previous) => (previous.phase === 'loading' ? kept : previous));
      } catch {
        // Nothing kept, or a kept page that no longer fits the view: the fresh one will do.
      }
    },
    [linkboard, subject, keptKey, firstPageData],
  );

  const fetchFirstPage = useCallback(async () => {
    const ticket = {};
    latest.current = ticket;
    void showKept(ticket);
    try {
      const accessToken = await session.getAccessToken();
      const first = { path: view.path, query: resolveQuery(view.query, new Date()) };
      const response = await linkboard.broker.request({ connection, ...first, accessToken });
      if (latest.current !== ticket) return;
      const page: KeptFirstPage = { data: response.data, next: response.next };
      setData(firstPageData(page));
      if (subject) {
        // Kept for the next start; a view too large to keep is just not kept.
        linkboard.views.set({ subject, key: keptKey, data: page }).catch(() => undefined);
      }
    } catch (error) {
      // A finished session already took the app back to the sign-in screen.
      if (latest.current !== ticket || error instanceof SessionEndedError) return;
      // Kept data stays on screen, with its time, under what went wrong getting fresh data.
      setData((previous) =>
        (previous.phase === 'list' || previous.phase === 'object') && previous.asOf
          ? { ...previous, refreshing: false, error }
          : { phase: 'error', error },
      );
    }
  }, [linkboard, session, connection, view, subject, keptKey, showKept, firstPageData]);

  useEffect(() => {
    void fetchFirstPage();
    return () => {
      latest.current = null;
    };
  }, [fetchFirstPage]);

  /** Follows next pages from the one shown: one page, or (`all`) until the last one. */
  const loadPages = useCallback(
    async (all: boolean) => {
      if (data.phase !== 'list' || !data.next || data.more.status === 'loading') return;
      const ticket = latest.current;
      let next: NextPage | null = data.next;
      setData({ ...data, more: { status: 'loading', all } });
      try {
        const limit = all ? LOAD_ALL_MAX_PAGES : 1;
        for (let pages = 0; next && pages < limit; pages += 1) {
          const accessToken = await session.getAccessToken();
          const response = await linkboard.broker.request({ connection, ...next, accessToken });
          if (latest.current !== ticket) return;
          const items = pageItems(view, response.data);
          const following = response.next;
          next = following;
          setData((previous) =>
            previous.phase === 'list'
              ? { ...previous, rows: appendPage(view, previous.rows, items), next: following }
              : previous,
          );
        }
        setData((previous) =>
          previous.phase === 'list' ? { ...previous, more: { status: 'idle' } } : previous,
        );
      } catch (error) {
        if (latest.current !== ticket || error instanceof SessionEndedError) return;
        setData((previous) =>
          previous.phase === 'list' ? { ...previous, more: { status: 'error', error } } : previous,
        );
      }
    },
    [data, linkboard, session, connection, view],
  );

  const loadMore = useCallback(() => loadPages(false), [loadPages]);
  const loadAll = useCallback(() => loadPages(true), [loadPages]);

  /** Reloads the first page, keeping what is shown until the answer comes. */
  const refresh = useCallback(() => {
    setData((previous) =>
      previous.phase === 'list' || previous.phase === 'object'
        ? { ...previous, refreshing: true }
        : { phase: 'loading' },
    );
    return fetchFirstPage();
  }, [fetchFirstPage]);

  /** After an error: back to the skeleton, then the first page. */
  const retry = useCallback(() => {
    setData({ phase: 'loading' });
    return fetchFirstPage();
  }, [fetchFirstPage]);

  return { data, loadMore, loadAll, refresh, retry };
}
