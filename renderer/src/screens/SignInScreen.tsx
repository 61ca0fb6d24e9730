import { useEffect, useRef } from 'react';
import type { Notice } from '../auth/session-state';
import { BrandCardPage } from '../components/BrandCardPage';
import { MemoryOnlyWarning } from '../components/MemoryOnlyWarning';
import { NoticeBanner } from '../components/NoticeBanner';
import { Spinner } from '../components/Spinner';

interface SignInScreenProps {
  phase: 'signed-out' | 'signing-in' | 'completing';
  notice: Notice | null;
  memoryOnly: boolean;
  onSignIn: () => void;
  onCancel: () => void;
}

/** What Linkboard is, one way in, and the wait while the system browser does the sign-in. */
export function SignInScreen({ phase, notice, memoryOnly, onSignIn, onCancel }: SignInScreenProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [phase]);
  return (
    <BrandCardPage testId="sign-in-screen">
      {phase === 'signed-out' ? (
        <>
          <h1 className="sign-in__title" tabIndex={-1} ref={heading}>
            Your linked accounts, in one place
          </h1>
          <p className="sign-in__lead">
            Sign in with your organisation's account to browse the GitHub, Google and Microsoft
            accounts linked to it. Their passwords and tokens never reach this computer.
          </p>
          {notice ? <NoticeBanner notice={notice} /> : null}
          <button
            type="button"
            className="button button--primary button--large"
            onClick={onSignIn}
            data-testid="sign-in-button"
          >
            Sign in
          </button>
          <p className="sign-in__hint">Sign-in opens in your web browser.</p>
        </>
      ) : (
        <div className="sign-in__waiting" data-testid="signing-in" aria-live="polite">
          <Spinner />
          <h1 className="sign-in__title" tabIndex={-1} ref={heading}>
            {phase === 'signing-in' ? 'Signing in…' : 'Finishing sign-in…'}
          </h1>
          <p className="sign-in__lead">
            {phase === 'signing-in'
              ? 'Finish signing in in the browser window that just opened, then come back here.'
              : 'Your browser is done. Linkboard is completing your sign-in.'}
          </p>
          <button
            type="button"
            className="button button--secondary"
            onClick={onCancel}
            data-testid="cancel-sign-in"
          >
            Cancel
          </button>
        </div>
      )}
      {memoryOnly ? <MemoryOnlyWarning /> : null}
    </BrandCardPage>
  );
}
