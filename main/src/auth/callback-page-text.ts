import type { AppLanguage } from '@linkboard/contract/desktop';

/**
 * What the page main's loopback listener answers the system browser with says, in each language
 * the app speaks (docs/architecture.md#sign-in). The renderer's catalogue is not reachable from
 * main, so these few texts live here, next to the page.
 */

/** Why the page is shown. */
export type CallbackPageKind =
  /** A sign-in's authorization code arrived; the app finishes the sign-in. */
  | 'signed-in'
  /** A Connected Accounts answer (`connect_code`) arrived; the app finishes connecting. */
  | 'connected'
  /** The user or the provider said no (`error=access_denied`). */
  | 'denied'
  /** The sign-in service needs the user to sign in or consent again (`login_required`…). */
  | 'sign-in-again'
  /** The sign-in service failed or is busy (`server_error`, `temporarily_unavailable`). */
  | 'unavailable'
  /** Any other `error` the sign-in service answered. */
  | 'failed'
  /** A complete answer with a `state` the app is not waiting for: an old, ended or foreign sign-in. */
  | 'not-this-sign-in'
  /** An answer without one state and one code or error. */
  | 'incomplete'
  /** The sign-in this listener waited for has ended (answered, timed out or cancelled). */
  | 'ended'
  /** Any other path. */
  | 'not-found';

export interface CallbackPageText {
  title: string;
  /** What happened. */
  lead: string;
  /** What to do next. */
  next: string;
}

export interface CallbackPageLabels {
  /** The `<title>` prefix and the brand next to the mark. */
  product: string;
  errorCode: string;
  serviceSaid: string;
}

export const CALLBACK_PAGE_LABELS: Record<AppLanguage, CallbackPageLabels> = {
  en: { product: 'Linkboard', errorCode: 'Error code', serviceSaid: 'The sign-in service said' },
  de: { product: 'Linkboard', errorCode: 'Fehlercode', serviceSaid: 'Der Anmeldedienst meldet' },
};

export const CALLBACK_PAGE_TEXT: Record<AppLanguage, Record<CallbackPageKind, CallbackPageText>> = {
  en: {
    'signed-in': {
      title: 'You’re signed in',
      lead: 'Linkboard has your sign-in and finishes it in the app.',
      next: 'It is safe to close this tab and return to Linkboard.',
    },
    connected: {
      title: 'Account connected',
      lead: 'Linkboard has the answer from the account’s service and finishes connecting it in the app.',
      next: 'It is safe to close this tab and return to Linkboard.',
    },
    denied: {
      title: 'Sign-in was not allowed',
      lead: 'Access was denied: the sign-in was cancelled, a permission was declined, or your organisation does not allow this account.',
      next: 'It is safe to close this tab. Return to Linkboard and try again, or ask your administrator if it keeps happening.',
    },
    'sign-in-again': {
      title: 'Sign-in did not finish',
      lead: 'The sign-in service needs you to sign in or to confirm the permissions again.',
      next: 'It is safe to close this tab. Return to Linkboard and sign in again.',
    },
    unavailable: {
      title: 'The sign-in service had a problem',
      lead: 'The sign-in service could not finish the sign-in just now.',
      next: 'It is safe to close this tab. Wait a moment, then return to Linkboard and try again.',
    },
    failed: {
      title: 'Sign-in did not finish',
      lead: 'The sign-in service answered with an error.',
      next: 'It is safe to close this tab. Return to Linkboard and try again, or ask your administrator if it keeps happening.',
    },
    'not-this-sign-in': {
      title: 'This is not the sign-in Linkboard is waiting for',
      lead: 'This answer belongs to another sign-in: an earlier one that expired or was cancelled, or one Linkboard did not start.',
      next: 'It is safe to close this tab. Return to Linkboard and sign in from there.',
    },
    incomplete: {
      title: 'This sign-in answer is incomplete',
      lead: 'The address this tab opened lacks part of the answer Linkboard needs.',
      next: 'It is safe to close this tab. Return to Linkboard and start signing in again.',
    },
    ended: {
      title: 'This sign-in has ended',
      lead: 'Linkboard is no longer waiting for it: it finished, took too long and expired, or was cancelled in the app.',
      next: 'It is safe to close this tab. Return to Linkboard; sign in again there if you need to.',
    },
    'not-found': {
      title: 'Nothing here',
      lead: 'Linkboard only answers the sign-in’s return address.',
      next: 'It is safe to close this tab.',
    },
  },
  de: {
    'signed-in': {
      title: 'Sie sind angemeldet',
      lead: 'Linkboard hat Ihre Anmeldung erhalten und schließt sie in der App ab.',
      next: 'Sie können diesen Tab bedenkenlos schließen und zu Linkboard zurückkehren.',
    },
    connected: {
      title: 'Konto verbunden',
      lead: 'Linkboard hat die Antwort des Dienstes erhalten und verbindet das Konto in der App.',
      next: 'Sie können diesen Tab bedenkenlos schließen und zu Linkboard zurückkehren.',
    },
    denied: {
      title: 'Anmeldung nicht erlaubt',
      lead: 'Der Zugriff wurde verweigert: Die Anmeldung wurde abgebrochen, eine Berechtigung abgelehnt oder Ihre Organisation lässt dieses Konto nicht zu.',
      next: 'Sie können diesen Tab bedenkenlos schließen. Kehren Sie zu Linkboard zurück und versuchen Sie es erneut, oder wenden Sie sich an Ihre IT, wenn es wieder passiert.',
    },
    'sign-in-again': {
      title: 'Anmeldung nicht abgeschlossen',
      lead: 'Der Anmeldedienst verlangt, dass Sie sich erneut anmelden oder die Berechtigungen erneut bestätigen.',
      next: 'Sie können diesen Tab bedenkenlos schließen. Kehren Sie zu Linkboard zurück und melden Sie sich erneut an.',
    },
    unavailable: {
      title: 'Der Anmeldedienst hatte ein Problem',
      lead: 'Der Anmeldedienst konnte die Anmeldung gerade nicht abschließen.',
      next: 'Sie können diesen Tab bedenkenlos schließen. Warten Sie einen Moment, kehren Sie dann zu Linkboard zurück und versuchen Sie es erneut.',
    },
    failed: {
      title: 'Anmeldung nicht abgeschlossen',
      lead: 'Der Anmeldedienst hat mit einem Fehler geantwortet.',
      next: 'Sie können diesen Tab bedenkenlos schließen. Kehren Sie zu Linkboard zurück und versuchen Sie es erneut, oder wenden Sie sich an Ihre IT, wenn es wieder passiert.',
    },
    'not-this-sign-in': {
      title: 'Nicht die Anmeldung, auf die Linkboard wartet',
      lead: 'Diese Antwort gehört zu einer anderen Anmeldung: einer früheren, die abgelaufen ist oder abgebrochen wurde, oder einer, die Linkboard nicht begonnen hat.',
      next: 'Sie können diesen Tab bedenkenlos schließen. Kehren Sie zu Linkboard zurück und melden Sie sich dort an.',
    },
    incomplete: {
      title: 'Diese Antwort ist unvollständig',
      lead: 'Der Adresse, die dieser Tab geöffnet hat, fehlt ein Teil der Antwort, die Linkboard braucht.',
      next: 'Sie können diesen Tab bedenkenlos schließen. Kehren Sie zu Linkboard zurück und beginnen Sie die Anmeldung erneut.',
    },
    ended: {
      title: 'Diese Anmeldung ist beendet',
      lead: 'Linkboard wartet nicht mehr darauf: Sie ist abgeschlossen, wegen Zeitüberschreitung abgelaufen oder wurde in der App abgebrochen.',
      next: 'Sie können diesen Tab bedenkenlos schließen. Kehren Sie zu Linkboard zurück und melden Sie sich dort bei Bedarf erneut an.',
    },
    'not-found': {
      title: 'Hier ist nichts',
      lead: 'Linkboard beantwortet nur die Rückkehradresse der Anmeldung.',
      next: 'Sie können diesen Tab bedenkenlos schließen.',
    },
  },
};
