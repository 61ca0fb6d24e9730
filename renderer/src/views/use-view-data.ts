import { useCallback, useEffect, useRef, useState } from 'react';
import type { NextPage } from '@linkboard/contract/ipc';
import type { View } from '@linkboard/contract/provider-catalogue';
import { useLinkboard } from '../api/linkboard-context';
import { LinkboardError } from '../api/linkboard-error';
import { useSessionController } from '../auth/session-context';
import { SessionEndedError } from '../auth/session-controller';
import { resolveQuery } from './resolve-query';
import { appendPage, itemsOf, type ListItem } from './view-page';

export type MoreState =
  { status: 'idle' } | { status: 'loading' } | { status: 'error'; error: unknown };

export type ViewData =
  | { phase: 'loading' }
  | { phase: 'error'; error: unknown }
  | { phase: 'object'; record: unknown; refreshing: boolean }
  | {
      phase: 'list';
      rows: ListItem[];
      next: NextPage | null;
      more: MoreState;
      refreshing: boolean;
    };

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

  const fetchFirstPage = useCallback(async () => {
    const ticket = {};
    latest.current = ticket;
    try {
      const accessToken = await session.getAccessToken();
      const first = { path: view.path, query: resolveQuery(view.query, new Date()) };
      const response = await linkboard.broker.request({ connection, ...first, accessToken });
      if (latest.current !== ticket) return;
      if (view.kind === 'object') {
        setData({ phase: 'object', record: response.data, refreshing: false });
        return;
      }
      setData({
        phase: 'list',
        rows: appendPage(view, [], pageItems(view, response.data)),
        next: response.next,
        more: { status: 'idle' },
        refreshing: false,
      });
    } catch (error) {
      // A finished session already took the app back to the sign-in screen.
      if (latest.current !== ticket || error instanceof SessionEndedError) return;
      setData({ phase: 'error', error });
    }
  }, [linkboard, session, connection, view]);

  useEffect(() => {
    void fetchFirstPage();
    return () => {
      latest.current = null;
    };
  }, [fetchFirstPage]);

  const loadMore = useCallback(async () => {
    if (data.phase !== 'list' || !data.next || data.more.status === 'loading') return;
    const ticket = latest.current;
    const next = data.next;
    setData({ ...data, more: { status: 'loading' } });
    try {
      const accessToken = await session.getAccessToken();
      const response = await linkboard.broker.request({ connection, ...next, accessToken });
      if (latest.current !== ticket) return;
      const items = pageItems(view, response.data);
      setData((previous) =>
        previous.phase === 'list'
          ? {
              ...previous,
              rows: appendPage(view, previous.rows, items),
              next: response.next,
              more: { status: 'idle' },
            }
          : previous,
      );
    } catch (error) {
      if (latest.current !== ticket || error instanceof SessionEndedError) return;
      setData((previous) =>
        previous.phase === 'list' ? { ...previous, more: { status: 'error', error } } : previous,
      );
    }
  }, [data, linkboard, session, connection, view]);

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

  return { data, loadMore, refresh, retry };
}
