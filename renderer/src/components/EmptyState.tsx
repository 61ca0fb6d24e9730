import type { ReactNode } from 'react';

export function EmptyState({
  title,
  children,
  testId = 'empty-state',
}: {
  title: string;
  children?: ReactNode;
  testId?: string;
}) {
  return (
    <div className="empty-state" data-testid={testId}>
      <svg className="empty-state__art" viewBox="0 0 48 48" aria-hidden="true" focusable="false">
        <rect
          x="6"
          y="10"
          width="36"
          height="28"
          rx="4"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
        />
        <path d="M6 18h36" stroke="currentColor" strokeWidth="2" />
        <circle cx="24" cy="28" r="3" fill="currentColor" />
      </svg>
      <p className="empty-state__title">{title}</p>
      {children ? <div className="empty-state__body">{children}</div> : null}
    </div>
  );
}
