import type { ReactNode } from 'react';

/**
 * A 24×24 line icon beside a text label. The label says what it is, so the icon is decorative:
 * hidden from assistive technology and never a focus stop.
 */
export function Glyph({ children }: { children: ReactNode }) {
  return (
    <svg className="glyph" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      {children}
    </svg>
  );
}
