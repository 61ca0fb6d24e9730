import { useCallback, useState } from 'react';
import type { View } from '@linkboard/contract/provider-catalogue';
import { EmptyState } from '../components/EmptyState';
import { ErrorPanel } from '../components/ErrorPanel';
import { Glyph } from '../components/Glyph';
import { Skeleton } from '../components/Skeleton';
import { Spinner } from '../components/Spinner';
import { LinkMenu, type LinkMenuAnchor } from './LinkMenu';
import { ListSection } from './ListSection';
import type { PageLinks } from './page-links';
import { providerPageOf } from './provider-page';
import { useProviderPage } from './use-provider-page';
import { ObjectView } from './ObjectView';
import { useViewData } from './use-view-data';
import { useCatalogueText, useT } from '../i18n/use-t';

interface ViewPanelProps {
  connection: string;
  providerName: string;
  view: View;
}

/** Any catalogue view, drawn from its spec: loading, error, empty, data, next pages, refresh. */
export function ViewPanel({ connection, providerName, view }: ViewPanelProps) {
  const { data, loadMore, loadAll, refresh, retry } = useViewData(connection, view);
  const pages = useProviderPage(connection, providerName);
  const [menu, setMenu] = useState<LinkMenuAnchor | null>(null);
  const closeMenu = useCallback(() => setMenu(null), []);
  const { t, intl } = useT();
  const catalogueText = useCatalogueText();
  const title = catalogueText(view.title);
  // Mid-sentence, an English title is lower case ("Loading repositories…"); German nouns keep theirs.
  const titleInSentence = intl.locale.startsWith('en') ? title.toLowerCase() : title;
  const { text } = useT();
  const links: PageLinks = {
    pageOf: (item) => providerPageOf(view, item),
    open: (url) => void pages.open(url),
    showMenu: setMenu,
    openLabel: t('web.openIn', { name: providerName }),
  };
  const refreshing = (data.phase === 'list' || data.phase === 'object') && data.refreshing;
  const busy = data.phase === 'loading' || refreshing;
  /** Kept data from an earlier start is on screen: when it was saved. */
  const asOf = (data.phase === 'list' || data.phase === 'object') && data.asOf;
  return (
    <section
      aria-busy={busy}
      className="view-panel"
      aria-labelledby={`view-title-${view.id}`}
      data-testid={`view-${view.id}`}
    >
      <header className="view-panel__header">
        <div>
          <h2 id={`view-title-${view.id}`} className="view-panel__title">
            {title}
          </h2>
          {view.description ? (
            <p className="view-panel__description">{catalogueText(view.description)}</p>
          ) : null}
          {asOf ? (
            <p className="view-panel__as-of" data-testid="as-of">
              <time dateTime={asOf}>
                {t('view.asOf', {
                  time: intl.formatTime(new Date(asOf), { hour: '2-digit', minute: '2-digit' }),
                })}
              </time>
            </p>
          ) : null}
        </div>
        <button
          type="button"
          className="button button--ghost"
          onClick={() => {
            if (!busy) void refresh();
          }}
          aria-disabled={busy}
          data-testid="refresh"
        >
          {refreshing ? <Spinner /> : <RefreshGlyph />}
          {refreshing ? t('common.refreshing') : t('common.refresh')}
        </button>
      </header>
      {data.phase === 'loading' ? (
        <Skeleton
          label={t('view.loading', { title: titleInSentence })}
          variant={view.kind === 'list' ? 'table' : 'lines'}
          lines={view.kind === 'list' ? 6 : Math.min(view.columns.length, 6)}
        />
      ) : null}
      {data.phase === 'error' ? (
        <ErrorPanel error={data.error} providerName={providerName} onRetry={() => void retry()} />
      ) : null}
      {(data.phase === 'list' || data.phase === 'object') && data.error !== undefined ? (
        <ErrorPanel
          compact
          error={data.error}
          providerName={providerName}
          onRetry={() => void refresh()}
        />
      ) : null}
      {data.phase === 'object' ? (
        <ObjectView
          connection={connection}
          view={view}
          record={data.record}
          links={links}
          copy={(url) => void pages.copy(url)}
        />
      ) : null}
      {data.phase === 'list' && data.rows.length === 0 ? (
        <EmptyState title={catalogueText(view.emptyText)} />
      ) : null}
      {data.phase === 'list' && data.rows.length > 0 ? (
        <ListSection
          view={view}
          data={data}
          providerName={providerName}
          onLoadMore={() => void loadMore()}
          onLoadAll={() => void loadAll()}
          links={links}
        />
      ) : null}
      <p
        className={`page-link-status${pages.status?.tone === 'error' ? ' page-link-status--error' : ''}`}
        aria-live="polite"
        data-testid="page-link-status"
      >
        {pages.status ? text(pages.status.message) : null}
      </p>
      {menu ? (
        <LinkMenu
          anchor={menu}
          providerName={providerName}
          onOpen={(url) => void pages.open(url)}
          onCopy={(url) => void pages.copy(url)}
          onClose={closeMenu}
        />
      ) : null}
    </section>
  );
}

function RefreshGlyph() {
  return (
    <Glyph>
      <path
        d="M20 11a8 8 0 1 0-2.3 5.7M20 4v7h-7"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </Glyph>
  );
}
