import type { AppInfo, ConfigSource, PublicConfigKey } from '@linkboard/contract/ipc';
import { LockGlyph } from '../components/LockGlyph';
import { PageHeading } from '../components/PageHeading';
import { UpdateSection } from '../updates/UpdateSection';
import { CONFIG_LABELS, SOURCE_LABELS, describeConfigValue } from './config-labels';

function isConfigSource(value: unknown): value is ConfigSource {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(SOURCE_LABELS, value);
}

/**
 * Version, updates, where each setting comes from (and which ones IT manages), and how sign-in is
 * kept.
 */
export function SettingsScreen({ info }: { info: AppInfo }) {
  const keys = Object.keys(CONFIG_LABELS) as PublicConfigKey[];
  return (
    <div className="page" data-testid="settings">
      <PageHeading>Settings and about</PageHeading>

      <section className="section" aria-labelledby="about-title">
        <h2 id="about-title" className="section__title">
          About
        </h2>
        <dl className="object-view">
          <div className="object-view__row">
            <dt>Application</dt>
            <dd data-testid="app-name">{info.name}</dd>
          </div>
          <div className="object-view__row">
            <dt>Version</dt>
            <dd data-testid="app-version">{info.version}</dd>
          </div>
          <div className="object-view__row">
            <dt>Service URL</dt>
            <dd data-testid="broker-url">{info.config.brokerUrl}</dd>
          </div>
          <div className="object-view__row">
            <dt>Sign-in remembered</dt>
            <dd data-testid="token-storage" data-storage={info.tokenStorage}>
              {info.tokenStorage === 'keychain'
                ? 'Yes — kept encrypted, with its key in your keychain'
                : 'No — kept in memory until you quit'}
            </dd>
          </div>
        </dl>
      </section>

      <UpdateSection info={info} />

      <section className="section" aria-labelledby="config-title">
        <h2 id="config-title" className="section__title">
          Configuration
        </h2>
        <div className="table-scroller">
          <table className="list-table settings-table" data-testid="config-table">
            <caption className="visually-hidden">
              Configuration and where each value comes from
            </caption>
            <thead>
              <tr>
                <th scope="col">Setting</th>
                <th scope="col">Value</th>
                <th scope="col">Source</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => {
                const source = info.sources[key];
                const managed = source === 'policy';
                return (
                  <tr key={key} data-testid={`config-${key}`} data-source={source ?? 'unknown'}>
                    <th scope="row">{CONFIG_LABELS[key]}</th>
                    <td className="settings-table__value">
                      {describeConfigValue(key, info.config)}
                    </td>
                    <td>
                      {managed ? (
                        <span className="badge badge--managed" data-testid="managed-badge">
                          <LockGlyph />
                          {SOURCE_LABELS.policy}
                        </span>
                      ) : (
                        <span className="muted">
                          {isConfigSource(source) ? SOURCE_LABELS[source] : 'Unknown'}
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
