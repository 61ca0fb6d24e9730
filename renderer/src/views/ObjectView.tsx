import type { View } from '@linkboard/contract/provider-catalogue';
import { CellValue } from './CellValue';
import { drawableColumns } from './view-defaults';

/** An `object` view: one record, its fields as a definition list. */
export function ObjectView({ view, record }: { view: View; record: unknown }) {
  return (
    <dl className="object-view" data-testid="object-view">
      {drawableColumns(view).map((column) => (
        <div className="object-view__row" key={column.key}>
          <dt>{column.label}</dt>
          <dd>
            <CellValue item={record} column={column} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
