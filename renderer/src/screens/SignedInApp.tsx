import { useState } from 'react';
import type { AppInfo } from '@linkboard/contract/ipc';
import type { Profile } from '../auth/profile';
import { MemoryOnlyWarning } from '../components/MemoryOnlyWarning';
import { Sidebar } from '../components/Sidebar';
import { SkipLink } from '../components/SkipLink';
import { useConnect } from '../connect/use-connect';
import { useLinkedAccounts, type AccountsState } from '../data/use-linked-accounts';
import type { Route } from '../navigation/route';
import { useDocumentTitle } from '../navigation/use-document-title';
import { AccountScreen } from './AccountScreen';
import { HomeScreen } from './HomeScreen';
import { SettingsScreen } from './SettingsScreen';
import { useT } from '../i18n/use-t';

interface SignedInAppProps {
  profile: Profile;
  info: AppInfo;
  signingOut: boolean;
  onSignOut: () => void;
}

/** The signed-in layout: sidebar navigation, and the page the user chose. */
export function SignedInApp({ profile, info, signingOut, onSignOut }: SignedInAppProps) {
  const { t } = useT();
  const [route, setRoute] = useState<Route>({ name: 'home' });
  const { state: accounts, reload, reloadAfterChange } = useLinkedAccounts(profile.subject);
  const connect = useConnect(reloadAfterChange);
  const ready = accounts.status === 'ready' ? accounts.accounts : [];
  const account =
    route.name === 'account'
      ? ready.find((candidate) => candidate.identity.connection === route.connection)
      : undefined;
  // An account that disappeared on reload (unlinked meanwhile) sends the user home.
  const shown: Route = route.name === 'account' && !account ? { name: 'home' } : route;
  useDocumentTitle(
    shown.name === 'account'
      ? (account?.displayName ?? null)
      : shown.name === 'settings'
        ? t('nav.settings')
        : null,
  );

  return (
    <div className="shell">
      <SkipLink targetId="main" />
      <Sidebar
        route={shown}
        accounts={ready}
        profile={profile}
        signingOut={signingOut}
        onNavigate={setRoute}
        onSignOut={onSignOut}
      />
      <main className="shell__main" id="main" tabIndex={-1}>
        {info.tokenStorage === 'memory' ? <MemoryOnlyWarning /> : null}
        {shown.name === 'home' ? (
          <HomeScreen
            profile={profile}
            accounts={accounts}
            onOpenAccount={(connection) => setRoute({ name: 'account', connection })}
            onReload={() => void reload()}
            connect={connect.snapshot}
            connectActions={{
              onConnect: ({ connection, displayName }) =>
                void connect.controller.connect(connection, displayName),
              onCancel: () => void connect.controller.cancel(),
              onDisconnect: ({ connection, displayName }) =>
                void connect.controller.disconnect(connection, displayName),
              onDismiss: () => connect.controller.dismissNotice(),
            }}
          />
        ) : null}
        {shown.name === 'account' && account ? (
          <AccountScreen
            key={account.identity.connection}
            account={account}
            checking={accounts.status === 'ready' && accounts.refreshing === true}
            onCheckAgain={() => void reload()}
            {...(connectable(accounts, account.identity.connection)
              ? {
                  onReconnect: () =>
                    void connect.controller.connect(
                      account.identity.connection,
                      account.displayName,
                    ),
                }
              : {})}
            connectBusy={connect.snapshot.state.status !== 'idle'}
          />
        ) : null}
        {shown.name === 'settings' ? <SettingsScreen info={info} /> : null}
      </main>
    </div>
  );
}

/** Whether the user can connect this connection from the app (the broker's `connectable`). */
function connectable(accounts: AccountsState, connection: string): boolean {
  return (
    accounts.status === 'ready' &&
    accounts.connectable.some((candidate) => candidate.connection === connection)
  );
}
