import { useEffect, useRef } from 'react';
import type { NextPage } from '@linkboard/contract/ipc';
import { ErrorPanel } from '../components/ErrorPanel';
import { Spinner } from '../components/Spinner';
import { useT } from '../i18n/use-t';
import type { MoreState } from './use-view-data';

interface ListFooterProps {
  count: number;
  next: NextPage | null;
  more: MoreState;
  providerName: string;
  onLoadMore: () => void;
  onLoadAll: () => void;
}

/**
 * How many rows are shown, and "Load more" / "Load all" while the broker says there is a next
 * page. While every page loads, the count grows page by page (announced politely).
 */
export function ListFooter({
  count,
  next,
  more,
  providerName,
  onLoadMore,
  onLoadAll,
}: ListFooterProps) {
  const { t } = useT();
  const loading = more.status === 'loading';
  const loadingAll = more.status === 'loading' && more.all;
  const countRef = useRef<HTMLParagraphElement>(null);
  const buttonFocused = useRef(false);

  // When the last page arrives the buttons go away: keep keyboard focus nearby, on the count.
  useEffect(() => {
    if (!next && buttonFocused.current) {
      buttonFocused.current = false;
      countRef.current?.focus();
    }
  }, [next]);

  const focusTracking = {
    onFocus: () => {
      buttonFocused.current = true;
    },
    onBlur: () => {
      buttonFocused.current = false;
    },
  };

  return (
    <div className="list-footer">
      {more.status === 'error' ? (
        <ErrorPanel error={more.error} providerName={providerName} onRetry={onLoadMore} compact />
      ) : null}
      <div className="list-footer__bar">
        <p
          className="list-footer__count"
          aria-live="polite"
          tabIndex={-1}
          ref={countRef}
          data-testid="row-count"
        >
          {next ? t('list.showing', { count }) : t('list.allShown', { count })}
        </p>
        {next && more.status !== 'error' ? (
          <div className="list-footer__actions">
            <button
              type="button"
              className="button button--secondary"
              // aria-disabled rather than disabled: a disabled button drops the keyboard focus.
              onClick={() => {
                if (!loading) onLoadMore();
              }}
              {...focusTracking}
              aria-disabled={loading}
              aria-busy={loading && !loadingAll}
              data-testid="load-more"
            >
              {loading && !loadingAll ? (
                <>
                  <Spinner /> {t('common.loading')}
                </>
              ) : (
                t('list.loadMore')
              )}
            </button>
            <button
              type="button"
              className="button button--ghost"
              onClick={() => {
                if (!loading) onLoadAll();
              }}
              {...focusTracking}
              aria-disabled={loading}
              aria-busy={loadingAll}
              data-testid="load-all"
            >
              {loadingAll ? (
                <>
                  <Spinner /> {t('list.loadingAll')}
                </>
              ) : (
                t('list.loadAll')
              )}
            </button>
          </div>
        ) : null}
      </div>
    </div>
  );
}
