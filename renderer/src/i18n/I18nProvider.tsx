import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { IntlProvider } from 'react-intl';
import { readLanguageSetting, writeLanguageSetting } from './language-setting';
import {
  formattingLocale,
  MESSAGES,
  pickLocale,
  systemLanguages,
  type ConfiguredLanguage,
  type LanguageSetting,
  type Locale,
} from './locale';

interface LanguageState {
  /** What the user chose in Settings. */
  setting: LanguageSetting;
  /** The language the app speaks now. */
  locale: Locale;
  /** The language the computer asks for, which `system` follows. */
  systemLocale: Locale;
  /** The language the configuration forces (often a managed policy), whatever `setting` says. */
  configured: ConfiguredLanguage | null;
  choose: (setting: LanguageSetting) => void;
}

const LanguageContext = createContext<LanguageState | null>(null);

export function useLanguage(): LanguageState {
  const state = useContext(LanguageContext);
  if (!state) throw new Error('useLanguage outside <I18nProvider>');
  return state;
}

/**
 * The app's language: the one the configuration forces, else the Settings choice, else the first
 * of the computer's languages the app speaks. Every text below it comes from that language's messages; dates and numbers are
 * formatted by `Intl` in the same locale.
 */
export function I18nProvider({
  children,
  initialSetting,
  configured = null,
}: {
  children: ReactNode;
  /** Tests and screenshots pass the language; the app reads the stored choice. */
  initialSetting?: LanguageSetting;
  /** The `language` configuration key, once main has said what it is. */
  configured?: ConfiguredLanguage | null;
}) {
  const [setting, setSetting] = useState<LanguageSetting>(
    () => initialSetting ?? readLanguageSetting(),
  );
  const [systemLocale, setSystemLocale] = useState(() => pickLocale(systemLanguages()));
  useEffect(() => {
    const changed = () => setSystemLocale(pickLocale(systemLanguages()));
    window.addEventListener('languagechange', changed);
    return () => window.removeEventListener('languagechange', changed);
  }, []);
  const locale = configured?.locale ?? (setting === 'system' ? systemLocale : setting);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const state = useMemo<LanguageState>(
    () => ({
      setting,
      locale,
      systemLocale,
      configured,
      choose: (next) => {
        writeLanguageSetting(next);
        setSetting(next);
      },
    }),
    [setting, locale, systemLocale, configured],
  );
  return (
    <LanguageContext.Provider value={state}>
      <IntlProvider
        locale={formattingLocale(locale)}
        messages={MESSAGES[locale]}
        defaultLocale="en"
      >
        {children}
      </IntlProvider>
    </LanguageContext.Provider>
  );
}
