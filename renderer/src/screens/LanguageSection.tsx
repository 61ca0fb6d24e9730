import { useLanguage } from '../i18n/I18nProvider';
import { isLocale, LOCALE_NAMES, LOCALES } from '../i18n/locale';
import { useT } from '../i18n/use-t';

/** The app's language: the computer's, or one chosen here (kept for the next start). */
export function LanguageSection() {
  const { t } = useT();
  const { setting, systemLocale, choose } = useLanguage();
  return (
    <section className="section" aria-labelledby="language-title">
      <h2 id="language-title" className="section__title">
        {t('settings.language')}
      </h2>
      <div className="field">
        <label className="field__label" htmlFor="language-select">
          {t('settings.languageLabel')}
        </label>
        <select
          id="language-select"
          className="select"
          value={setting}
          onChange={(event) => {
            const chosen = event.target.value;
            choose(isLocale(chosen) ? chosen : 'system');
          }}
          data-testid="language-select"
        >
          <option value="system">
            {t('settings.languageSystem', { language: LOCALE_NAMES[systemLocale] })}
          </option>
          {LOCALES.map((locale) => (
            <option key={locale} value={locale} lang={locale}>
              {LOCALE_NAMES[locale]}
            </option>
          ))}
        </select>
      </div>
    </section>
  );
}
