import type { LinkedAccount } from '../data/linked-account';
import { isBrowsable } from '../data/linked-account';
import { ProviderIcon } from './ProviderIcon';
import { StatusBadge } from './StatusBadge';
import { useCatalogueText, useT } from '../i18n/use-t';

function useHint(account: LinkedAccount): string {
  const { t, intl } = useT();
  const catalogueText = useCatalogueText();
  const name = account.displayName;
  switch (account.identity.status) {
    case 'reconnect_required':
      return t('card.hintReconnect', { name });
    case 'token_unavailable':
      return t('card.hintNoToken', { name });
    case 'ready': {
      const views = account.provider?.views ?? [];
      return isBrowsable(account)
        ? t('card.hintViews', {
            count: views.length,
            titles: intl.formatList(
              views.map((view) => catalogueText(view.title)),
              { type: 'unit' },
            ),
          })
        : t('card.hintNoViews');
    }
  }
}

export function AccountCard({ account, onOpen }: { account: LinkedAccount; onOpen: () => void }) {
  const { identity } = account;
  const titleId = `account-title-${identity.connection}`;
  const { t } = useT();
  const hint = useHint(account);
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
      <p className="account-card__hint">{hint}</p>
      {isBrowsable(account) ? (
        <button
          type="button"
          className="button button--secondary account-card__open"
          onClick={onOpen}
          data-testid={`open-account-${identity.connection}`}
        >
          {t('card.browse', { name: account.displayName })}
        </button>
      ) : null}
    </li>
  );
}
