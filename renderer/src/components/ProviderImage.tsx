import { providerImagePath } from '@linkboard/contract/desktop';
import { useState } from 'react';
import { Avatar } from './Avatar';

/**
 * A provider's image (an avatar, a profile picture), loaded from the app's own origin: main fetches
 * it from the provider's catalogue image origins and serves it through its protocol, so the CSP's
 * `img-src 'self'` holds. An image main refuses or cannot get falls back to the initials.
 */
export function ProviderImage({
  connection,
  url,
  initials,
}: {
  connection: string;
  url: string;
  initials: string;
}) {
  const src = providerImagePath(connection, url);
  const [failedSrc, setFailedSrc] = useState<string | null>(null);
  if (failedSrc === src) return <Avatar initials={initials} size="large" />;
  return (
    <img
      className="avatar avatar--large avatar--image"
      src={src}
      alt=""
      width={64}
      height={64}
      onError={() => setFailedSrc(src)}
      data-testid="provider-image"
    />
  );
}
