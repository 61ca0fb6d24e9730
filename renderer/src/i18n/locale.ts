import { APP_LANGUAGES, type AppLanguage } from '@linkboard/contract/desktop';
import type { ConfigSource } from '@linkboard/contract/ipc';
import { catalogueTextDe } from './catalogue-text';
import { de } from './messages-de';
import { en, type MessageId } from './messages-en';

export type { MessageId } from './messages-en';

/** The languages the app speaks, each complete. */
export const LOCALES = APP_LANGUAGES;
export type Locale = AppLanguage;

/** The user's choice in Settings: a language, or whatever the computer is set to. */
export type LanguageSetting = Locale | 'system';

/**
 * A language the configuration sets (the `language` key): it wins over the computer's and the
 * user's choice. `source` says who set it; `policy` is the organisation.
 */
export interface ConfiguredLanguage {
  locale: Locale;
  source: ConfigSource;
}

export const MESSAGES: Record<Locale, Record<MessageId, string>> = { en, de };

/** The catalogue's English texts in each language; English is the catalogue itself. */
export const CATALOGUE_TEXT: Record<Locale, Readonly<Record<string, string>>> = {
  en: {},
  de: catalogueTextDe,
};

/** Each language's name in itself, as the language menu lists it. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', de: 'Deutsch' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The first of the computer's preferred languages (`navigator.languages`, e.g. `de-AT`) that the app
 * speaks, by its primary subtag; English when none is.
 */
export function pickLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split(/[-_]/)[0];
    if (isLocale(primary)) return primary;
  }
  return 'en';
}

/**
 * The locale dates and numbers are formatted in: the computer's own (e.g. `en-GB`, `de-AT`) when it
 * is of the language the app speaks, so its regional formats are kept; else the language alone.
 */
export function formattingLocale(locale: Locale, preferred = systemLanguages()): string {
  const match = preferred.find((tag) => tag.toLowerCase().split(/[-_]/)[0] === locale);
  if (!match) return locale;
  try {
    return Intl.getCanonicalLocales(match)[0] ?? locale;
  } catch {
    return locale;
  }
}

/**
 * The language the page speaks now, as `I18nProvider` sets it on `<html lang>`: for main, whose
 * page after the sign-in redirect speaks it too. Outside the provider, nothing.
 */
export function pageLanguage(): { language?: Locale } {
  const lang = typeof document === 'undefined' ? null : document.documentElement.lang;
  return isLocale(lang) ? { language: lang } : {};
}

/** What the computer's page says it prefers, most preferred first. */
export function systemLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages.length > 0 ? navigator.languages : [navigator.language];
}
