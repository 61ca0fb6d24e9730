import { createIntl } from 'react-intl';
import type { SessionState } from '../../src/auth/session-state';
import type { Message } from '../../src/i18n/message';
import { en } from '../../src/i18n/messages-en';

const intl = createIntl({ locale: 'en', messages: en });

/** A message id with its values, as the English UI shows it. */
export function english(id: Message['id'], values?: Message['values']): string {
  return intl.formatMessage({ id }, values);
}

/** A message as the English UI shows it. */
export function inEnglish(message: Message): string {
  return intl.formatMessage({ id: message.id }, message.values);
}

/** A session state with its notice or failure message as the English UI shows it. */
export function stateInEnglish(state: SessionState) {
  if (state.status === 'unavailable') return { ...state, message: inEnglish(state.message) };
  if (state.status === 'signed-out' && state.notice) {
    return { ...state, notice: { ...state.notice, message: inEnglish(state.notice.message) } };
  }
  return state;
}
