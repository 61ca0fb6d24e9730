import type { LinkedAccount } from '../data/linked-account';
import { isBrowsable } from '../data/linked-account';
import { ProviderIcon } from './ProviderIcon';
import { StatusBadge } from './StatusBadge';

function hintFor(account: LinkedAccount): string {
  switch (account.identity.status) {
    case 'reconnect_required':
      return `Sign in with ${account.displayName} again to reconnect this account.`;
    case 'token_unavailable':
      return `Your organisation doesn't share a ${account.displayName} token with Linkboard.`;
    case 'ready':
      return isBrowsable(account)
        ? `${account.provider?.views.length ?? 0} views: ${account.provider?.views.map((view) => view.title).join(', ')}`
        : 'Linkboard has no views for this kind of account yet.';
  }
}

export function AccountCard({ account, onOpen }: { account: LinkedAccount; onOpen: () => void }) {
  const { identity } = account;
  const titleId = `account-title-${identity.connection}`;
  return (
    <li
      className="account-card"
      data-testid={`account-card-${identity.connection}`}
      aria-labelledby={titleId}
    >
      <div className="account-card__top">
        <ProviderIcon icon={account.icon} size="large" />
        <StatusBadge status={identity.status} />
      </div>
      <h3 className="account-card__title" id={titleId}>
        {account.displayName}
      </h3>
      <p className="account-card__account">{account.accountLabel}</p>
      <p className="account-card__hint">{hintFor(account)}</p>
      {isBrowsable(account) ? (
        <button
          type="button"
          className="button button--secondary account-card__open"
          onClick={onOpen}
          data-testid={`open-account-${identity.connection}`}
        >
          Browse {account.displayName}
        </button>
      ) : null}
    </li>
  );
}
