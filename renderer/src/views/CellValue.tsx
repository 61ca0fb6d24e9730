import type { ViewColumn } from '@linkboard/contract/provider-catalogue';
import { useT } from '../i18n/use-t';
import { useCellFormat } from './use-cell-format';

/**
 * One value of a view, read by the column's dot path (then its fallbacks) and formatted. URLs are
 * shown as text with the full address as a tooltip: the app window never navigates.
 */
export function CellValue({ item, column }: { item: unknown; column: ViewColumn }) {
  const { t } = useT();
  const formatted = useCellFormat()(item, column);
  switch (formatted.kind) {
    case 'empty':
      return (
        <span className="cell-empty" aria-label={t('common.none')}>
          —
        </span>
      );
    case 'boolean':
      return (
        <span className={`cell-boolean cell-boolean--${formatted.value ? 'yes' : 'no'}`}>
          {formatted.text}
        </span>
      );
    case 'url':
      return (
        <span className="cell-url" title={formatted.href}>
          {formatted.text}
        </span>
      );
    case 'text':
      return formatted.title ? (
        <time dateTime={formatted.title}>{formatted.text}</time>
      ) : (
        <>{formatted.text}</>
      );
  }
}
