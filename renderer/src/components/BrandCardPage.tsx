import type { ReactNode } from 'react';
import { BrandMark } from './BrandMark';
import { useT } from '../i18n/use-t';

/**
 * A whole window holding one card under Linkboard's mark: the sign-in page, and the pages shown
 * when the app cannot go on (no configuration, a screen that failed to draw).
 */
export function BrandCardPage({ testId, children }: { testId: string; children: ReactNode }) {
  const { t } = useT();
  return (
    <main className="sign-in" id="main" data-testid={testId}>
      <div className="sign-in__card">
        <div className="sign-in__brand">
          <BrandMark size={40} />
          <span className="sign-in__product">{t('app.name')}</span>
        </div>
        {children}
      </div>
    </main>
  );
}
