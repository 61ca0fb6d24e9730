import type { View } from '@linkboard/contract/provider-catalogue';
import { CellValue } from './CellValue';
import type { ListItem } from './view-page';
import { drawableColumns } from './view-defaults';
import { useCatalogueText } from '../i18n/use-t';

/** A `list` view: a table whose columns are the view's, first column as the row header. */
export function ListTable({ view, rows }: { view: View; rows: readonly ListItem[] }) {
  const catalogueText = useCatalogueText();
  const columns = drawableColumns(view);
  const [first, ...rest] = columns;
  return (
    <div className="table-scroller">
      <table className="list-table" data-testid="list-table">
        <caption className="visually-hidden">{catalogueText(view.title)}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.key} scope="col" className={`col--${column.format}`}>
                {catalogueText(column.label)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-testid="list-row">
              {first ? (
                <th scope="row" className={`col--${first.format}`}>
                  <CellValue item={row.value} column={first} />
                </th>
              ) : null}
              {rest.map((column) => (
                <td key={column.key} className={`col--${column.format}`}>
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
