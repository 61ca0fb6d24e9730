import { describeError, type ErrorContext } from '../errors/describe-error';
import { useCountdown } from './use-countdown';
import { useT } from '../i18n/use-t';

interface ErrorPanelProps extends ErrorContext {
  error: unknown;
  onRetry?: () => void;
  /** A one-line variant, e.g. under a list whose next page failed. */
  compact?: boolean;
}

export function ErrorPanel({ error, onRetry, compact = false, ...context }: ErrorPanelProps) {
  const { t } = useT();
  const description = describeError(error, context, t);
  const waitLeft = useCountdown(
    description.action === 'wait-and-retry' ? (description.retryAfter ?? 0) : 0,
  );
  const canRetry = onRetry !== undefined && description.action !== 'none';
  return (
    <div
      className={`error-panel${compact ? ' error-panel--compact' : ''}`}
      role="alert"
      data-testid="error-panel"
      data-error-code={description.code}
    >
      <svg className="error-panel__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <circle cx="12" cy="12" r="10" fill="none" stroke="currentColor" strokeWidth="2" />
        <path d="M12 7v6M12 16.5v.5" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
      </svg>
      <div className="error-panel__text">
        <p className="error-panel__title" data-testid="error-title">
          {description.title}
        </p>
        <p className="error-panel__detail" data-testid="error-detail">
          {description.action === 'wait-and-retry' && waitLeft > 0
            ? t('error.tooManyWait', { seconds: waitLeft })
            : description.detail}
        </p>
        {description.reference ? (
          <p className="error-panel__reference" data-testid="error-reference">
            {description.reference}
          </p>
        ) : null}
      </div>
      {canRetry ? (
        <button
          type="button"
          className="button button--secondary"
          onClick={onRetry}
          disabled={waitLeft > 0}
          data-testid="error-retry"
        >
          {waitLeft > 0 ? t('common.retryIn', { seconds: waitLeft }) : t('common.retry')}
        </button>
      ) : null}
    </div>
  );
}
