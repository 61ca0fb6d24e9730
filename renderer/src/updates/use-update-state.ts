import { useEffect, useState } from 'react';
import type { UpdateState } from '@linkboard/contract/ipc';
import { useLinkboard } from '../api/linkboard-context';

export type UpdateStateView =
  | { status: 'loading' }
  | { status: 'unknown'; error: unknown }
  | { status: 'known'; state: UpdateState };

/**
 * How often the settings screen asks main again: often while something is moving (a check, a
 * download), rarely otherwise — main checks the feed every few hours on its own.
 */
const UPDATE_POLL_MS = { moving: 1_000, settled: 15_000 } as const;

function isMoving(state: UpdateState): boolean {
  return (
    state.status === 'checking' || state.status === 'available' || state.status === 'downloading'
  );
}

/** The update service's state, asked of main while the component using it is on screen. */
export function useUpdateState(): UpdateStateView {
  const linkboard = useLinkboard();
  const [view, setView] = useState<UpdateStateView>({ status: 'loading' });

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = async () => {
      let next: UpdateStateView;
      try {
        next = { status: 'known', state: await linkboard.app.updateState() };
      } catch (error) {
        next = { status: 'unknown', error };
      }
      if (stopped) return;
      setView(next);
      const moving = next.status === 'known' && isMoving(next.state);
      timer = setTimeout(() => void ask(), moving ? UPDATE_POLL_MS.moving : UPDATE_POLL_MS.settled);
    };
    void ask();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [linkboard]);

  return view;
}
