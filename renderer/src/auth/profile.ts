import type { User } from '@auth0/auth0-spa-js';

/** Who is signed in, from the ID token's claims. */
export interface Profile {
  subject: string;
  /** `undefined` when the ID token names nobody; the UI says "Signed-in user". */
  name: string | undefined;
  email: string | undefined;
  initials: string;
}

export function profileFromClaims(user: User | undefined): Profile {
  const subject = user?.sub ?? '';
  const name = user?.name ?? user?.nickname ?? user?.email;
  return { subject, name, email: user?.email, initials: name ? initialsOf(name) : '?' };
}

/** Up to two letters for an avatar: "Ada Lovelace" → "AL", "ada@example.com" → "A". */
export function initialsOf(name: string): string {
  const words = name
    .replace(/@.*$/, '')
    .split(/[\s._-]+/)
    .filter((word) => word.length > 0);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words.slice(0, 1);
  const initials = letters.map((word) => Array.from(word ?? '')[0] ?? '').join('');
  return initials.toUpperCase() || '?';
}
