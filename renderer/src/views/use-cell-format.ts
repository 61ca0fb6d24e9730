import { useCallback } from 'react';
import type { ViewColumn } from '@linkboard/contract/provider-catalogue';
import { useT } from '../i18n/use-t';
import { readFirstPresent } from './dot-path';
import { formatValue, type FormattedValue } from './format-value';

/** A cell's value as the app shows it, in the app's language and the computer's formats. */
export function useCellFormat(): (item: unknown, column: ViewColumn) => FormattedValue {
  const { t, intl } = useT();
  const yes = t('common.yes');
  const no = t('common.no');
  const locale = intl.locale;
  return useCallback(
    (item, column) =>
      formatValue(readFirstPresent(item, [column.key, ...column.fallbackKeys]), column.format, {
        locale,
        booleanWords: { yes, no },
      }),
    [locale, yes, no],
  );
}

/** The text a formatted cell shows (what a filter matches). */
export function shownText(formatted: FormattedValue): string {
  return formatted.kind === 'empty' ? '' : formatted.text;
}
