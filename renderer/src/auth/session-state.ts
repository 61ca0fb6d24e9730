import type { AppInfo } from '@linkboard/contract/ipc';
import type { Message } from '../i18n/message';
import type { Profile } from './profile';

/** A message the sign-in screen shows: why the user is there, or what just went wrong. */
export interface Notice {
  tone: 'info' | 'error';
  message: Message;
}

export type SessionState =
  /** Reading the configuration and looking for a remembered sign-in. */
  | { status: 'starting' }
  /** The app could not even read its configuration: nothing to sign in with. */
  | { status: 'unavailable'; message: Message }
  | { status: 'signed-out'; notice: Notice | null }
  /** The sign-in page is open in the system browser; waiting for it to come back. */
  | { status: 'signing-in' }
  /** The browser came back; exchanging the code for tokens. */
  | { status: 'completing' }
  | { status: 'signed-in'; profile: Profile }
  | { status: 'signing-out'; profile: Profile };

export interface SessionSnapshot {
  state: SessionState;
  /** Known once started; `null` while starting or when the app is unavailable. */
  info: AppInfo | null;
}
