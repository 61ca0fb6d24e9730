import { useEffect, useState } from 'react';
import type { AppInfo } from '@linkboard/contract/ipc';
import { useLinkboard } from '../api/linkboard-context';
import { LockGlyph } from '../components/LockGlyph';
import { PageHeading } from '../components/PageHeading';
import { UpdateSection } from '../updates/UpdateSection';
import { useT } from '../i18n/use-t';
import { CONFIG_KEYS, describeConfigValue, isConfigSource } from './config-labels';
import { LanguageSection } from './LanguageSection';

/**
 * Version, updates, where each setting comes from (and which ones IT manages), and how sign-in is
 * kept.
 */
export function SettingsScreen({ info: infoAtStart }: { info: AppInfo }) {
  const info = useCurrentInfo(infoAtStart);
  const { t } = useT();
  return (
    <div className="page" data-testid="settings">
      <PageHeading>{t('settings.title')}</PageHeading>

      <section className="section" aria-labelledby="about-title">
        <h2 id="about-title" className="section__title">
          {t('settings.about')}
        </h2>
        <dl className="object-view">
          <div className="object-view__row">
            <dt>{t('settings.application')}</dt>
            <dd data-testid="app-name">{info.name}</dd>
          </div>
          <div className="object-view__row">
            <dt>{t('settings.version')}</dt>
            <dd data-testid="app-version">{info.version}</dd>
          </div>
          <div className="object-view__row">
            <dt>{t('settings.serviceUrl')}</dt>
            <dd data-testid="broker-url">{info.config.brokerUrl}</dd>
          </div>
          <div className="object-view__row">
            <dt>{t('settings.support')}</dt>
            <dd>
              <SupportActions />
            </dd>
          </div>
          <div className="object-view__row">
            <dt>{t('settings.signInRemembered')}</dt>
            <dd data-testid="token-storage" data-storage={info.tokenStorage}>
              {info.tokenStorage === 'keychain'
                ? t('settings.storageKeychain')
                : t('settings.storageMemory')}
            </dd>
          </div>
        </dl>
      </section>

      <LanguageSection />

      <UpdateSection info={info} />

      <section className="section" aria-labelledby="config-title">
        <h2 id="config-title" className="section__title">
          {t('settings.configuration')}
        </h2>
        {/* Focusable: in a narrow window (German labels, 640 px) the table scrolls sideways. */}
        <div className="table-scroller" role="region" aria-labelledby="config-title" tabIndex={0}>
          <table className="list-table settings-table" data-testid="config-table">
            <caption className="visually-hidden">{t('settings.configCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('settings.colSetting')}</th>
                <th scope="col">{t('settings.colValue')}</th>
                <th scope="col">{t('settings.colSource')}</th>
              </tr>
            </thead>
            <tbody>
              {CONFIG_KEYS.map((key) => {
                const source = info.sources[key];
                const managed = source === 'policy';
                return (
                  <tr key={key} data-testid={`config-${key}`} data-source={source ?? 'unknown'}>
                    <th scope="row">{t(`config.${key}`)}</th>
                    <td className="settings-table__value">
                      {describeConfigValue(key, info.config, t)}
                    </td>
                    <td>
                      {managed ? (
                        <span className="badge badge--managed" data-testid="managed-badge">
                          <LockGlyph />
                          {t('source.policy')}
                        </span>
                      ) : (
                        <span className="muted">
                          {isConfigSource(source)
                            ? t(`source.${source}`)
                            : t('settings.sourceUnknown')}
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}

type SupportStatus = 'idle' | 'copied' | 'failed';

/** "Open log folder" and "Copy diagnostics": main does both; the page only says how it went. */
function SupportActions() {
  const linkboard = useLinkboard();
  const { t } = useT();
  const [status, setStatus] = useState<SupportStatus>('idle');
  const run = (action: () => Promise<unknown>, done: SupportStatus) => () => {
    action().then(
      () => setStatus(done),
      () => setStatus('failed'),
    );
  };
  return (
    <>
      <button
        type="button"
        className="button button--secondary"
        data-testid="open-log-folder"
        onClick={run(() => linkboard.app.openLogFolder(), 'idle')}
      >
        {t('settings.openLogFolder')}
      </button>{' '}
      <button
        type="button"
        className="button button--secondary"
        data-testid="copy-diagnostics"
        onClick={run(() => linkboard.app.copyDiagnostics(), 'copied')}
      >
        {t('settings.copyDiagnostics')}
      </button>{' '}
      <span className="muted" data-testid="support-status" aria-live="polite">
        {status === 'copied' ? t('settings.diagnosticsCopied') : null}
        {status === 'failed' ? t('settings.supportFailed') : null}
      </span>
    </>
  );
}

/** Refreshed while Settings is shown, so a policy changed meanwhile shows its values and source. */
const INFO_REFRESH_MS = 5000;

function useCurrentInfo(initial: AppInfo): AppInfo {
  const linkboard = useLinkboard();
  const [info, setInfo] = useState(initial);
  useEffect(() => {
    let shown = true;
    const refresh = () =>
      linkboard.app.info().then(
        (next) => shown && setInfo(next),
        () => undefined,
      );
    void refresh();
    const timer = setInterval(() => void refresh(), INFO_REFRESH_MS);
    return () => {
      shown = false;
      clearInterval(timer);
    };
  }, [linkboard]);
  return info;
}
