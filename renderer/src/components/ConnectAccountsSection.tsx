import { useState } from 'react';
import type { ConnectSnapshot } from '../connect/connect-controller';
import type { ConnectableConnection, ConnectionState } from '../data/connectable-connection';
import { useT } from '../i18n/use-t';
import { ProviderIcon } from './ProviderIcon';

interface ConnectAccountsSectionProps {
  connections: ConnectableConnection[];
  connect: ConnectSnapshot;
  onConnect: (connection: ConnectableConnection) => void;
  onCancel: () => void;
  onDisconnect: (connection: ConnectableConnection) => void;
  onDismiss: () => void;
}

const STATE_BADGE: Record<ConnectionState, string> = {
  connected: 'badge--ready',
  reconnect: 'badge--reconnect_required',
  not_connected: 'badge--token_unavailable',
};

/**
 * The accounts the user can connect from the app, each with its state and what can be done:
 * Connect, Reconnect (a link that expired) or Disconnect, which asks first. While a connect waits
 * for the browser, the row says so and offers Cancel; the other buttons wait.
 */
export function ConnectAccountsSection({
  connections,
  connect,
  onConnect,
  onCancel,
  onDisconnect,
  onDismiss,
}: ConnectAccountsSectionProps) {
  const { t, text } = useT();
  const [confirming, setConfirming] = useState<string | null>(null);
  const busy = connect.state.status !== 'idle';
  const { notice } = connect;
  return (
    <section
      className="section"
      aria-labelledby="connect-accounts-title"
      data-testid="connect-section"
    >
      <div className="section__header">
        <h2 id="connect-accounts-title" className="section__title">
          {t('connect.title')}
        </h2>
      </div>
      <p className="connect__lead">{t('connect.lead')}</p>
      {notice ? (
        <div
          className={`banner banner--${notice.tone === 'error' ? 'error' : 'info'} connect__notice`}
          role={notice.tone === 'error' ? 'alert' : 'status'}
          data-testid="connect-notice"
          data-tone={notice.tone}
        >
          <span>{text(notice.message)}</span>
          <button type="button" className="button button--ghost button--small" onClick={onDismiss}>
            {t('connect.dismiss')}
          </button>
        </div>
      ) : null}
      <ul className="connect__list">
        {connections.map((connection) => {
          const name = connection.displayName;
          const active =
            connect.state.status !== 'idle' && connect.state.connection === connection.connection
              ? connect.state.status
              : null;
          const stateLabel = {
            connected: t('connect.stateConnected'),
            reconnect: t('connect.stateReconnect'),
            not_connected: t('connect.stateNotConnected'),
          }[connection.state];
          return (
            <li
              key={connection.connection}
              className="connect__row"
              data-testid={`connect-row-${connection.connection}`}
              data-state={connection.state}
            >
              <ProviderIcon icon={connection.icon} />
              <span className="connect__name">{name}</span>
              <span className={`badge ${STATE_BADGE[connection.state]}`}>
                <span className="badge__dot" aria-hidden="true" />
                {stateLabel}
              </span>
              <span className="connect__actions">
                {active === 'waiting' ? (
                  <>
                    <span role="status" className="connect__progress">
                      {t('connect.waiting', { name })}
                    </span>
                    <button
                      type="button"
                      className="button button--secondary button--small"
                      onClick={onCancel}
                      data-testid={`connect-cancel-${connection.connection}`}
                    >
                      {t('common.cancel')}
                    </button>
                  </>
                ) : active === 'completing' || active === 'disconnecting' ? (
                  <span role="status" className="connect__progress">
                    {t(active === 'completing' ? 'connect.completing' : 'connect.disconnecting', {
                      name,
                    })}
                  </span>
                ) : confirming === connection.connection ? (
                  <span
                    role="group"
                    aria-labelledby={`confirm-${connection.connection}`}
                    className="connect__confirm"
                    data-testid={`connect-confirm-${connection.connection}`}
                  >
                    <strong id={`confirm-${connection.connection}`}>
                      {t('connect.confirmTitle', { name })}
                    </strong>
                    <span>{t('connect.confirmBody', { name })}</span>
                    <span className="connect__confirm-buttons">
                      <button
                        type="button"
                        className="button button--primary button--small"
                        onClick={() => {
                          setConfirming(null);
                          onDisconnect(connection);
                        }}
                        data-testid={`connect-confirm-yes-${connection.connection}`}
                      >
                        {t('connect.confirmYes')}
                      </button>
                      <button
                        type="button"
                        className="button button--secondary button--small"
                        onClick={() => setConfirming(null)}
                      >
                        {t('connect.confirmNo')}
                      </button>
                    </span>
                  </span>
                ) : (
                  <>
                    {connection.state !== 'connected' ? (
                      <button
                        type="button"
                        className="button button--primary button--small"
                        aria-disabled={busy}
                        onClick={() => {
                          if (!busy) onConnect(connection);
                        }}
                        data-testid={`connect-${connection.connection}`}
                      >
                        {t(
                          connection.state === 'reconnect'
                            ? 'connect.reconnect'
                            : 'connect.connect',
                          { name },
                        )}
                      </button>
                    ) : null}
                    {connection.state !== 'not_connected' ? (
                      <button
                        type="button"
                        className="button button--secondary button--small"
                        aria-disabled={busy}
                        onClick={() => {
                          if (!busy) setConfirming(connection.connection);
                        }}
                        data-testid={`disconnect-${connection.connection}`}
                      >
                        {t('connect.disconnect', { name })}
                      </button>
                    ) : null}
                  </>
                )}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
