import { Glyph } from './Glyph';

/** The padlock of "managed by your organisation". */
export function LockGlyph() {
  return (
    <Glyph>
      <rect
        x="5"
        y="11"
        width="14"
        height="10"
        rx="2"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
      />
      <path d="M8 11V8a4 4 0 0 1 8 0v3" fill="none" stroke="currentColor" strokeWidth="2" />
    </Glyph>
  );
}
