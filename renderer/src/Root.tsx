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
import { message } from './i18n/message';
import { I18nProvider } from './i18n/I18nProvider';
import type { LanguageSetting } from './i18n/locale';

interface RootProps {
  /** `window.linkboard`; missing when the page is opened outside the app. */
  linkboard: LinkboardApi | undefined;
  createAuthClient: AuthClientFactory;
  /** The language to start in; by default the one chosen in Settings, else the computer's. */
  language?: LanguageSetting;
}

/** Wires the bridge and the session into React. Tests render this with a fake bridge. */
export function Root(props: RootProps) {
  return (
    <I18nProvider {...(props.language ? { initialSetting: props.language } : {})}>
      <Wired {...props} />
    </I18nProvider>
  );
}

function Wired({ linkboard, createAuthClient }: RootProps) {
  const client = useMemo(() => (linkboard ? createLinkboardClient(linkboard) : null), [linkboard]);
  const controller = useMemo(
    () => (client ? new SessionController({ linkboard: client, createAuthClient }) : null),
    [client, createAuthClient],
  );

  if (!client || !controller) {
    return (
      <UnavailableScreen
        message={message('app.bridgeMissing')}
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
