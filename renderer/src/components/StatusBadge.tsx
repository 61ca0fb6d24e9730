import type { IdentityStatus } from '@linkboard/contract/broker-api';
import { useT } from '../i18n/use-t';

export function StatusBadge({ status }: { status: IdentityStatus }) {
  const { t } = useT();
  return (
    <span className={`badge badge--${status}`} data-testid="status-badge" data-status={status}>
      <span className="badge__dot" aria-hidden="true" />
      {t(`status.${status}`)}
    </span>
  );
}
