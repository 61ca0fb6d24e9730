import { useEffect, useState, useSyncExternalStore } from 'react';
import { useLinkboard } from '../api/linkboard-context';
import { useSessionController } from '../auth/session-context';
import { ConnectController, type ConnectSnapshot } from './connect-controller';

/**
 * The connect flow for the signed-in screens: one controller for as long as they are shown,
 * listening for the callbacks main forwards; `onAccountsChanged` reads the accounts again.
 */
export function useConnect(onAccountsChanged: () => void): {
  controller: ConnectController;
  snapshot: ConnectSnapshot;
} {
  const linkboard = useLinkboard();
  const session = useSessionController();
  const [controller] = useState(
    () => new ConnectController({ linkboard, myAccount: () => session.myAccount() }),
  );
  useEffect(() => controller.onAccountsChanged(onAccountsChanged), [controller, onAccountsChanged]);
  useEffect(() => {
    const stop = controller.listenForCallbacks();
    return () => {
      stop();
      controller.dispose();
    };
  }, [controller]);
  const snapshot = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  return { controller, snapshot };
}
