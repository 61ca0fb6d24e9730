import { isLocale, type LanguageSetting } from './locale';

/**
 * The language chosen in Settings, kept in the page's own storage: it is a preference of this
 * computer's user, not a secret, and the page needs it before anything else is drawn.
 */
const STORAGE_KEY = 'linkboard.language';

export function readLanguageSetting(): LanguageSetting {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return isLocale(stored) ? stored : 'system';
  } catch {
    return 'system';
  }
}

export function writeLanguageSetting(setting: LanguageSetting): void {
  try {
    if (setting === 'system') window.localStorage.removeItem(STORAGE_KEY);
    else window.localStorage.setItem(STORAGE_KEY, setting);
  } catch {
    // Storage refused (e.g. a private profile): the choice lasts until the window closes.
  }
}
