import type { View } from '@linkboard/contract/provider-catalogue';
import { CellValue } from './CellValue';
import { drawableColumns } from './view-defaults';
import { readDotPath } from './dot-path';
import { ProviderImage } from '../components/ProviderImage';
import { initialsOf } from '../auth/profile';
import { useCatalogueText, useT } from '../i18n/use-t';
import type { PageLinks } from './page-links';

/** An `object` view: one record, its fields as a definition list. */
export function ObjectView({
  connection,
  view,
  record,
  links,
  copy,
}: {
  connection: string;
  view: View;
  record: unknown;
  links: PageLinks;
  copy: (url: string) => void;
}) {
  const catalogueText = useCatalogueText();
  const { t } = useT();
  const url = links.pageOf(record);
  const columns = drawableColumns(view);
  const portrait = portraitOf(view, record);
  return (
    <>
      {portrait || url ? (
        <div className="object-header">
          {portrait ? (
            <ProviderImage
              connection={connection}
              url={portrait}
              initials={initialsOf(firstText(columns, record))}
            />
          ) : null}
          {url ? (
            <div className="object-actions">
              <button
                type="button"
                className="button button--secondary"
                onClick={() => links.open(url)}
                data-testid="open-page"
              >
                {links.openLabel}
              </button>
              <button
                type="button"
                className="button button--ghost"
                onClick={() => copy(url)}
                data-testid="copy-link"
              >
                {t('web.copyLink')}
              </button>
            </div>
          ) : null}
        </div>
      ) : null}
      <dl className="object-view" data-testid="object-view">
        {columns.map((column) => (
          <div className="object-view__row" key={column.key}>
            <dt>{catalogueText(column.label)}</dt>
            <dd>
              <CellValue item={record} column={column} />
            </dd>
          </div>
        ))}
      </dl>
    </>
  );
}

/** The record's first image (the view's first `image` column with a value), if any. */
function portraitOf(view: View, record: unknown): string | null {
  for (const column of view.columns) {
    if (column.format !== 'image') continue;
    const value = readDotPath(record, column.key);
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}

/** The first text value of the record, for the initials shown when the image is missing. */
function firstText(columns: View['columns'], record: unknown): string {
  for (const column of columns) {
    const value = readDotPath(record, column.key);
    if (column.format === 'text' && typeof value === 'string' && value !== '') return value;
  }
  return '';
}
