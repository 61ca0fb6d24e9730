import type { ReactNode } from 'react';
import type { Profile } from '../auth/profile';
import type { LinkedAccount } from '../data/linked-account';
import { isBrowsable } from '../data/linked-account';
import type { Route } from '../navigation/route';
import { sameRoute } from '../navigation/route';
import { Avatar } from './Avatar';
import { BrandMark } from './BrandMark';
import { Glyph } from './Glyph';
import { ProviderIcon } from './ProviderIcon';
import { useT } from '../i18n/use-t';

interface SidebarProps {
  route: Route;
  accounts: readonly LinkedAccount[];
  profile: Profile;
  signingOut: boolean;
  onNavigate: (route: Route) => void;
  onSignOut: () => void;
}

export function Sidebar({
  route,
  accounts,
  profile,
  signingOut,
  onNavigate,
  onSignOut,
}: SidebarProps) {
  const { t } = useT();
  const browsable = accounts.filter(isBrowsable);
  function item(target: Route, icon: ReactNode, label: string, testId: string, extra?: ReactNode) {
    const current = sameRoute(route, target);
    return (
      <li key={testId}>
        <button
          type="button"
          title={label}
          className="nav__item"
          aria-current={current ? 'page' : undefined}
          onClick={() => onNavigate(target)}
          data-testid={testId}
        >
          {icon}
          <span className="nav__label">{label}</span>
          {extra}
        </button>
      </li>
    );
  }
  return (
    <aside className="sidebar">
      <div className="sidebar__brand">
        <BrandMark />
        <span className="nav__label">{t('app.name')}</span>
      </div>
      <nav className="nav" aria-label={t('nav.main')}>
        <ul className="nav__list">
          {item({ name: 'home' }, <HomeGlyph />, t('nav.home'), 'nav-home')}
        </ul>
        {browsable.length > 0 ? (
          <>
            <h2 className="nav__group" id="nav-accounts">
              {t('nav.accounts')}
            </h2>
            <ul className="nav__list" aria-labelledby="nav-accounts">
              {browsable.map((account) =>
                item(
                  { name: 'account', connection: account.identity.connection },
                  <ProviderIcon icon={account.icon} size="small" />,
                  account.displayName,
                  `nav-account-${account.identity.connection}`,
                  account.identity.status === 'ready' ? null : (
                    <span className="nav__attention" title={t('nav.needsAttention')}>
                      <span className="visually-hidden">{t('nav.needsAttentionHidden')}</span>
                    </span>
                  ),
                ),
              )}
            </ul>
          </>
        ) : null}
        <ul className="nav__list nav__list--bottom">
          {item({ name: 'settings' }, <GearGlyph />, t('nav.settings'), 'nav-settings')}
        </ul>
      </nav>
      <div className="sidebar__user">
        <Avatar initials={profile.initials} />
        <div className="sidebar__who">
          <span className="sidebar__name">{profile.name ?? t('profile.fallbackName')}</span>
          {profile.email ? <span className="sidebar__email">{profile.email}</span> : null}
        </div>
        <button
          type="button"
          className="button button--ghost button--small"
          onClick={onSignOut}
          disabled={signingOut}
          title={t('nav.signOut')}
          data-testid="sign-out"
        >
          <SignOutGlyph />
          <span className="nav__label">{signingOut ? t('nav.signingOut') : t('nav.signOut')}</span>
        </button>
      </div>
    </aside>
  );
}

function HomeGlyph() {
  return (
    <Glyph>
      <path
        d="M4 11l8-7 8 7v9a1 1 0 0 1-1 1h-5v-6h-4v6H5a1 1 0 0 1-1-1z"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinejoin="round"
      />
    </Glyph>
  );
}

function GearGlyph() {
  return (
    <Glyph>
      <circle cx="12" cy="12" r="3" fill="none" stroke="currentColor" strokeWidth="2" />
      <path
        d="M12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1L7 17M17 7l2.1-2.1"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
      />
    </Glyph>
  );
}

function SignOutGlyph() {
  return (
    <Glyph>
      <path
        d="M15 4h3a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-3M10 17l-5-5 5-5M5 12h11"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </Glyph>
  );
}
