import { useEffect, useRef } from 'react';
import type { NextPage } from '@linkboard/contract/ipc';
import { ErrorPanel } from '../components/ErrorPanel';
import { Spinner } from '../components/Spinner';
import type { MoreState } from './use-view-data';
import { useT } from '../i18n/use-t';

interface ListFooterProps {
  count: number;
  next: NextPage | null;
  more: MoreState;
  providerName: string;
  onLoadMore: () => void;
}

/** How many rows are shown, and "Load more" while the broker says there is a next page. */
export function ListFooter({ count, next, more, providerName, onLoadMore }: ListFooterProps) {
  const { t } = useT();
  const loading = more.status === 'loading';
  const countRef = useRef<HTMLParagraphElement>(null);
  const buttonFocused = useRef(false);

  // When the last page arrives the button goes away: keep keyboard focus nearby, on the count.
  useEffect(() => {
    if (!next && buttonFocused.current) {
      buttonFocused.current = false;
      countRef.current?.focus();
    }
  }, [next]);

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
          <button
            type="button"
            className="button button--secondary"
            // aria-disabled rather than disabled: a disabled button drops the keyboard focus.
            onClick={() => {
              if (!loading) onLoadMore();
            }}
            onFocus={() => {
              buttonFocused.current = true;
            }}
            onBlur={() => {
              buttonFocused.current = false;
            }}
            aria-disabled={loading}
            aria-busy={loading}
            data-testid="load-more"
          >
            {loading ? (
              <>
                <Spinner /> {t('common.loading')}
              </>
            ) : (
              t('list.loadMore')
            )}
          </button>
        ) : null}
      </div>
    </div>
  );
}
