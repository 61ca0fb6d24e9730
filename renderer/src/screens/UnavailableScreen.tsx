import { BrandCardPage } from '../components/BrandCardPage';

/** The app could not read its configuration: say so, and offer to try again. */
export function UnavailableScreen({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <BrandCardPage testId="unavailable">
      <h1 className="sign-in__title">Linkboard can't start</h1>
      <div className="banner banner--error" role="alert">
        {message}
      </div>
      <button type="button" className="button button--primary" onClick={onRetry}>
        Try again
      </button>
    </BrandCardPage>
  );
}
