/**
 * Initials in a circle. Profile pictures are remote images, which the app's CSP does not load, so
 * the avatar never tries.
 */
export function Avatar({
  initials,
  size = 'medium',
}: {
  initials: string;
  size?: 'medium' | 'large';
}) {
  return (
    <span className={`avatar avatar--${size}`} aria-hidden="true">
      {initials}
    </span>
  );
}
