import { BrandCardPage } from '../components/BrandCardPage';
import type { Message } from '../i18n/message';
import { useT } from '../i18n/use-t';

/** The app could not read its configuration: say so, and offer to try again. */
export function UnavailableScreen({ message, onRetry }: { message: Message; onRetry: () => void }) {
  const { t, text } = useT();
  return (
    <BrandCardPage testId="unavailable">
      <h1 className="sign-in__title">{t('unavailable.title')}</h1>
      <div className="banner banner--error" role="alert">
        {text(message)}
      </div>
      <button type="button" className="button button--primary" onClick={onRetry}>
        {t('common.tryAgain')}
      </button>
    </BrandCardPage>
  );
}
