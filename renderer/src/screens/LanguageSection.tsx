import { LockGlyph } from '../components/LockGlyph';
import { useLanguage } from '../i18n/I18nProvider';
import { isLocale, LOCALE_NAMES, LOCALES } from '../i18n/locale';
import { useT } from '../i18n/use-t';
import { isConfigSource } from './config-labels';

/**
 * The app's language: the computer's, or one chosen here (kept for the next start) — unless the
 * configuration sets it, which the select then shows, disabled, saying who set it.
 */
export function LanguageSection() {
  const { t } = useT();
  const { setting, systemLocale, configured, choose } = useLanguage();
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
          value={configured ? configured.locale : setting}
          disabled={configured !== null}
          {...(configured ? { 'aria-describedby': 'language-configured' } : {})}
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
        {configured?.source === 'policy' ? (
          <span
            id="language-configured"
            className="badge badge--managed"
            data-testid="language-managed"
          >
            <LockGlyph />
            {t('settings.languageManaged')}
          </span>
        ) : configured ? (
          <span id="language-configured" className="muted" data-testid="language-configured">
            {t('settings.languageConfigured', {
              source: isConfigSource(configured.source)
                ? t(`source.${configured.source}`)
                : t('settings.sourceUnknown'),
            })}
          </span>
        ) : null}
      </div>
    </section>
  );
}
