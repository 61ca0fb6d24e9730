import { useMemo } from 'react';
import type { LinkboardApi } from '@linkboard/contract/ipc';
import { createLinkboardClient } from './api/linkboard-client';
import { LinkboardContext } from './api/linkboard-context';
import type { AuthClientFactory } from './auth/auth-client';
import { SessionContext } from './auth/session-context';
import { SessionController } from './auth/session-controller';
import { App } from './App';
import { CrashBoundary } from './components/CrashBoundary';
import { UnavailableScreen } from './screens/UnavailableScreen';

interface RootProps {
  /** `window.linkboard`; missing when the page is opened outside the app. */
  linkboard: LinkboardApi | undefined;
  createAuthClient: AuthClientFactory;
}

/** Wires the bridge and the session into React. Tests render this with a fake bridge. */
export function Root({ linkboard, createAuthClient }: RootProps) {
  const client = useMemo(() => (linkboard ? createLinkboardClient(linkboard) : null), [linkboard]);
  const controller = useMemo(
    () => (client ? new SessionController({ linkboard: client, createAuthClient }) : null),
    [client, createAuthClient],
  );

  if (!client || !controller) {
    return (
      <UnavailableScreen
        message="This page has to be opened by the Linkboard app: its bridge to the app is missing."
        onRetry={() => window.location.reload()}
      />
    );
  }
  return (
    <CrashBoundary>
      <LinkboardContext.Provider value={client}>
        <SessionContext.Provider value={controller}>
          <App />
        </SessionContext.Provider>
      </LinkboardContext.Provider>
    </CrashBoundary>
  );
}
