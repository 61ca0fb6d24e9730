import type { Notice } from '../auth/session-state';
import { useT } from '../i18n/use-t';

export function NoticeBanner({ notice }: { notice: Notice }) {
  const { text } = useT();
  return (
    <div
      className={`banner banner--${notice.tone === 'error' ? 'error' : 'info'}`}
      role={notice.tone === 'error' ? 'alert' : 'status'}
      data-testid="sign-in-notice"
      data-tone={notice.tone}
    >
      {text(notice.message)}
    </div>
  );
}
