import type { IdentityStatus } from '@linkboard/contract/broker-api';

const LABELS: Record<IdentityStatus, string> = {
  ready: 'Ready',
  reconnect_required: 'Reconnect needed',
  token_unavailable: 'No token available',
};

export function StatusBadge({ status }: { status: IdentityStatus }) {
  return (
    <span className={`badge badge--${status}`} data-testid="status-badge" data-status={status}>
      <span className="badge__dot" aria-hidden="true" />
      {LABELS[status]}
    </span>
  );
}
