import { describe, expect, it } from 'vitest';
import { APP_LANGUAGES } from '@linkboard/contract/desktop';
import {
  callbackPageLanguage,
  kindOfProviderError,
  renderCallbackPage,
} from '../../src/auth/callback-page.js';
import { CALLBACK_PAGE_TEXT, type CallbackPageKind } from '../../src/auth/callback-page-text.js';

const KINDS = Object.keys(CALLBACK_PAGE_TEXT.en) as CallbackPageKind[];

describe('the page the browser shows after the redirect', () => {
  it('says a sign-in that has ended (answered, expired or cancelled) is over, and what to do', () => {
    const page = renderCallbackPage('ended', 'en');
    expect(page).toContain('<h1>This sign-in has ended</h1>');
    expect(page).toContain('took too long and expired');
    expect(page).toContain('Return to Linkboard; sign in again there if you need to.');
  });

  it('has every page in every language, each in its own words', () => {
    for (const language of APP_LANGUAGES) {
      for (const kind of KINDS) {
        const text = CALLBACK_PAGE_TEXT[language][kind];
        expect(text.title && text.lead && text.next, `${language} ${kind}`).toBeTruthy();
        if (language !== 'en') {
          expect(text.title, `${language} ${kind}`).not.toBe(CALLBACK_PAGE_TEXT.en[kind].title);
          expect(text.next, `${language} ${kind}`).not.toBe(CALLBACK_PAGE_TEXT.en[kind].next);
        }
      }
    }
  });

  it('says on every page that the tab may be closed', () => {
    for (const kind of KINDS) {
      expect(CALLBACK_PAGE_TEXT.en[kind].next, kind).toMatch(/safe to close this tab/);
      expect(CALLBACK_PAGE_TEXT.de[kind].next, kind).toMatch(/Tab bedenkenlos schließen/);
    }
  });

  it('sorts the sign-in service’s error codes into what the user can do about them', () => {
    expect(kindOfProviderError('access_denied')).toBe('denied');
    expect(kindOfProviderError('login_required')).toBe('sign-in-again');
    expect(kindOfProviderError('interaction_required')).toBe('sign-in-again');
    expect(kindOfProviderError('temporarily_unavailable')).toBe('unavailable');
    expect(kindOfProviderError('server_error')).toBe('unavailable');
    expect(kindOfProviderError('invalid_request')).toBe('failed');
  });

  it('picks the configured language, else the browser’s first one the app speaks, else English', () => {
    expect(callbackPageLanguage('de', 'en-US,en;q=0.9')).toBe('de');
    expect(callbackPageLanguage(null, 'de-CH')).toBe('de');
    expect(callbackPageLanguage(null, 'fr;q=0.9, de;q=0.5, en;q=0.7')).toBe('en');
    expect(callbackPageLanguage(null, 'en;q=0, de')).toBe('de');
    expect(callbackPageLanguage(null, 'fr, *;q=0.1')).toBe('en');
    expect(callbackPageLanguage(null, undefined)).toBe('en');
    expect(callbackPageLanguage(null, ';;,,q=x')).toBe('en');
  });
});
