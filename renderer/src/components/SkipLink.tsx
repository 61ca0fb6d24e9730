import type { MouseEvent } from 'react';
import { useT } from '../i18n/use-t';

/**
 * "Skip to content" for keyboard users. It moves focus itself rather than following `#main`, so
 * the window's address never changes.
 */
export function SkipLink({ targetId }: { targetId: string }) {
  const { t } = useT();
  function skip(event: MouseEvent<HTMLAnchorElement>) {
    event.preventDefault();
    document.getElementById(targetId)?.focus();
  }
  return (
    <a className="skip-link" href={`#${targetId}`} onClick={skip} data-testid="skip-link">
      {t('nav.skipToContent')}
    </a>
  );
}
