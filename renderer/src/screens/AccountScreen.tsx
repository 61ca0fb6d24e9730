import { useState } from 'react';
import type { LinkedAccount } from '../data/linked-account';
import { EmptyState } from '../components/EmptyState';
import { PageHeading } from '../components/PageHeading';
import { ProviderIcon } from '../components/ProviderIcon';
import { StatusBadge } from '../components/StatusBadge';
import { ViewTabs } from '../components/ViewTabs';
import { ViewPanel } from '../views/ViewPanel';
import { useT } from '../i18n/use-t';

interface AccountScreenProps {
  account: LinkedAccount;
  /** Reads the linked accounts again (after the user reconnected an account elsewhere). */
  onCheckAgain: () => void;
  /** A reread of the linked accounts is under way. */
  checking: boolean;
  /**
   * Connects the account again from the app (docs/architecture.md#connecting-an-account); absent
   * where the broker offers no connect for this connection.
   */
  onReconnect?: () => void;
  /** A connect or disconnect is under way: Reconnect waits. */
  connectBusy?: boolean;
}

/**
 * One linked account: its catalogue views as tabs, the selected one drawn from its spec. An
 * account whose token the broker cannot use shows that, and what to do, instead of its views: they
 * could only fail with the same message.
 */
export function AccountScreen({
  account,
  onCheckAgain,
  checking,
  onReconnect,
  connectBusy = false,
}: AccountScreenProps) {
  const views = account.provider?.views ?? [];
  const [selected, setSelected] = useState(views[0]?.id ?? '');
  const view = views.find((candidate) => candidate.id === selected) ?? views[0];
  const { identity } = account;
  const { t } = useT();
  return (
    <div className="page" data-testid={`account-${identity.connection}`}>
      <header className="account-header">
        <ProviderIcon icon={account.icon} size="large" />
        <div className="account-header__text">
          <PageHeading>{account.displayName}</PageHeading>
          <p className="account-header__account">{account.accountLabel}</p>
        </div>
        <StatusBadge status={identity.status} />
      </header>
      {identity.status !== 'ready' ? (
        <AccountUnavailable
          account={account}
          checking={checking}
          onCheckAgain={onCheckAgain}
          {...(onReconnect ? { onReconnect } : {})}
          connectBusy={connectBusy}
        />
      ) : view ? (
        <>
          <ViewTabs
            views={views}
            selected={view.id}
            onSelect={setSelected}
            label={t('account.viewsLabel', { name: account.displayName })}
          />
          <div
            role="tabpanel"
            id={`tabpanel-${view.id}`}
            aria-labelledby={`tab-${view.id}`}
            className="tabpanel"
          >
            <ViewPanel
              key={`${identity.connection}:${view.id}`}
              connection={identity.connection}
              providerName={account.displayName}
              view={view}
            />
          </div>
        </>
      ) : (
        <EmptyState title={t('account.noViews', { name: account.displayName })} />
      )}
    </div>
  );
}

function AccountUnavailable({
  account,
  checking,
  onCheckAgain,
  onReconnect,
  connectBusy,
}: {
  account: LinkedAccount;
  checking: boolean;
  onCheckAgain: () => void;
  onReconnect?: () => void;
  connectBusy: boolean;
}) {
  const name = account.displayName;
  const expired = account.identity.status === 'reconnect_required';
  const { t } = useT();
  return (
    <div
      className="banner banner--warning account-unavailable"
      role="note"
      data-testid={expired ? 'reconnect-banner' : 'token-unavailable-banner'}
    >
      <div className="account-unavailable__text">
        <p className="account-unavailable__title">
          {expired ? t('account.expiredTitle', { name }) : t('account.noTokenTitle', { name })}
        </p>
        <p className="account-unavailable__detail">
          {expired ? t('account.expiredDetail', { name }) : t('account.noTokenDetail', { name })}
        </p>
      </div>
      {expired && onReconnect ? (
        <button
          type="button"
          className="button button--primary"
          onClick={() => {
            if (!connectBusy) onReconnect();
          }}
          aria-disabled={connectBusy}
          data-testid="reconnect-account"
        >
          {t('connect.reconnect', { name })}
        </button>
      ) : null}
      <button
        type="button"
        className="button button--secondary"
        onClick={() => {
          if (!checking) onCheckAgain();
        }}
        aria-disabled={checking}
        data-testid="check-account-again"
      >
        {checking ? t('account.checking') : t('account.checkAgain')}
      </button>
    </div>
  );
}
