import { useDeferredValue, useId, useMemo, useState } from 'react';
import type { View } from '@linkboard/contract/provider-catalogue';
import { EmptyState } from '../components/EmptyState';
import { useT } from '../i18n/use-t';
import { ListFooter } from './ListFooter';
import { ListTable } from './ListTable';
import type { PageLinks } from './page-links';
import { filterRows, sortRows, type SortOrder } from './table-rows';
import { shownText, useCellFormat } from './use-cell-format';
import type { ViewData } from './use-view-data';
import { drawableColumns } from './view-defaults';

interface ListSectionProps {
  view: View;
  data: Extract<ViewData, { phase: 'list' }>;
  providerName: string;
  onLoadMore: () => void;
  onLoadAll: () => void;
  links: PageLinks;
}

/**
 * A list view's loaded rows: a filter box over them, the table sorted by the column the user
 * picked (the provider's order until then), and the pages still to load.
 */
export function ListSection({
  view,
  data,
  providerName,
  onLoadMore,
  onLoadAll,
  links,
}: ListSectionProps) {
  const { t, intl } = useT();
  const cellFormat = useCellFormat();
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<SortOrder | null>(null);
  const filterId = useId();
  // Typing stays responsive over a thousand rows: the table follows a moment later.
  const deferredQuery = useDeferredValue(query);
  const columns = useMemo(() => drawableColumns(view), [view]);

  const shown = useMemo(() => {
    const matching = filterRows(
      data.rows,
      columns,
      deferredQuery,
      (item, column) => shownText(cellFormat(item, column)),
      intl.locale,
    );
    const column = sort ? columns.find((candidate) => candidate.key === sort.key) : undefined;
    return column && sort ? sortRows(matching, column, sort.direction, intl.locale) : matching;
  }, [data.rows, columns, deferredQuery, cellFormat, intl.locale, sort]);

  const filtering = deferredQuery.trim().length > 0;
  return (
    <>
      <div className="list-toolbar">
        <label className="visually-hidden" htmlFor={filterId}>
          {t('list.filterLabel')}
        </label>
        <input
          id={filterId}
          type="search"
          className="text-input list-toolbar__filter"
          placeholder={t('list.filterPlaceholder')}
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          data-testid="filter"
        />
        {filtering ? (
          <p className="list-toolbar__status muted" aria-live="polite" data-testid="filter-count">
            {t('list.matches', { count: shown.length, total: data.rows.length })}
          </p>
        ) : null}
      </div>
      {shown.length > 0 ? (
        <ListTable
          view={view}
          rows={shown}
          sort={sort}
          links={links}
          onSort={(key) =>
            setSort((current) => ({
              key,
              direction:
                current?.key === key && current.direction === 'ascending'
                  ? 'descending'
                  : 'ascending',
            }))
          }
        />
      ) : (
        <EmptyState title={t('list.noMatches')} testId="no-matches" />
      )}
      <ListFooter
        count={data.rows.length}
        next={data.next}
        more={data.more}
        providerName={providerName}
        onLoadMore={onLoadMore}
        onLoadAll={onLoadAll}
      />
    </>
  );
}
