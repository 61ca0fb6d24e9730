import { useEffect, useRef, type ReactNode } from 'react';

/**
 * The page's `<h1>`, focused when the page appears so keyboard and screen-reader users land on
 * the new page instead of staying on the button that opened it.
 */
export function PageHeading({ children }: { children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <h1 className="page__title" tabIndex={-1} ref={heading}>
      {children}
    </h1>
  );
}
