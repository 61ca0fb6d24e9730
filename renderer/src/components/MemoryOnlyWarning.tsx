import { FormattedMessage } from 'react-intl';
import type { MessageId } from '../i18n/messages-en';

export function MemoryOnlyWarning() {
  return (
    <div className="banner banner--warning" role="note" data-testid="memory-only-warning">
      <FormattedMessage
        id={'signIn.memoryOnly' satisfies MessageId}
        values={{ strong: (chunks) => <strong>{chunks}</strong> }}
      />
    </div>
  );
}
