import type { MouseEvent } from 'react';

/**
 * "Skip to content" for keyboard users. It moves focus itself rather than following `#main`, so
 * the window's address never changes.
 */
export function SkipLink({ targetId }: { targetId: string }) {
  function skip(event: MouseEvent<HTMLAnchorElement>) {
    event.preventDefault();
    document.getElementById(targetId)?.focus();
  }
  return (
    <a className="skip-link" href={`#${targetId}`} onClick={skip} data-testid="skip-link">
      Skip to content
    </a>
  );
}
