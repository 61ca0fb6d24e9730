import type { MessageId } from './messages-en';

/** Values a message's placeholders take. */
export type MessageValues = Readonly<Record<string, string | number>>;

/**
 * A text decided outside React (a sign-in notice, a start-up failure), kept as its message id so
 * it is shown in whatever language the app speaks when it is drawn.
 */
export interface Message {
  id: MessageId;
  values?: MessageValues;
}

export function message(id: MessageId, values?: MessageValues): Message {
  return values ? { id, values } : { id };
}
