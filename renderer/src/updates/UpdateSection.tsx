import { useState, type ReactNode } from 'react';
import type { AppInfo, PublicConfigKey, UpdateState } from '@linkboard/contract/ipc';
import { useLinkboard } from '../api/linkboard-context';
import { ErrorPanel } from '../components/ErrorPanel';
import { LockGlyph } from '../components/LockGlyph';
import { Spinner } from '../components/Spinner';
import { SOURCE_LABELS } from '../screens/config-labels';
import { useUpdateState } from './use-update-state';

/** The update settings a policy can set, as the sentence "Your organisation sets …" names them. */
const UPDATE_KEYS: Array<[PublicConfigKey, string]> = [
  ['updatesEnabled', 'whether updates are on'],
  ['updateFeedUrl', 'where they come from'],
  ['updateChannel', 'the update channel'],
];

type InstallState =
  { status: 'idle' } | { status: 'restarting' } | { status: 'refused'; error: unknown };

/** What the update service is doing, what the user can do about it, and what IT decides. */
export function UpdateSection({ info }: { info: AppInfo }) {
  const linkboard = useLinkboard();
  const view = useUpdateState();
  const [install, setInstall] = useState<InstallState>({ status: 'idle' });
  const managed = UPDATE_KEYS.filter(([key]) => info.sources[key] === 'policy');

  async function restartToInstall() {
    setInstall({ status: 'restarting' });
    try {
      // Main quits and installs: when this resolves the app is already going away.
      await linkboard.updates.install();
    } catch (error) {
      setInstall({ status: 'refused', error });
    }
  }

  return (
    <section className="section" aria-labelledby="updates-title" data-testid="update-section">
      <h2 id="updates-title" className="section__title">
        Updates
      </h2>
      <dl className="object-view">
        <div className="object-view__row">
          <dt>Status</dt>
          <dd
            data-testid="update-state"
            data-status={view.status === 'known' ? view.state.status : view.status}
            aria-live="polite"
          >
            {view.status === 'loading' ? <span className="muted">Asking Linkboard…</span> : null}
            {view.status === 'unknown' ? (
              <span>Linkboard couldn't tell whether an update is under way. Try again later.</span>
            ) : null}
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
                    {install.status === 'restarting' ? 'Restarting…' : 'Restart to install'}
                  </button>
                ) : null}
              </UpdateStateText>
            ) : null}
          </dd>
        </div>
        <div className="object-view__row">
          <dt>Update settings</dt>
          <dd data-testid="update-managed" data-managed={managed.length > 0}>
            {managed.length > 0 ? (
              <>
                <span className="badge badge--managed">
                  <LockGlyph />
                  {SOURCE_LABELS.policy}
                </span>{' '}
                <span className="muted">
                  Your organisation sets {listOf(managed.map(([, words]) => words))}.
                </span>
              </>
            ) : (
              <span className="muted">Not managed by your organisation</span>
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
  switch (state.status) {
    case 'disabled':
      if (state.reason === 'not-packaged') {
        return (
          <span>
            Off in this development build — installed copies of Linkboard update themselves.
          </span>
        );
      }
      return info.sources.updatesEnabled === 'policy' ? (
        <span>
          Turned off by your organisation. Your IT department provides new versions of Linkboard.
        </span>
      ) : (
        <span>Turned off: “Automatic updates” is Off in your configuration.</span>
      );
    case 'idle':
      return state.lastCheck === 'up-to-date' ? (
        <span>Up to date — version {info.version} is the latest.</span>
      ) : (
        <span>Not checked yet — Linkboard checks for updates shortly after it starts.</span>
      );
    case 'checking':
      return (
        <span className="update-status">
          <Spinner /> Checking for updates…
        </span>
      );
    case 'available':
      return (
        <span>Version {state.version} is available — it is downloading in the background.</span>
      );
    case 'downloading': {
      const percent = Math.round(state.percent);
      return (
        <span className="update-status">
          <span>
            Downloading version {state.version}… {percent}%
          </span>
          <progress
            className="update-status__progress"
            max={100}
            value={percent}
            aria-label={`Downloading version ${state.version}`}
            data-testid="update-progress"
          />
        </span>
      );
    }
    case 'downloaded':
      return (
        <span className="update-status">
          <span>
            Version {state.version} is ready — restart Linkboard to install it (or it installs when
            you quit).
          </span>
          {children}
        </span>
      );
    case 'error':
      return (
        <span>
          The last update attempt failed ({state.message}). Linkboard tries again every few hours;
          if this keeps happening, check your internet connection or tell your IT department.
        </span>
      );
  }
}

function listOf(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
