import { BrandMark } from '../components/BrandMark';

/** The app could not read its configuration: say so, and offer to try again. */
export function UnavailableScreen({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <main className="sign-in" id="main" data-testid="unavailable">
      <div className="sign-in__card">
        <div className="sign-in__brand">
          <BrandMark size={40} />
          <span className="sign-in__product">Linkboard</span>
        </div>
        <h1 className="sign-in__title">Linkboard can't start</h1>
        <div className="banner banner--error" role="alert">
          {message}
        </div>
        <button type="button" className="button button--primary" onClick={onRetry}>
          Try again
        </button>
      </div>
    </main>
  );
}
