/**
 * Initials in a circle: the signed-in user (whose picture is not a provider's), and any provider
 * image that is missing or could not be loaded (see ProviderImage).
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
