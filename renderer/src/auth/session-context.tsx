import { createContext, useContext, useSyncExternalStore } from 'react';
import type { SessionController } from './session-controller';
import type { SessionSnapshot } from './session-state';

export const SessionContext = createContext<SessionController | null>(null);

export function useSessionController(): SessionController {
  const controller = useContext(SessionContext);
  if (!controller) throw new Error('useSessionController() outside <SessionContext.Provider>');
  return controller;
}

/** The current sign-in state and app info; re-renders when either changes. */
export function useSession(): SessionSnapshot {
  const controller = useSessionController();
  return useSyncExternalStore(controller.subscribe, controller.getSnapshot);
}
