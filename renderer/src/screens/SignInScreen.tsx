import { useEffect, useRef } from 'react';
import type { Notice } from '../auth/session-state';
import { BrandCardPage } from '../components/BrandCardPage';
import { MemoryOnlyWarning } from '../components/MemoryOnlyWarning';
import { NoticeBanner } from '../components/NoticeBanner';
import { Spinner } from '../components/Spinner';
import { useT } from '../i18n/use-t';

interface SignInScreenProps {
  phase: 'signed-out' | 'signing-in' | 'completing';
  notice: Notice | null;
  memoryOnly: boolean;
  onSignIn: () => void;
  onCancel: () => void;
}

/** What Linkboard is, one way in, and the wait while the system browser does the sign-in. */
export function SignInScreen({ phase, notice, memoryOnly, onSignIn, onCancel }: SignInScreenProps) {
  const { t } = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [phase]);
  return (
    <BrandCardPage testId="sign-in-screen">
      {phase === 'signed-out' ? (
        <>
          <h1 className="sign-in__title" tabIndex={-1} ref={heading}>
            {t('signIn.title')}
          </h1>
          <p className="sign-in__lead">{t('signIn.lead')}</p>
          {notice ? <NoticeBanner notice={notice} /> : null}
          <button
            type="button"
            className="button button--primary button--large"
            onClick={onSignIn}
            data-testid="sign-in-button"
          >
            {t('signIn.button')}
          </button>
          <p className="sign-in__hint">{t('signIn.hint')}</p>
        </>
      ) : (
        <div className="sign-in__waiting" data-testid="signing-in" aria-live="polite">
          <Spinner />
          <h1 className="sign-in__title" tabIndex={-1} ref={heading}>
            {phase === 'signing-in' ? t('signIn.waitingTitle') : t('signIn.completingTitle')}
          </h1>
          <p className="sign-in__lead">
            {phase === 'signing-in' ? t('signIn.waitingLead') : t('signIn.completingLead')}
          </p>
          <button
            type="button"
            className="button button--secondary"
            onClick={onCancel}
            data-testid="cancel-sign-in"
          >
            {t('common.cancel')}
          </button>
        </div>
      )}
      {memoryOnly ? <MemoryOnlyWarning /> : null}
    </BrandCardPage>
  );
}
