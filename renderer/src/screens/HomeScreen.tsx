import type { Profile } from '../auth/profile';
import { AccountCard } from '../components/AccountCard';
import { ConnectAccountsSection } from '../components/ConnectAccountsSection';
import type { ConnectSnapshot } from '../connect/connect-controller';
import type { ConnectableConnection } from '../data/connectable-connection';
import { Avatar } from '../components/Avatar';
import { EmptyState } from '../components/EmptyState';
import { ErrorPanel } from '../components/ErrorPanel';
import { Skeleton } from '../components/Skeleton';
import type { AccountsState } from '../data/use-linked-accounts';
import { PageHeading } from '../components/PageHeading';
import { useT } from '../i18n/use-t';

interface HomeScreenProps {
  profile: Profile;
  accounts: AccountsState;
  onOpenAccount: (connection: string) => void;
  onReload: () => void;
  connect: ConnectSnapshot;
  connectActions: ConnectActions;
}

/** What the connect section's buttons do. */
export interface ConnectActions {
  onConnect: (connection: ConnectableConnection) => void;
  onCancel: () => void;
  onDisconnect: (connection: ConnectableConnection) => void;
  onDismiss: () => void;
}

/** Who is signed in and which accounts are linked to them. */
export function HomeScreen({
  profile,
  accounts,
  onOpenAccount,
  onReload,
  connect,
  connectActions,
}: HomeScreenProps) {
  const { t } = useT();
  return (
    <div className="page" data-testid="home">
      <section className="profile" aria-label={t('profile.label')}>
        <Avatar initials={profile.initials} size="large" />
        <div>
          <PageHeading>
            <span data-testid="profile-name">{profile.name ?? t('profile.fallbackName')}</span>
          </PageHeading>
          {profile.email ? (
            <p className="profile__email" data-testid="profile-email">
              {profile.email}
            </p>
          ) : null}
        </div>
      </section>

      <section className="section" aria-labelledby="linked-accounts-title">
        <div className="section__header">
          <h2 id="linked-accounts-title" className="section__title">
            {t('home.linkedAccounts')}
          </h2>
          {/* With nothing linked, the empty state offers the one Refresh instead. */}
          {accounts.status === 'ready' && accounts.accounts.length > 0 ? (
            <RefreshButton
              refreshing={accounts.refreshing === true}
              onReload={onReload}
              variant="ghost"
            />
          ) : null}
        </div>
        {accounts.status === 'loading' ? (
          <Skeleton label={t('home.loadingAccounts')} variant="cards" lines={3} />
        ) : null}
        {accounts.status === 'error' ? (
          <ErrorPanel error={accounts.error} onRetry={onReload} />
        ) : null}
        {accounts.status === 'ready' && accounts.accounts.length === 0 ? (
          <EmptyState title={t('home.emptyTitle')} testId="home-empty">
            {/* Where the app can connect accounts itself, the way in is just below. */}
            <p>
              {t(accounts.connectable.length > 0 ? 'home.emptyBodyConnectable' : 'home.emptyBody')}
            </p>
            <RefreshButton
              refreshing={accounts.refreshing === true}
              onReload={onReload}
              variant="secondary"
            />
          </EmptyState>
        ) : null}
        {accounts.status === 'ready' && accounts.accounts.length > 0 ? (
          <ul className="account-grid" data-testid="account-list">
            {accounts.accounts.map((account) => (
              <AccountCard
                key={`${account.identity.connection}:${account.identity.userId}`}
                account={account}
                onOpen={() => onOpenAccount(account.identity.connection)}
              />
            ))}
          </ul>
        ) : null}
      </section>

      {accounts.status === 'ready' && accounts.connectable.length > 0 ? (
        <ConnectAccountsSection
          connections={accounts.connectable}
          connect={connect}
          {...connectActions}
        />
      ) : null}
    </div>
  );
}

/** Reads the linked accounts again; one on the page at a time (`reload-accounts`). */
function RefreshButton({
  refreshing,
  onReload,
  variant,
}: {
  refreshing: boolean;
  onReload: () => void;
  variant: 'ghost' | 'secondary';
}) {
  const { t } = useT();
  return (
    <button
      type="button"
      className={`button button--${variant}`}
      onClick={() => {
        if (!refreshing) onReload();
      }}
      aria-disabled={refreshing}
      data-testid="reload-accounts"
    >
      {refreshing ? t('common.refreshing') : t('common.refresh')}
    </button>
  );
}
