import { useEffect } from 'react';
import { useSession, useSessionController } from './auth/session-context';
import { SignedInApp } from './screens/SignedInApp';
import { SignInScreen } from './screens/SignInScreen';
import { StartingScreen } from './screens/StartingScreen';
import { UnavailableScreen } from './screens/UnavailableScreen';

/** Picks the screen for the sign-in state; starts the session once. */
export function App() {
  const controller = useSessionController();
  const { state, info } = useSession();

  useEffect(() => controller.listenForCallbacks(), [controller]);
  useEffect(() => {
    void controller.start();
  }, [controller]);

  switch (state.status) {
    case 'starting':
      return <StartingScreen />;
    case 'unavailable':
      return <UnavailableScreen message={state.message} onRetry={() => void controller.start()} />;
    case 'signed-out':
    case 'signing-in':
    case 'completing':
      return (
        <SignInScreen
          phase={state.status}
          notice={state.status === 'signed-out' ? state.notice : null}
          memoryOnly={info?.tokenStorage === 'memory'}
          onSignIn={() => void controller.signIn()}
          onCancel={() => void controller.cancelSignIn()}
        />
      );
    case 'signed-in':
    case 'signing-out':
      if (!info) return <StartingScreen />;
      return (
        <SignedInApp
          profile={state.profile}
          info={info}
          signingOut={state.status === 'signing-out'}
          onSignOut={() => void controller.signOut()}
        />
      );
  }
}
