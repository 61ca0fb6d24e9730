import { useCallback } from 'react';
import { useIntl } from 'react-intl';
import { useLanguage } from './I18nProvider';
import { CATALOGUE_TEXT } from './locale';
import type { Message, MessageValues } from './message';
import type { MessageId } from './messages-en';

/**
 * The current language's text for a message id (a typo is a compile error), and for a `Message`
 * decided outside React.
 */
export function useT() {
  const intl = useIntl();
  const t = useCallback(
    (id: MessageId, values?: MessageValues): string => intl.formatMessage({ id }, values),
    [intl],
  );
  const text = useCallback(
    (message: Message): string => intl.formatMessage({ id: message.id }, message.values),
    [intl],
  );
  return { t, text, intl };
}

/** A text from the provider catalogue (a view title, a column label) in the current language. */
export function useCatalogueText(): (english: string) => string {
  const { locale } = useLanguage();
  return useCallback(
    (english: string) => {
      const table = CATALOGUE_TEXT[locale];
      return Object.prototype.hasOwnProperty.call(table, english)
        ? (table[english] ?? english)
        : english;
    },
    [locale],
  );
}
