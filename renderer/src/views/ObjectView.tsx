import type { View } from '@linkboard/contract/provider-catalogue';
import { CellValue } from './CellValue';
import { drawableColumns } from './view-defaults';
import { useCatalogueText, useT } from '../i18n/use-t';
import type { PageLinks } from './page-links';

/** An `object` view: one record, its fields as a definition list. */
export function ObjectView({
  view,
  record,
  links,
  copy,
}: {
  view: View;
  record: unknown;
  links: PageLinks;
  copy: (url: string) => void;
}) {
  const catalogueText = useCatalogueText();
  const { t } = useT();
  const url = links.pageOf(record);
  return (
    <>
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
    </>
  );
}
