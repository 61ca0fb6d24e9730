import type { View, ViewColumn } from '@linkboard/contract/provider-catalogue';
import { Glyph } from '../components/Glyph';
import { useCatalogueText } from '../i18n/use-t';
import { CellValue } from './CellValue';
import { menuAnchorOf, type PageLinks } from './page-links';
import { keyColumnOf, type SortOrder } from './table-rows';
import type { ListItem } from './view-page';
import { drawableColumns } from './view-defaults';

interface ListTableProps {
  view: View;
  rows: readonly ListItem[];
  sort: SortOrder | null;
  onSort: (key: string) => void;
  links: PageLinks;
}

/**
 * A `list` view: a table whose columns are the view's, first column as the row header. Each header
 * is a button that sorts by its column. In a narrow window (views.css) the name and the key column
 * stay side by side and the other cells wrap under them, each with its column's label.
 */
export function ListTable({ view, rows, sort, onSort, links }: ListTableProps) {
  const catalogueText = useCatalogueText();
  const columns = drawableColumns(view);
  const [first, ...rest] = columns;
  const key = keyColumnOf(columns);
  const placement = (column: ViewColumn) =>
    column === first ? 'col--name' : column === key ? 'col--key' : 'col--secondary';
  return (
    <div className="table-scroller">
      <table className="list-table list-table--responsive" data-testid="list-table">
        <caption className="visually-hidden">{catalogueText(view.title)}</caption>
        <thead>
          <tr>
            {columns.map((column) => {
              const direction = sort?.key === column.key ? sort.direction : undefined;
              return (
                <th
                  key={column.key}
                  scope="col"
                  className={`col--${column.format} ${placement(column)}`}
                  aria-sort={direction ?? 'none'}
                >
                  <button
                    type="button"
                    className="sort-button"
                    onClick={() => onSort(column.key)}
                    data-testid={`sort-${column.key}`}
                  >
                    {catalogueText(column.label)}
                    <SortGlyph direction={direction} />
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-testid="list-row">
              {first ? (
                <th scope="row" className={`col--${first.format} col--name`}>
                  <NameCell item={row.value} column={first} links={links} />
                </th>
              ) : null}
              {rest.map((column) => (
                <td
                  key={column.key}
                  className={`col--${column.format} ${placement(column)}`}
                  data-label={catalogueText(column.label)}
                >
                  <CellValue item={row.value} column={column} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The row's name; when the provider gives the item a page, a button that opens it in the system
 * browser (click or Enter) and offers "Open in …" and "Copy link" on its context menu.
 */
function NameCell({
  item,
  column,
  links,
}: {
  item: unknown;
  column: ViewColumn;
  links: PageLinks;
}) {
  const url = links.pageOf(item);
  if (!url) return <CellValue item={item} column={column} />;
  return (
    <button
      type="button"
      className="row-link"
      title={links.openLabel}
      onClick={() => links.open(url)}
      onContextMenu={(event) => {
        event.preventDefault();
        links.showMenu(menuAnchorOf(event, url));
      }}
      data-testid="row-link"
    >
      <CellValue item={item} column={column} />
    </button>
  );
}

function SortGlyph({ direction }: { direction: SortOrder['direction'] | undefined }) {
  return (
    <Glyph>
      <path
        d={
          direction === 'ascending'
            ? 'M8 14l4-4 4 4'
            : direction === 'descending'
              ? 'M8 10l4 4 4-4'
              : 'M8 9l4-4 4 4M8 15l4 4 4-4'
        }
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </Glyph>
  );
}
