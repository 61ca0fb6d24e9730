import type { View } from '@linkboard/contract/provider-catalogue';
import { CellValue } from './CellValue';
import { drawableColumns } from './view-defaults';
import { useCatalogueText } from '../i18n/use-t';

/** An `object` view: one record, its fields as a definition list. */
export function ObjectView({ view, record }: { view: View; record: unknown }) {
  const catalogueText = useCatalogueText();
  return (
    <dl className="object-view" data-testid="object-view">
      {drawableColumns(view).map((column) => (
        <div className="object-view__row" key={column.key}>
          <dt>{catalogueText(column.label)}</dt>
          <dd>
            <CellValue item={record} column={column} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
