import { Component, type ErrorInfo, type ReactNode } from 'react';
import { BrandCardPage } from './BrandCardPage';
import { FormattedMessage } from 'react-intl';
import type { MessageId } from '../i18n/messages-en';

interface CrashBoundaryState {
  crashed: boolean;
}

/**
 * The last net: a bug while drawing a screen shows a page that says so and offers a reload,
 * never a blank window. The error goes to the console (main's logs), not on screen.
 */
export class CrashBoundary extends Component<{ children: ReactNode }, CrashBoundaryState> {
  override state: CrashBoundaryState = { crashed: false };

  static getDerivedStateFromError(): CrashBoundaryState {
    return { crashed: true };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Linkboard could not draw this screen', error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.crashed) return this.props.children;
    return (
      <BrandCardPage testId="crashed">
        <h1 className="sign-in__title">
          <FormattedMessage id={'crash.title' satisfies MessageId} />
        </h1>
        <p className="sign-in__lead">
          <FormattedMessage id={'crash.lead' satisfies MessageId} />
        </p>
        <button
          type="button"
          className="button button--primary"
          onClick={() => window.location.reload()}
        >
          <FormattedMessage id={'crash.reload' satisfies MessageId} />
        </button>
      </BrandCardPage>
    );
  }
}
