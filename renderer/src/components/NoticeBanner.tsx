import type { Notice } from '../auth/session-state';

export function NoticeBanner({ notice }: { notice: Notice }) {
  return (
    <div
      className={`banner banner--${notice.tone === 'error' ? 'error' : 'info'}`}
      role={notice.tone === 'error' ? 'alert' : 'status'}
      data-testid="sign-in-notice"
      data-tone={notice.tone}
    >
      {notice.message}
    </div>
  );
}
