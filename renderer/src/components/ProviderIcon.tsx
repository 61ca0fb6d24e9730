import type { ComponentType } from 'react';
import { BitbucketIcon } from './icons/BitbucketIcon';
import { GenericProviderIcon } from './icons/GenericProviderIcon';
import { GitHubIcon } from './icons/GitHubIcon';
import { GoogleIcon } from './icons/GoogleIcon';
import { MicrosoftIcon } from './icons/MicrosoftIcon';

/** Icons bundled with the app, by the catalogue's `icon` id: nothing is fetched from elsewhere. */
const ICONS: Record<string, ComponentType> = {
  bitbucket: BitbucketIcon,
  github: GitHubIcon,
  google: GoogleIcon,
  microsoft: MicrosoftIcon,
};

export function ProviderIcon({
  icon,
  size = 'medium',
}: {
  icon: string;
  size?: 'small' | 'medium' | 'large';
}) {
  const Icon = Object.prototype.hasOwnProperty.call(ICONS, icon) ? ICONS[icon] : undefined;
  const Drawn = Icon ?? GenericProviderIcon;
  return (
    <span className={`provider-icon provider-icon--${size}`} data-icon={Icon ? icon : 'generic'}>
      <Drawn />
    </span>
  );
}
