import { useState } from 'react';
import type { LinkedAccount } from '../data/linked-account';
import { EmptyState } from '../components/EmptyState';
import { PageHeading } from '../components/PageHeading';
import { ProviderIcon } from '../components/ProviderIcon';
import { StatusBadge } from '../components/StatusBadge';
import { ViewTabs } from '../components/ViewTabs';
import { ViewPanel } from '../views/ViewPanel';

/** One linked account: its catalogue views as tabs, the selected one drawn from its spec. */
export function AccountScreen({ account }: { account: LinkedAccount }) {
  const views = account.provider?.views ?? [];
  const [selected, setSelected] = useState(views[0]?.id ?? '');
  const view = views.find((candidate) => candidate.id === selected) ?? views[0];
  const { identity } = account;
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
      {identity.status === 'reconnect_required' ? (
        <div className="banner banner--warning" role="note" data-testid="reconnect-banner">
          Your {account.displayName} link has expired — sign in with {account.displayName} again to
          reconnect it.
        </div>
      ) : null}
      {identity.status === 'token_unavailable' ? (
        <div className="banner banner--warning" role="note" data-testid="token-unavailable-banner">
          Your organisation doesn't share a {account.displayName} token with Linkboard, so this
          account's data can't be shown.
        </div>
      ) : null}
      {view ? (
        <>
          <ViewTabs
            views={views}
            selected={view.id}
            onSelect={setSelected}
            label={`${account.displayName} views`}
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
        <EmptyState title={`Linkboard has no views for ${account.displayName} yet.`} />
      )}
    </div>
  );
}
