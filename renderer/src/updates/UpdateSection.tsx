import { useState, type ReactNode } from 'react';
import type { AppInfo, PublicConfigKey, UpdateState } from '@linkboard/contract/ipc';
import { useLinkboard } from '../api/linkboard-context';
import { ErrorPanel } from '../components/ErrorPanel';
import { LockGlyph } from '../components/LockGlyph';
import { Spinner } from '../components/Spinner';
import { useT } from '../i18n/use-t';
import { useUpdateState } from './use-update-state';

/**
 * The update settings a policy can set; `updates.managed.{key}` names each in the sentence
 * "Your organisation sets …".
 */
const UPDATE_KEYS = [
  'updatesEnabled',
  'updateFeedUrl',
  'updateChannel',
] as const satisfies readonly PublicConfigKey[];

type InstallState =
  { status: 'idle' } | { status: 'restarting' } | { status: 'refused'; error: unknown };

/** What the update service is doing, what the user can do about it, and what IT decides. */
export function UpdateSection({ info }: { info: AppInfo }) {
  const linkboard = useLinkboard();
  const view = useUpdateState();
  const [install, setInstall] = useState<InstallState>({ status: 'idle' });
  const { t, intl } = useT();
  const managed = UPDATE_KEYS.filter((key) => info.sources[key] === 'policy');

  async function restartToInstall() {
    setInstall({ status: 'restarting' });
    try {
      // Main quits and installs: when this resolves the app is already going away.
      await linkboard.app.installUpdate();
    } catch (error) {
      setInstall({ status: 'refused', error });
    }
  }

  return (
    <section className="section" aria-labelledby="updates-title" data-testid="update-section">
      <h2 id="updates-title" className="section__title">
        {t('updates.title')}
      </h2>
      <dl className="object-view">
        <div className="object-view__row">
          <dt>{t('updates.status')}</dt>
          <dd
            data-testid="update-state"
            data-status={view.status === 'known' ? view.state.status : view.status}
            aria-live="polite"
          >
            {view.status === 'loading' ? (
              <span className="muted">{t('updates.asking')}</span>
            ) : null}
            {view.status === 'unknown' ? <span>{t('updates.unknown')}</span> : null}
            {view.status === 'known' ? (
              <UpdateStateText state={view.state} info={info}>
                {view.state.status === 'downloaded' ? (
                  <button
                    type="button"
                    className="button button--primary update-status__action"
                    onClick={() => void restartToInstall()}
                    disabled={install.status === 'restarting'}
                    data-testid="install-update"
                  >
                    {install.status === 'restarting'
                      ? t('updates.restarting')
                      : t('updates.restartToInstall')}
                  </button>
                ) : null}
              </UpdateStateText>
            ) : null}
          </dd>
        </div>
        <div className="object-view__row">
          <dt>{t('updates.settings')}</dt>
          <dd data-testid="update-managed" data-managed={managed.length > 0}>
            {managed.length > 0 ? (
              <>
                <span className="badge badge--managed">
                  <LockGlyph />
                  {t('source.policy')}
                </span>{' '}
                <span className="muted">
                  {t('updates.managedBy', {
                    things: intl.formatList(managed.map((key) => t(`updates.managed.${key}`))),
                  })}
                </span>
              </>
            ) : (
              <span className="muted">{t('updates.notManaged')}</span>
            )}
          </dd>
        </div>
      </dl>
      {install.status === 'refused' ? <ErrorPanel error={install.error} compact /> : null}
    </section>
  );
}

function UpdateStateText({
  state,
  info,
  children,
}: {
  state: UpdateState;
  info: AppInfo;
  children?: ReactNode;
}) {
  const { t } = useT();
  switch (state.status) {
    case 'disabled':
      if (state.reason === 'not-packaged') {
        return <span>{t('updates.offDevelopment')}</span>;
      }
      return info.sources.updatesEnabled === 'policy' ? (
        <span>{t('updates.offByPolicy')}</span>
      ) : (
        <span>{t('updates.offByConfig')}</span>
      );
    case 'idle':
      return state.lastCheck === 'up-to-date' ? (
        <span>{t('updates.upToDate', { version: info.version })}</span>
      ) : (
        <span>{t('updates.notChecked')}</span>
      );
    case 'checking':
      return (
        <span className="update-status">
          <Spinner /> {t('updates.checking')}
        </span>
      );
    case 'available':
      return <span>{t('updates.available', { version: state.version })}</span>;
    case 'downloading': {
      const percent = Math.round(state.percent);
      return (
        <span className="update-status">
          <span>{t('updates.downloading', { version: state.version, percent })}</span>
          <progress
            className="update-status__progress"
            max={100}
            value={percent}
            aria-label={t('updates.downloadingLabel', { version: state.version })}
            data-testid="update-progress"
          />
        </span>
      );
    }
    case 'downloaded':
      return (
        <span className="update-status">
          <span>{t('updates.downloaded', { version: state.version })}</span>
          {children}
        </span>
      );
    case 'error':
      return <span>{t('updates.failed', { reason: state.message })}</span>;
  }
}
