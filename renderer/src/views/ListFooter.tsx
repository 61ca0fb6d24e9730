import type { NextPage } from '@linkboard/contract/ipc';
import { ErrorPanel } from '../components/ErrorPanel';
import { Spinner } from '../components/Spinner';
import type { MoreState } from './use-view-data';

interface ListFooterProps {
  count: number;
  next: NextPage | null;
  more: MoreState;
  providerName: string;
  onLoadMore: () => void;
}

/** How many rows are shown, and "Load more" while the broker says there is a next page. */
export function ListFooter({ count, next, more, providerName, onLoadMore }: ListFooterProps) {
  const noun = count === 1 ? 'item' : 'items';
  return (
    <div className="list-footer">
      {more.status === 'error' ? (
        <ErrorPanel error={more.error} providerName={providerName} onRetry={onLoadMore} compact />
      ) : null}
      <div className="list-footer__bar">
        <p className="list-footer__count" aria-live="polite" data-testid="row-count">
          {next ? `Showing ${count} ${noun}` : `All ${count} ${noun} shown`}
        </p>
        {next && more.status !== 'error' ? (
          <button
            type="button"
            className="button button--secondary"
            onClick={onLoadMore}
            disabled={more.status === 'loading'}
            aria-busy={more.status === 'loading'}
            data-testid="load-more"
          >
            {more.status === 'loading' ? (
              <>
                <Spinner /> Loading…
              </>
            ) : (
              'Load more'
            )}
          </button>
        ) : null}
      </div>
    </div>
  );
}
