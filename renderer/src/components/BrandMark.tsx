/** Linkboard's mark: two linked tiles. */
export function BrandMark({ size = 28 }: { size?: number }) {
  return (
    <svg
      className="brand-mark"
      width={size}
      height={size}
      viewBox="0 0 32 32"
      aria-hidden="true"
      focusable="false"
    >
      <rect x="2" y="2" width="28" height="28" rx="8" className="brand-mark__tile" />
      <rect x="8" y="9" width="9" height="9" rx="2.5" className="brand-mark__a" />
      <rect x="15" y="14" width="9" height="9" rx="2.5" className="brand-mark__b" />
    </svg>
  );
}
